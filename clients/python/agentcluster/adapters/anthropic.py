"""Anthropic's computer-use tool (``computer_20250124`` and ``computer_20241022``): executes one ``tool_use``
block on a session and returns the ``tool_result`` block the model expects back."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from ..errors import ActionDenied, InvalidArgument
from ..session import Session

# The screen's size, as declared in the tool's display_width_px / display_height_px.
DISPLAY_WIDTH, DISPLAY_HEIGHT = 1280, 800
# Clicks by the name the model uses, as the computer API's button.
_CLICKS = {"left_click": "left", "right_click": "right", "middle_click": "middle", "double_click": "double",
           "triple_click": "triple"}
_SCROLL = {"up": (0, -1), "down": (0, 1), "left": (-1, 0), "right": (1, 0)}
# The computer API presses and releases in one action: holding a button or a key has no call.
UNSUPPORTED = frozenset({"left_mouse_down", "left_mouse_up", "hold_key"})
SUPPORTED = frozenset({"screenshot", "mouse_move", "left_click_drag", "type", "key", "scroll", "cursor_position",
                       "wait", *_CLICKS})


def image_block(png: bytes) -> dict[str, Any]:
    """A screenshot as the model reads it: a base64 PNG image content block."""
    return {"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                        "data": base64.b64encode(png).decode("ascii")}}


def _point(value: Any, name: str) -> tuple[int, int]:
    if (not isinstance(value, (list, tuple)) or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        raise InvalidArgument(f"{name} must be [x, y] in pixels, not {value!r}")
    return int(value[0]), int(value[1])


def _text(call: Mapping[str, Any], action: str) -> str:
    text = call.get("text")
    if not isinstance(text, str) or not text:
        raise InvalidArgument(f"{action} needs text")
    return text


def execute(session: Session, call: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Carries out one tool input (``{"action": "left_click", "coordinate": [x, y]}``…) and returns the
    content of its result: text where the action answers something, then a screenshot of the screen after it."""
    action = call.get("action")
    if action in UNSUPPORTED:
        raise InvalidArgument(f"{action} is not supported: the computer presses and releases in one action "
                              "(use left_click_drag, or key with a combination)")
    text: str | None = None
    if action == "screenshot":
        pass
    elif action in _CLICKS:
        if call.get("text"):
            raise InvalidArgument("clicks with held modifier keys are not supported")
        x, y = _point(call["coordinate"], "coordinate") if call.get("coordinate") is not None else (None, None)
        session.click(x, y, _CLICKS[str(action)])
    elif action == "mouse_move":
        session.move(*_point(call.get("coordinate"), "coordinate"))
    elif action == "left_click_drag":
        # computer_20250124 names the start; computer_20241022 drags from wherever the pointer is.
        start = call.get("start_coordinate")
        x, y = _point(start, "start_coordinate") if start is not None else session.cursor_position().cursor or (0, 0)
        session.drag(x, y, *_point(call.get("coordinate"), "coordinate"))
    elif action == "type":
        session.type(_text(call, "type"))
    elif action == "key":
        session.key(_text(call, "key"))
    elif action == "scroll":
        direction, amount = call.get("scroll_direction"), call.get("scroll_amount", 3)
        if direction not in _SCROLL or not isinstance(amount, int) or amount < 0:
            raise InvalidArgument(f"scroll needs scroll_direction up/down/left/right and a scroll_amount >= 0, not "
                                  f"{direction!r}, {amount!r}")
        x, y = _point(call["coordinate"], "coordinate") if call.get("coordinate") is not None else (None, None)
        dx, dy = _SCROLL[str(direction)]
        session.scroll(dy * amount, dx * amount, x=x, y=y)
    elif action == "cursor_position":
        cx, cy = session.cursor_position().cursor or (0, 0)
        text = f"X={cx},Y={cy}"
    elif action == "wait":
        seconds = call.get("duration", 1)
        if not isinstance(seconds, (int, float)) or not 0 <= seconds <= 20:
            raise InvalidArgument(f"wait needs a duration of 0 to 20 seconds, not {seconds!r}")
        session.wait(int(seconds * 1000))
    else:
        raise InvalidArgument(f"unknown computer action {action!r}")
    content: list[dict[str, Any]] = [{"type": "text", "text": text}] if text else []
    return [*content, image_block(session.screenshot())]


def run_anthropic_tool_call(session: Session, tool_use: Mapping[str, Any]) -> dict[str, Any]:
    """Executes a ``tool_use`` block (or just its ``input``) and returns its ``tool_result`` block.

    A call the model got wrong (unknown or unsupported action, bad arguments) and an action whose
    approval was denied come back as ``is_error`` results the model can read; anything else (the session
    ended, the cluster is unreachable) is raised for the controller."""
    tool_input = tool_use.get("input", tool_use) if tool_use.get("type") == "tool_use" else tool_use
    result: dict[str, Any] = {"type": "tool_result", "tool_use_id": tool_use.get("id", "")}
    try:
        result["content"] = execute(session, tool_input)
    except (InvalidArgument, ActionDenied, KeyError) as e:
        result["content"] = [{"type": "text", "text": f"error: {e}"}]
        result["is_error"] = True
    return result
