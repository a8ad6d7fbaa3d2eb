"""examples/computer_use_loop.py end to end: it opens the shop, types, gets a grant, is held at the gate
before Buy, and ends when an approver decides (approved: it buys; denied: it does not)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from agentcluster.picture import Picture, decode, first_row, near
from conftest import Approver, env

HERE = Path(__file__).resolve().parent.parent
HEADER, AMBER, GREEN = (30, 60, 140), (255, 200, 0), (0, 170, 80)


def run_example(out: Path, decide: str, approver: Approver) -> tuple[int, list[str]]:
    """Runs the example, and once it says it is held, has the approver decide; returns its exit code and lines."""
    shutil.rmtree(out, ignore_errors=True)
    process = subprocess.Popen([sys.executable, str(HERE / "examples" / "computer_use_loop.py"), "--out", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=os.environ.copy())
    lines: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            print(line, end="")
            if held := re.search(r"held: approval (\S+) waits", line):
                # The example holds here until someone decides: what it saved so far shows the held purchase.
                assert (out / f"{held_step(lines)}-held.png").is_file()
                (approver.approve if decide == "approve" else approver.deny)(held.group(1), f"{decide}d by the test")
        return process.wait(timeout=120), lines
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def held_step(lines: list[str]) -> str:
    return next(re.search(r"screenshot (\d+)-held\.png", l).group(1) for l in lines if "-held.png" in l)  # type: ignore[union-attr]


def shot(out: Path, name: str) -> Picture:
    [path] = out.glob(f"[0-9][0-9]-{name}.png")
    return decode(path.read_bytes())


def panel(picture: Picture) -> tuple[int, int, int]:
    """The colour of the review panel (page y 360-580), a point clear of its text and button."""
    top = first_row(picture, HEADER)
    assert top is not None, "the shop's header is not on the screen"
    return picture.pixel(1000, top + 500)


@pytest.fixture()
def results() -> Path:
    return Path(env("AGENTCLUSTER_TEST_RESULTS")) / "example"


def test_the_example_is_held_at_the_gate_and_buys_once_approved(results: Path, approver: Approver) -> None:
    out = results / "approved"
    code, lines = run_example(out, "approve", approver)
    text = "\n".join(lines)
    assert code == 0, text
    for expected in ["is Ready", "controller: open the shop", "screenshot 01-shop.png", "type the customer's name",
                     "grant shop:write for 60 s: stub token agc_", "gate: payment.charge is Irreversible: pending",
                     "held: approval ", "approved by ", "model: click Buy", "purchase is reported complete"]:
        assert expected in text, f"the output lacks {expected!r}:\n{text}"
    assert re.search(r"agc_[A-Za-z0-9_-]{20,}", text) is None, "the stub token is printed whole"
    shop = shot(out, "shop")
    assert first_row(shop, HEADER) is not None and not near(panel(shop), AMBER)
    assert near(panel(shot(out, "held")), AMBER), "the held screen shows the order under review, not bought"
    assert near(panel(shot(out, "bought")), GREEN), "after the approval Buy was clicked"


def test_the_example_does_not_buy_when_the_approver_denies(results: Path, approver: Approver) -> None:
    out = results / "denied"
    code, lines = run_example(out, "deny", approver)
    text = "\n".join(lines)
    assert code == 2, text
    assert "denied: approval " in text and "model: click Buy" not in text
    assert near(panel(shot(out, "not-bought")), AMBER)
    assert not list(out.glob("[0-9][0-9]-bought.png"))
