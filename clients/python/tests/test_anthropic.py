"""The Anthropic computer-use adapter on every action it supports, and what it refuses."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from agentcluster import Session, SessionEnded
from agentcluster.adapters import anthropic, run_anthropic_tool_call
from board import FIELD, MOVE_TARGET, PROBE, TYPED, expect, open_board
from screen import decode


def call(session: Session, **tool_input: Any) -> dict[str, Any]:
    result = run_anthropic_tool_call(session, {"type": "tool_use", "id": "toolu_1", "name": "computer", "input": tool_input})
    assert result["type"] == "tool_result" and result["tool_use_id"] == "toolu_1"
    return result


def screenshot_of(result: dict[str, Any]) -> tuple[int, int]:
    """The result's last block is the screen after the action, as a base64 PNG image block."""
    assert not result.get("is_error"), result
    block = result["content"][-1]
    assert (block["type"], block["source"]["type"], block["source"]["media_type"]) == ("image", "base64", "image/png")
    picture = decode(base64.b64decode(block["source"]["data"]))
    return picture.width, picture.height


def test_screenshot_returns_a_base64_png_block(desk: Session) -> None:
    result = call(desk, action="screenshot")
    assert screenshot_of(result) == (1280, 800) and len(result["content"]) == 1


@pytest.mark.parametrize(("action", "colour"), [("left_click", "click"), ("right_click", "right"), ("middle_click", "middle"),
                                                ("double_click", "double"), ("triple_click", "triple")])
def test_clicks(desk: Session, action: str, colour: str) -> None:
    open_board(desk)
    screenshot_of(call(desk, action=action, coordinate=list(PROBE)))
    expect(desk, colour)


def test_type_and_key(desk: Session) -> None:
    top = open_board(desk)
    call(desk, action="left_click", coordinate=[FIELD[0], top + FIELD[1]])
    screenshot_of(call(desk, action="type", text=TYPED))
    expect(desk, "typed")
    screenshot_of(call(desk, action="key", text="Return"))
    expect(desk, "enter")


@pytest.mark.parametrize(("direction", "colour"), [("down", "down"), ("up", "up"), ("right", "right_scroll"), ("left", "left_scroll")])
def test_scroll(desk: Session, direction: str, colour: str) -> None:
    open_board(desk)
    screenshot_of(call(desk, action="scroll", coordinate=list(PROBE), scroll_direction=direction, scroll_amount=3))
    expect(desk, colour)


def test_mouse_move_cursor_position_and_wait(desk: Session) -> None:
    top = open_board(desk)
    screenshot_of(call(desk, action="mouse_move", coordinate=[MOVE_TARGET[0], top + MOVE_TARGET[1]]))
    expect(desk, "move")
    result = call(desk, action="cursor_position")
    assert result["content"][0] == {"type": "text", "text": f"X={MOVE_TARGET[0]},Y={top + MOVE_TARGET[1]}"}
    screenshot_of(call(desk, action="wait", duration=0.2))


@pytest.mark.parametrize("start", ["start_coordinate", "cursor"])
def test_left_click_drag_from_a_start_or_from_the_pointer(desk: Session, start: str) -> None:
    top = open_board(desk)
    if start == "cursor":  # computer_20241022: from wherever the pointer is
        desk.move(600, top + 500)
        result = call(desk, action="left_click_drag", coordinate=[800, top + 600])
    else:
        result = call(desk, action="left_click_drag", start_coordinate=[600, top + 500], coordinate=[800, top + 600])
    screenshot_of(result)
    expect(desk, "drag")
    assert desk.cursor_position().cursor == (800, top + 600)


@pytest.mark.parametrize("tool_input", [
    {"action": "left_mouse_down"}, {"action": "left_mouse_up"}, {"action": "hold_key", "text": "shift", "duration": 1},
    {"action": "zoom"}, {"action": "left_click", "coordinate": [1, 2, 3]}, {"action": "left_click", "coordinate": [5, 5], "text": "shift"},
    {"action": "type"}, {"action": "scroll", "scroll_direction": "sideways"}, {"action": "wait", "duration": 60},
    {"action": "mouse_move"},
])
def test_what_the_computer_cannot_do_is_an_error_result_the_model_reads(desk: Session, tool_input: dict[str, Any]) -> None:
    result = call(desk, **tool_input)
    assert result["is_error"] is True
    assert result["content"][0]["type"] == "text" and result["content"][0]["text"].startswith("error: ")


def test_a_cluster_failure_is_raised_for_the_controller(cluster: Any, image: str) -> None:
    with cluster.session(image=image, ttl=120) as s:
        pass
    with pytest.raises(SessionEnded):
        call(s, action="screenshot")


def test_the_adapter_names_what_it_supports() -> None:
    assert anthropic.SUPPORTED == {"screenshot", "left_click", "right_click", "middle_click", "double_click", "triple_click",
                                   "mouse_move", "left_click_drag", "type", "key", "scroll", "cursor_position", "wait"}
