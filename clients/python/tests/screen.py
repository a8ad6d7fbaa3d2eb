"""Reading the screen in tests: waits until a point shows a colour."""

from __future__ import annotations

import time
from collections.abc import Callable

from agentcluster.picture import Colour, Picture, decode, first_row, near

__all__ = ["Colour", "Picture", "decode", "near", "page_top", "wait_for"]


def page_top(shot: Picture, background: Colour) -> int:
    """The first row of the page down the middle of the screen (below the browser's own bars)."""
    top = first_row(shot, background)
    assert top is not None, f"the page's background {background} is nowhere on the screen"
    return top


def wait_for(screenshot: Callable[[], bytes], x: int, y: int, colour: Colour, what: str, limit: float = 60) -> Picture:
    """Screenshots until (x, y) shows ``colour``; fails naming ``what`` and the colour last seen."""
    until = time.monotonic() + limit
    while True:
        shot = decode(screenshot())
        if near(shot.pixel(x, y), colour):
            return shot
        assert time.monotonic() < until, f"{what}: ({x}, {y}) is {shot.pixel(x, y)}, not {colour}"
        time.sleep(0.3)
