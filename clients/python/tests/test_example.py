"""examples/computer_use_loop.py end to end: it serves its shop on loopback, opens it through the session's
proxy, types, gets a grant, is held at the gate before Buy, and ends when an approver decides (approved: it
buys, and the shop is paid with the tenant's secret the proxy put in place of the stub; denied: it does not)."""

from __future__ import annotations

import hashlib
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
SECRET = "sk_test_python_sdk_shop"  # the tenant's shop secret (PythonNodeFixture)
# The shop's Name and Payment token fields, inside their borders (page pixels, x from 40 to 446).
NAME_FIELD, TOKEN_FIELD = (48, 146, 430, 178), (48, 216, 430, 248)


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
                (approver.approve if decide == "approve" else approver.deny)(held.group(1), f"the test's {decide}")
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


def ink(picture: Picture, field: tuple[int, int, int, int]) -> tuple[list[int], int]:
    """The rows of a field that show text (dark pixels), and how many separate marks its middle text row has."""
    top = first_row(picture, HEADER)
    assert top is not None, "the shop's header is not on the screen"
    x0, y0, x1, y1 = field
    dark = [[max(picture.pixel(x, top + y)) < 100 for x in range(x0, x1)] for y in range(y0, y1)]
    rows = [y0 + i for i, row in enumerate(dark) if any(row)]
    if not rows:
        return [], 0
    middle = dark[(rows[0] + rows[-1]) // 2 - y0]
    return rows, sum(1 for i, d in enumerate(middle) if d and (i == 0 or not middle[i - 1]))


@pytest.fixture()
def results() -> Path:
    return Path(env("AGENTCLUSTER_TEST_RESULTS")) / "example"


def test_the_example_is_held_at_the_gate_and_buys_once_approved(results: Path, approver: Approver) -> None:
    out = results / "approved"
    code, lines = run_example(out, "approve", approver)
    text = "\n".join(lines)
    assert code == 0, text
    for expected in ["is Ready", "controller: open the shop at http://127.0.0.1:", "type the customer's name",
                     "grant shop:write for 300 s: stub token agc_", "gate: payment.charge is Irreversible: pending",
                     "held: approval ", "approved by ", "model: click Buy", "purchase is reported complete"]:
        assert expected in text, f"the output lacks {expected!r}:\n{text}"
    # The page on the first screenshot is the one the shop served: the browser reached it through the proxy.
    assert lines.index("[01] screenshot 01-shop.png") > next(i for i, l in enumerate(lines) if l.startswith("shop: GET / from the proxy"))
    # The shop was paid once, with the key the proxy put in place of the stub: the tenant's secret, never printed.
    paid = f"shop: POST /buy paid with a key that is not the agent's stub (sha256 prefix {hashlib.sha256(SECRET.encode()).hexdigest()[:8]})"
    assert [l for l in lines if l.startswith("shop: POST /buy")] == [paid], text
    assert SECRET not in text and re.search(r"agc_[A-Za-z0-9_-]{20,}", text) is None, "a key or the stub token is printed whole"
    shop = shot(out, "shop")
    assert first_row(shop, HEADER) is not None and not near(panel(shop), AMBER)
    held = shot(out, "held")
    assert near(panel(held), AMBER), "the held screen shows the order under review, not bought"
    # The stub is in a password field: dots on one narrow band, where the name shows letters of a full line's height.
    (token_rows, dots), (name_rows, _) = ink(held, TOKEN_FIELD), ink(held, NAME_FIELD)
    typed = int(re.search(r"type the stub token the broker issued: .*<(\d+) characters>", text).group(1))  # type: ignore[union-attr]
    assert dots == typed and token_rows[-1] - token_rows[0] <= 9, \
        f"the token field shows more than a dot for each of the {typed} characters: rows {token_rows}, {dots} marks"
    assert name_rows and name_rows[-1] - name_rows[0] >= 12, f"the name field shows no letters: rows {name_rows}"
    assert near(panel(shot(out, "bought")), GREEN), "after the approval Buy was clicked, and the shop took the payment"


def test_the_example_does_not_buy_when_the_approver_denies(results: Path, approver: Approver) -> None:
    out = results / "denied"
    code, lines = run_example(out, "deny", approver)
    text = "\n".join(lines)
    assert code == 2, text
    assert "denied: approval " in text and "model: click Buy" not in text
    assert any(l.startswith("shop: GET / from the proxy") for l in lines), text
    assert not [l for l in lines if l.startswith("shop: POST")], "no purchase reached the shop"
    assert near(panel(shot(out, "not-bought")), AMBER)
    assert not list(out.glob("[0-9][0-9]-bought.png"))
