"""A test page that turns its background a colour per input event, so that a screenshot shows what the
computer did: opened with the SDK's navigate (a data: URL: no '#', no newline)."""

from __future__ import annotations

from typing import Any

from screen import Colour, page_top, wait_for

START: Colour = (90, 120, 150)
COLOURS: dict[str, Colour] = {
    "click": (0, 200, 0), "double": (0, 0, 255), "triple": (0, 200, 200), "right": (255, 0, 255),
    "middle": (255, 128, 0), "drag": (200, 200, 0), "move": (128, 0, 128), "typed": (0, 0, 128),
    "enter": (128, 64, 0), "down": (64, 64, 64), "up": (200, 100, 100), "right_scroll": (100, 200, 100),
    "left_scroll": (100, 100, 200),
}
TYPED = "hello world"
# Where a test clicks, and where it looks: apart, since screenshots show the pointer.
PROBE = (1100, 650)
LOOK = (1200, 300)
UNCOVERED = (640, 210)  # under the address bar's suggestions while they show
FIELD = (250, 35)            # the middle of the text field, in page coordinates
MOVE_TARGET = (950, 350)     # inside the box a bare move colours, in page coordinates


def _c(name: str) -> str:
    return "c(%d,%d,%d)" % COLOURS[name]


HTML = (
    '<body style="margin:0;height:3000px;background:rgb(%d,%d,%d)">' % START
    + '<input id=i style="position:fixed;left:100px;top:20px;width:300px;height:30px"><script>'
    + "var d=[0,0],I=document.getElementById('i');"
    + "function c(r,g,b){document.body.style.background='rgb('+r+','+g+','+b+')'}"
    + "function far(e){return Math.abs(e.clientX-d[0])+Math.abs(e.clientY-d[1])>50}"
    + "onmousedown=function(e){d=[e.clientX,e.clientY];if(e.button==1){e.preventDefault();" + _c("middle") + "}};"
    + "onmouseup=function(e){if(e.button==0&&far(e))" + _c("drag") + "};"
    + "onclick=function(e){if(e.target==I||far(e))return;if(e.detail==3)" + _c("triple") + ";if(e.detail==1)" + _c("click") + "};"
    + "ondblclick=function(){" + _c("double") + "};"
    + "oncontextmenu=function(e){e.preventDefault();" + _c("right") + "};"
    + "onmousemove=function(e){if(e.buttons==0&&e.clientX>900&&e.clientX<1000&&e.clientY>300&&e.clientY<400)" + _c("move") + "};"
    + "I.oninput=function(){if(I.value=='" + TYPED + "')" + _c("typed") + "};"
    + "onkeydown=function(e){if(e.key=='Enter')" + _c("enter") + "};"
    + "onwheel=function(e){if(e.deltaY>0)" + _c("down") + ";else if(e.deltaY<0)" + _c("up")
    + ";else if(e.deltaX>0)" + _c("right_scroll") + ";else if(e.deltaX<0)" + _c("left_scroll") + "};"
    + "</script></body>"
)
URL = "data:text/html," + HTML


def open_board(session: Any) -> int:
    """Opens the board on a sync session; returns the screen row where the page starts. The pointer goes
    to the click point first: navigate puts it back where it was, and over the move box it would colour the page."""
    session.move(*PROBE)
    session.navigate(URL)
    wait_for(session.screenshot, *LOOK, START, "the board's first colour")
    # The address bar's suggestions may still hang over the page's top for a frame after Return.
    return page_top(wait_for(session.screenshot, *UNCOVERED, START, "the board's top with nothing over it"), START)


def expect(session: Any, name: str) -> None:
    """Waits until the board shows the colour of ``name``."""
    wait_for(session.screenshot, *LOOK, COLOURS[name], f"the board's colour for {name}")
