"""The computer of a desktop session: its screen and one input action at a time, written once for both
the sync :class:`~agentcluster.Session` and the ``grpc.aio`` :class:`~agentcluster.AsyncSession`."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from . import model

A = TypeVar("A")  # what an action returns: ActResult, or an awaitable of one
P = TypeVar("P")  # what a screenshot returns: bytes, or an awaitable of them


class Computer(Generic[A, P]):
    """Coordinates are pixels from the top-left corner of the 1280x800 screen. An action the tenant's gate
    holds waits for its approval; a denied or expired one raises :class:`~agentcluster.ActionDenied`."""

    def _act(self, action: str, **fields: Any) -> A:
        raise NotImplementedError

    def _png(self, scale: float | None, region: tuple[int, int, int, int] | None, changed_from: str = "", wait_ms: int = 0) -> P:
        raise NotImplementedError

    def screenshot(self, scale: float | None = None, region: tuple[int, int, int, int] | None = None) -> P:
        """The screen as PNG bytes; ``scale`` in (0, 1] shrinks it, ``region`` is (x, y, width, height)."""
        return self._png(scale, region)

    def screenshot_when_changed(self, previous: bytes, wait_ms: int = 5000, scale: float | None = None,
                                region: tuple[int, int, int, int] | None = None) -> P:
        """The first screenshot of the same ``scale`` and ``region`` that differs from ``previous`` (PNG bytes an
        earlier screenshot returned), taken as soon as the screen changes there; or, after ``wait_ms`` (1 to 20000),
        the screen as it is, then equal to ``previous``. Waits for a page to show without polling."""
        return self._png(scale, region, model.screen_tag(previous), wait_ms)

    def click(self, x: int | None = None, y: int | None = None, button: str = "left") -> A:
        """Clicks at (x, y), or where the pointer is; ``button``: left, right, middle, double or triple."""
        return self._act("click", x=x, y=y, button=button)

    def double_click(self, x: int | None = None, y: int | None = None) -> A:
        return self.click(x, y, "double")

    def move(self, x: int, y: int) -> A:
        """Moves the pointer to (x, y)."""
        return self._act("mouse_move", x=x, y=y)

    def drag(self, x: int, y: int, to_x: int, to_y: int) -> A:
        """Presses the left button at (x, y), moves to (to_x, to_y) and lets go."""
        return self._act("drag", x=x, y=y, to_x=to_x, to_y=to_y)

    def type(self, text: str) -> A:
        """Types ``text`` as keystrokes (the audit keeps only its length and a hash prefix)."""
        return self._act("type", text=text)

    def key(self, keys: str) -> A:
        """Presses a combination such as ``ctrl+l``, ``Return`` or ``ctrl+shift+Tab`` (xdotool names)."""
        return self._act("key", keys=keys)

    def scroll(self, down: int = 0, right: int = 0, *, x: int | None = None, y: int | None = None) -> A:
        """Turns the wheel: ``down`` steps (negative: up) and ``right`` steps (negative: left), -100 to 100,
        at (x, y) or where the pointer is."""
        return self._act("scroll", x=x, y=y, scroll_x=right, scroll_y=down)

    def cursor_position(self) -> A:
        """Where the pointer is: the result's ``cursor``."""
        return self._act("cursor_position")

    def wait(self, milliseconds: int = 1000) -> A:
        """Waits 0 to 20000 ms on the computer (lets a page settle between actions)."""
        return self._act("wait", milliseconds=milliseconds)

    def navigate(self, url: str) -> A:
        """Opens ``url`` in the browser: http(s) to a host on the session's allowlist, data: or about:blank."""
        return self._act("navigate", url=url)
