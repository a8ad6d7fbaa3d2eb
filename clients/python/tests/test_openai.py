"""The OpenAI computer-use adapter on every action it supports."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from agentcluster import InvalidArgument, Session
from agentcluster.adapters import openai, run_openai_computer_call
from board import FIELD, LOOK, MOVE_TARGET, PROBE, TYPED, expect, open_board
from screen import decode, wait_for


def call(session: Session, checks: list[dict[str, str]] | None = None, **action: Any) -> dict[str, Any]:
    item = {"type": "computer_call", "id": "cu_1", "call_id": "call_1", "action": action, "pending_safety_checks": checks or []}
    output = run_openai_computer_call(session, item)
    assert (output["type"], output["call_id"], output["output"]["type"]) == ("computer_call_output", "call_1", "input_image")
    url = output["output"]["image_url"]
    assert url.startswith("data:image/png;base64,")
    picture = decode(base64.b64decode(url.removeprefix("data:image/png;base64,")))
    assert (picture.width, picture.height) == (1280, 800)
    return output


def test_screenshot_and_safety_checks_acknowledged(desk: Session) -> None:
    check = {"id": "cu_sc_1", "code": "malicious_instructions", "message": "look twice"}
    assert call(desk, [check], type="screenshot")["acknowledged_safety_checks"] == [check]
    assert "acknowledged_safety_checks" not in call(desk, type="screenshot")


@pytest.mark.parametrize(("button", "colour"), [("left", "click"), ("right", "right"), ("wheel", "middle")])
def test_click_buttons(desk: Session, button: str, colour: str) -> None:
    open_board(desk)
    call(desk, type="click", x=PROBE[0], y=PROBE[1], button=button)
    expect(desk, colour)


def test_back_and_forward_buttons_go_through_the_history(desk: Session) -> None:
    open_board(desk)
    desk.navigate("data:text/html,<body style='background:rgb(250,250,250)'>second</body>")
    expect_colour(desk, (250, 250, 250))
    call(desk, type="click", x=PROBE[0], y=PROBE[1], button="back")
    expect_colour(desk, (90, 120, 150))
    call(desk, type="click", x=PROBE[0], y=PROBE[1], button="forward")
    expect_colour(desk, (250, 250, 250))


def expect_colour(desk: Session, colour: tuple[int, int, int]) -> None:
    wait_for(desk.screenshot, *LOOK, colour, f"the page of colour {colour}")


def test_double_click(desk: Session) -> None:
    open_board(desk)
    call(desk, type="double_click", x=PROBE[0], y=PROBE[1])
    expect(desk, "double")


def test_type_and_keypress(desk: Session) -> None:
    top = open_board(desk)
    call(desk, type="click", x=FIELD[0], y=top + FIELD[1], button="left")
    call(desk, type="type", text=TYPED)
    expect(desk, "typed")
    call(desk, type="keypress", keys=["ENTER"])
    expect(desk, "enter")


@pytest.mark.parametrize(("dx", "dy", "colour"), [(0, 300, "down"), (0, -300, "up"), (200, 0, "right_scroll"), (-200, 0, "left_scroll")])
def test_scroll_in_pixels(desk: Session, dx: int, dy: int, colour: str) -> None:
    open_board(desk)
    call(desk, type="scroll", x=PROBE[0], y=PROBE[1], scroll_x=dx, scroll_y=dy)
    expect(desk, colour)


def test_move_drag_along_a_path_and_wait(desk: Session) -> None:
    top = open_board(desk)
    call(desk, type="move", x=MOVE_TARGET[0], y=top + MOVE_TARGET[1])
    expect(desk, "move")
    call(desk, type="drag", path=[{"x": 600, "y": top + 500}, {"x": 700, "y": top + 550}, {"x": 800, "y": top + 600}])
    expect(desk, "drag")
    call(desk, type="wait")
    assert desk.cursor_position().cursor == (800, top + 600)


def test_key_names_become_the_computers() -> None:
    assert [openai.key_name(k) for k in ["CTRL", "L", "ARROWLEFT", "PAGEDOWN", "ENTER", "Tab"]] == ["CTRL", "l", "Left", "Next", "ENTER", "Tab"]
    assert openai.SUPPORTED == {"click", "double_click", "drag", "keypress", "move", "screenshot", "scroll", "type", "wait"}


@pytest.mark.parametrize("action", [{"type": "zoom"}, {"type": "click", "x": 1, "y": 2, "button": "thumb"},
                                    {"type": "drag", "path": [{"x": 1, "y": 1}]}, {"type": "keypress", "keys": []},
                                    {"type": "move", "x": "1", "y": 2}])
def test_bad_actions_are_invalid_argument(desk: Session, action: dict[str, Any]) -> None:
    with pytest.raises(InvalidArgument):
        run_openai_computer_call(desk, {"type": "computer_call", "call_id": "c", "action": action})
