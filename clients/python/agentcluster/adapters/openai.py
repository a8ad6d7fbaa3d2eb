"""OpenAI's computer-use tool (``computer_use_preview``): executes the action of one ``computer_call`` item on a
session and returns the ``computer_call_output`` item, a screenshot as a base64 PNG data URL."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from ..errors import InvalidArgument
from ..session import Session

# OpenAI's key names (upper-case DOM-ish) that are not already the computer's names or aliases.
_KEYS = {"ARROWUP": "Up", "ARROWDOWN": "Down", "ARROWLEFT": "Left", "ARROWRIGHT": "Right", "PAGEUP": "Prior",
         "PAGEDOWN": "Next", "CAPSLOCK": "Caps_Lock", "OPTION": "alt", "CMD": "super", "COMMAND": "super"}
_BUTTONS = {"left": "left", "right": "right", "middle": "middle", "wheel": "middle"}
# The browser's own history keys, for the buttons a mouse has on its side.
_HISTORY = {"back": "alt+Left", "forward": "alt+Right"}
# OpenAI scrolls in pixels, the computer in wheel steps; Chromium moves about this far per step.
PIXELS_PER_STEP = 100
WAIT_MILLISECONDS = 2000
SUPPORTED = frozenset({"click", "double_click", "drag", "keypress", "move", "screenshot", "scroll", "type", "wait"})


def _int(action: Mapping[str, Any], name: str) -> int:
    value = action.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidArgument(f"{action.get('type')} needs an integer {name}, not {value!r}")
    return value


def _steps(pixels: int) -> int:
    if pixels == 0:
        return 0
    steps = max(1, round(abs(pixels) / PIXELS_PER_STEP))
    return min(steps, 100) * (1 if pixels > 0 else -1)


def key_name(key: str) -> str:
    """One of OpenAI's key names as the computer's: ``CTRL`` stays (aliases are case-insensitive), a letter
    is lower-cased (``L`` would be shift+l), ``ARROWLEFT`` is ``Left``."""
    if len(key) == 1:
        return key.lower()
    return _KEYS.get(key.upper(), key)


def execute(session: Session, action: Mapping[str, Any]) -> None:
    """Carries out one ``action`` of a computer call."""
    kind = action.get("type")
    if kind == "click":
        button = action.get("button", "left")
        if button in _HISTORY:
            session.key(_HISTORY[button])
        elif button in _BUTTONS:
            session.click(_int(action, "x"), _int(action, "y"), _BUTTONS[button])
        else:
            raise InvalidArgument(f"click button {button!r} is not left, right, wheel, back or forward")
    elif kind == "double_click":
        session.double_click(_int(action, "x"), _int(action, "y"))
    elif kind == "drag":
        path = action.get("path")
        if not isinstance(path, list) or len(path) < 2:
            raise InvalidArgument("drag needs a path of at least two points")
        first, last = path[0], path[-1]
        session.drag(_int(first, "x"), _int(first, "y"), _int(last, "x"), _int(last, "y"))
    elif kind == "keypress":
        keys = action.get("keys")
        if not isinstance(keys, list) or not keys or not all(isinstance(k, str) and k for k in keys):
            raise InvalidArgument("keypress needs a list of key names")
        session.key("+".join(key_name(k) for k in keys))
    elif kind == "move":
        session.move(_int(action, "x"), _int(action, "y"))
    elif kind == "screenshot":
        pass
    elif kind == "scroll":
        session.scroll(_steps(_int(action, "scroll_y")), _steps(_int(action, "scroll_x")),
                       x=_int(action, "x"), y=_int(action, "y"))
    elif kind == "type":
        text = action.get("text")
        if not isinstance(text, str):
            raise InvalidArgument("type needs text")
        session.type(text)
    elif kind == "wait":
        session.wait(WAIT_MILLISECONDS)
    else:
        raise InvalidArgument(f"unknown computer action {kind!r}")


def run_openai_computer_call(session: Session, computer_call: Mapping[str, Any]) -> dict[str, Any]:
    """Executes a ``computer_call`` item (or just its ``action``) and returns its ``computer_call_output``:
    the screen after the action as ``input_image``. Pending safety checks are acknowledged back as given;
    the controller decides about them before calling. Errors are raised (the output has no error form)."""
    action = computer_call.get("action", computer_call) if computer_call.get("type") == "computer_call" else computer_call
    execute(session, action)
    png = base64.b64encode(session.screenshot()).decode("ascii")
    output: dict[str, Any] = {"type": "computer_call_output", "call_id": computer_call.get("call_id", ""),
                              "output": {"type": "input_image", "image_url": f"data:image/png;base64,{png}"}}
    if checks := computer_call.get("pending_safety_checks"):
        output["acknowledged_safety_checks"] = list(checks)
    return output
