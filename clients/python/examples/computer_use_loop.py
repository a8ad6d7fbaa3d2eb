#!/usr/bin/python3
"""A computer-use agent loop on AgentCluster, with a scripted stand-in for the model.

The "model" emits Anthropic computer-use tool calls; the controller runs them with the SDK's adapter on a
desktop session, asks the broker for a stub token instead of handing the agent a card, and sends the one
irreversible step (the purchase) through the approval gate: the loop is held until a human approves it,
e.g. ``agentctl approvals approve <id>``, and only then clicks Buy. Each step is printed and each screen saved.

    python3 examples/computer_use_loop.py --out shots/            # the bundled shop page
    python3 examples/computer_use_loop.py --shop-url http://127.0.0.1:8080/   # a shop the session reaches

Endpoint and key: AGENTCLUSTER_ENDPOINT and AGENTCLUSTER_API_KEY (an orchestrator key), as agentctl reads them.
Exit code 0 when the purchase was approved and made, 2 when an approver denied it (or nobody decided in time).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable, TypeVar
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agentcluster import ActionDenied, AgentCluster, Session  # noqa: E402
from agentcluster.adapters import run_anthropic_tool_call  # noqa: E402
from agentcluster.picture import Picture, decode, first_row, near  # noqa: E402

T = TypeVar("T")

HEADER = (30, 60, 140)
PATIENCE = 60  # seconds a page may take to show
REVIEWING, BOUGHT = (255, 200, 0), (0, 170, 80)
PANEL_Y = 500  # a page row of the order panel, clear of its text and button at x=1000
ITEM, PRICE, CUSTOMER = "Blue mug", "12.00", "Ada Lovelace"
# The shop's layout, in page pixels (the page starts below the browser's bars, found on the first screenshot).
NAME_FIELD, TOKEN_FIELD, REVIEW, BUY = (240, 162), (240, 232), (140, 305), (140, 490)
SHOP = (
    "<body style=\"margin:0;font:20px sans-serif;background:rgb(245,245,240)\">"
    "<div style=\"height:60px;background:rgb(30,60,140);color:white;font-size:28px;line-height:60px;padding-left:40px\">Tiny Shop</div>"
    f"<div style=\"position:absolute;left:40px;top:85px\">{ITEM} - EUR {PRICE}</div>"
    "<input id=n placeholder=Name style=\"position:absolute;left:40px;top:140px;width:400px;height:44px;font-size:20px\">"
    "<input id=t placeholder=\"Payment token\" style=\"position:absolute;left:40px;top:210px;width:400px;height:44px;font-size:20px\">"
    "<button onclick=\"document.getElementById('r').style.display='block';document.getElementById('w').textContent="
    "'Confirm: " + ITEM + " for EUR " + PRICE + " to '+document.getElementById('n').value\" "
    "style=\"position:absolute;left:40px;top:280px;width:200px;height:50px;font-size:20px\">Review order</button>"
    "<div id=r style=\"display:none;position:absolute;left:0;top:360px;width:100%;height:220px;background:rgb(255,200,0)\">"
    "<div id=w style=\"position:absolute;left:40px;top:30px;font-size:24px\"></div>"
    "<button onclick=\"document.getElementById('r').style.background='rgb(0,170,80)';"
    "document.getElementById('w').textContent='Order placed: " + ITEM + " for '+document.getElementById('n').value\" "
    "style=\"position:absolute;left:40px;top:100px;width:200px;height:60px;font-size:24px\">Buy</button></div></body>"
)


def scripted_model(top: int, token: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """What a model would emit for "buy a blue mug for Ada", one tool call at a time, with its reason."""
    def at(point: tuple[int, int]) -> list[int]:
        return [point[0], top + point[1]]
    yield "click the Name field", {"action": "left_click", "coordinate": at(NAME_FIELD)}
    yield f"type the customer's name ({CUSTOMER})", {"action": "type", "text": CUSTOMER}
    yield "click the Payment token field", {"action": "left_click", "coordinate": at(TOKEN_FIELD)}
    yield "type the stub token the broker issued", {"action": "type", "text": token}
    yield "click Review order", {"action": "left_click", "coordinate": at(REVIEW)}
    yield "click Buy", {"action": "left_click", "coordinate": at(BUY)}


class Loop:
    """Runs the model's tool calls on the session, saving the screen after each one."""

    def __init__(self, session: Session, out: Path) -> None:
        self.session, self.out, self.step = session, out, 0

    def say(self, text: str) -> None:
        print(f"[{self.step:02d}] {text}", flush=True)

    def save(self, name: str, png: bytes) -> Path:
        path = self.out / f"{self.step:02d}-{name}.png"
        path.write_bytes(png)
        self.say(f"screenshot {path.name}")
        return path

    def look_for(self, find: Callable[[Picture], T | None], what: str) -> tuple[T, bytes]:
        """Looks at the screen until ``find`` sees something (the browser may still be typing or drawing):
        the model would wait a second and look again."""
        for _ in range(PATIENCE):
            png = self.session.screenshot()
            if (found := find(decode(png))) is not None:
                return found, png
            self.session.wait(1000)
        raise RuntimeError(f"{what} did not show within {PATIENCE} s")

    def run(self, why: str, tool_input: dict[str, Any], name: str) -> bytes:
        self.step += 1
        shown = {**tool_input, "text": f"<{len(tool_input['text'])} characters>"} if why.startswith("type the stub") else tool_input
        self.say(f"model: {why}: {json.dumps(shown)}")
        result = run_anthropic_tool_call(self.session, {"type": "tool_use", "id": f"toolu_{self.step:02d}", "input": tool_input})
        if result.get("is_error"):
            raise RuntimeError(result["content"][0]["text"])
        png = base64.b64decode(result["content"][-1]["source"]["data"])
        self.save(name, png)
        return png


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--image", default=os.environ.get("AGENTCLUSTER_TEST_DESKTOP_IMAGE", "agentcluster/desktop:local"))
    parser.add_argument("--shop-url", help="a shop page the session's browser reaches through its egress proxy")
    parser.add_argument("--out", type=Path, default=Path("computer-use-screens"))
    parser.add_argument("--ttl", type=int, default=600, help="session TTL in seconds")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    url = args.shop_url or "data:text/html," + SHOP
    allow = [urlsplit(args.shop_url).netloc] if args.shop_url else []

    with AgentCluster() as cluster, cluster.session(image=args.image, ttl=args.ttl, allow_hosts=allow,
                                                    allow_grants=["shop:write"]) as s:
        loop = Loop(s, args.out)
        loop.say(f"session {s.id} is Ready ({args.image})")
        loop.step += 1
        loop.say("controller: open the shop")
        s.navigate(url)
        top, png = loop.look_for(lambda shot: first_row(shot, HEADER), "the shop")
        loop.save("shop", png)
        loop.say(f"model: the shop is on screen (its page starts at y={top})")

        token = s.grant("shop", "write", ttl=60)
        loop.say(f"controller: grant shop:write for 60 s: stub token {token[:8]}... (the proxy swaps it for the real key)")
        steps = scripted_model(top, token)
        # The names first: zip stops at the shorter before it takes the next (the Buy) step from the model.
        for name, (why, tool_input) in zip(["field", "name", "token-field", "token", "review"], steps):
            loop.run(why, tool_input, name)
        panel = (1000, top + PANEL_Y)
        loop.look_for(lambda shot: near(shot.pixel(*panel), REVIEWING, 8) or None, "the order review")

        why, buy = next(steps)
        payload = {"item": ITEM, "amount": PRICE, "currency": "EUR", "customer": CUSTOMER, "shop": urlsplit(url).netloc or "bundled page"}
        decision = s.authorize("payment.charge", payload)
        loop.step += 1
        loop.say(f"gate: payment.charge is {decision.risk}: {decision.status}")
        if decision.pending:
            loop.save("held", s.screenshot())
            loop.say(f"held: approval {decision.approval_id} waits for an approver "
                     f"(agentctl approvals approve {decision.approval_id})")
        try:
            decision.wait(on_progress=lambda d: loop.say(f"still {d.status}"))
        except ActionDenied as e:
            loop.say(f"denied: {e}; Buy is not clicked")
            loop.save("not-bought", s.screenshot())
            return 2
        loop.say(f"approved by {decision.decided_by or 'an approver'}")
        loop.run(why, buy, "buy")
        loop.save("bought", loop.look_for(lambda shot: near(shot.pixel(*panel), BOUGHT, 8) or None, "the order placed")[1])
        decision.complete("succeeded")
        loop.say("controller: the purchase is reported complete; the session is killed on leaving the block")
    return 0


if __name__ == "__main__":
    sys.exit(main())
