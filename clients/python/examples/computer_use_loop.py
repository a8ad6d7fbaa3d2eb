#!/usr/bin/python3
"""A computer-use agent loop on AgentCluster, with a scripted stand-in for the model.

The "model" emits Anthropic computer-use tool calls; the controller runs them with the SDK's adapter on a
desktop session. The example serves a small shop on this machine's loopback, and the session's browser opens
it through the session's egress proxy (the only way out of a sandbox). The controller asks the broker for a
stub token instead of handing the agent the shop's key; the agent types it into the shop's password field,
and the proxy swaps it for the tenant's real secret on the way to the shop. The one irreversible step (the
purchase) goes through the approval gate first: the loop is held until a human approves it, e.g.
``agentctl approvals approve <id>``, and only then clicks Buy. Each step is printed and each screen saved.

    python3 examples/computer_use_loop.py --out shots/                  # serves the shop on 127.0.0.1
    python3 examples/computer_use_loop.py --shop-port 8081              # ... on a port of your choosing
    python3 examples/computer_use_loop.py --shop-url http://shop.example/   # a shop of your own

Endpoint and key: AGENTCLUSTER_ENDPOINT and AGENTCLUSTER_API_KEY (an orchestrator key of a tenant with a
``shop`` secret for the shop's host, e.g. ``127.0.0.1`` with plain HTTP allowed), as agentctl reads them. The
proxy must reach 127.0.0.1 (its ``AgentCluster:Egress:AllowedRanges``). The served shop accepts any Bearer key
that is not a stub token (it cannot know the real one) and prints only a hash prefix of it. The human decides
on the loop's ``payment.charge``: a cluster whose HTTP rules leave the shop's ``POST /buy`` Irreversible (as
every POST is by default) holds that request too at the proxy, as ``http.request``, for a second approval; the
test suites' silo has a rule that makes it RecoverableWithAudit (audited, not held). Exit code 0 when the
purchase was approved and made, 2 when an approver denied it (or nobody decided in time), 1 when the shop did
not take the payment.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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
REVIEWING, BOUGHT, REFUSED = (255, 200, 0), (0, 170, 80), (200, 30, 30)
PANEL_Y = 500  # a page row of the order panel, clear of its text and button at x=1000
ITEM, PRICE, CUSTOMER = "Blue mug", "12.00", "Ada Lovelace"
GRANT_TTL = 300  # seconds: the stub must outlive the wait for a human (the session's grants may live this long)
STUB_PREFIX = "agc_"  # what every stub token starts with
# The shop's layout, in page pixels (the page starts below the browser's bars, found on the first screenshot).
NAME_FIELD, TOKEN_FIELD, REVIEW, BUY = (240, 162), (240, 232), (140, 305), (140, 490)
_printing = threading.Lock()


def log(line: str) -> None:
    """One whole line at a time: the shop's thread prints too."""
    with _printing:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

SHOP = f"""<!doctype html><html><head><meta charset="utf-8"><title>Tiny Shop</title></head>
<body style="margin:0;font:20px sans-serif;background:rgb(245,245,240)">
<div style="height:60px;background:rgb(30,60,140);color:white;font-size:28px;line-height:60px;padding-left:40px">Tiny Shop</div>
<div style="position:absolute;left:40px;top:85px">{ITEM} - EUR {PRICE}</div>
<input id="n" placeholder="Name" autocomplete="off" style="position:absolute;left:40px;top:140px;width:400px;height:44px;font-size:20px">
<input id="t" type="password" placeholder="Payment token" autocomplete="off" style="position:absolute;left:40px;top:210px;width:400px;height:44px;font-size:20px">
<button onclick="review()" style="position:absolute;left:40px;top:280px;width:200px;height:50px;font-size:20px">Review order</button>
<div id="r" style="display:none;position:absolute;left:0;top:360px;width:100%;height:220px;background:rgb(255,200,0)">
<div id="w" style="position:absolute;left:40px;top:30px;font-size:24px"></div>
<button id="b" onclick="buy()" style="position:absolute;left:40px;top:100px;width:200px;height:60px;font-size:24px">Buy</button></div>
<script>
const $ = id => document.getElementById(id);
function review() {{
  $('r').style.display = 'block';
  $('w').textContent = 'Confirm: {ITEM} for EUR {PRICE} to ' + $('n').value;
}}
function paint(colour, text) {{ $('r').style.background = colour; $('w').textContent = text; }}
// Same origin: the browser sends it through the session's proxy like the page itself, stub token and all.
async function buy() {{
  $('b').disabled = true;
  $('w').textContent = 'Paying...';
  try {{
    const answer = await fetch('/buy', {{
      method: 'POST', headers: {{ 'Authorization': 'Bearer ' + $('t').value, 'Content-Type': 'application/json' }},
      body: JSON.stringify({{ item: '{ITEM}', amount: '{PRICE}', currency: 'EUR', customer: $('n').value }}) }});
    if (answer.ok) paint('rgb({BOUGHT[0]},{BOUGHT[1]},{BOUGHT[2]})', 'Order placed: {ITEM} for ' + $('n').value);
    else paint('rgb({REFUSED[0]},{REFUSED[1]},{REFUSED[2]})', 'Payment refused (HTTP ' + answer.status + ')');
  }} catch (e) {{
    paint('rgb({REFUSED[0]},{REFUSED[1]},{REFUSED[2]})', 'Payment failed: ' + e);
  }}
}}
</script></body></html>""".encode()


class Shop(BaseHTTPRequestHandler):
    """The shop: its page, and a /buy that takes any Bearer key but a stub token (a real shop would check its
    own key; this one cannot know the tenant's secret). What it received is printed, never a key itself."""

    paid: list[str] = []  # "key" (a key that is not a stub) or "stub", one per POST /buy

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path != "/":
            self.answer(404, b"not here", "text/plain")
            return
        # The desktop reaches this machine's loopback only through its proxy (its own 127.0.0.1 is its container).
        log(f"shop: GET / from the proxy ({self.client_address[0]})")
        self.answer(200, SHOP, "text/html; charset=utf-8")

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path != "/buy":
            self.answer(404, b"not here", "text/plain")
            return
        key = self.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not key:
            log("shop: POST /buy without a key: 401")
            self.answer(401, b"no key", "text/plain")
        elif key.startswith(STUB_PREFIX):
            Shop.paid.append("stub")
            log("shop: POST /buy came with the agent's stub token, not a key: 402")
            self.answer(402, b"a stub token is not a key", "text/plain")
        else:
            Shop.paid.append("key")
            digest = hashlib.sha256(key.encode()).hexdigest()[:8]
            log(f"shop: POST /buy paid with a key that is not the agent's stub (sha256 prefix {digest})")
            self.answer(200, b"order placed", "text/plain")

    def answer(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass  # the lines above say what matters; the default log would print every request


def serve_shop(port: int) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", port), Shop)
    threading.Thread(target=server.serve_forever, name="shop", daemon=True).start()
    return server


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
        log(f"[{self.step:02d}] {text}")

    def save(self, name: str, png: bytes) -> Path:
        path = self.out / f"{self.step:02d}-{name}.png"
        path.write_bytes(png)
        self.say(f"screenshot {path.name}")
        return path

    def look_for(self, find: Callable[[Picture], T | None], what: str, patience: int = PATIENCE,
                 waiting: Callable[[], None] | None = None) -> tuple[T, bytes]:
        """Looks at the screen until ``find`` sees something (the browser may still be typing or drawing):
        the model would wait a second and look again. ``waiting`` hears once that it is taking a while."""
        for second in range(patience):
            png = self.session.screenshot()
            if (found := find(decode(png))) is not None:
                return found, png
            if second == 15 and waiting is not None:
                waiting()
            self.session.wait(1000)
        raise RuntimeError(f"{what} did not show within {patience} s")

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
    parser.add_argument("--shop-url", help="a shop of your own (its page as this example's), instead of the one it serves")
    parser.add_argument("--shop-port", type=int, default=0, help="the loopback port of the served shop (default: a free one)")
    parser.add_argument("--out", type=Path, default=Path("computer-use-screens"))
    parser.add_argument("--ttl", type=int, default=600, help="session TTL in seconds")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    server = None if args.shop_url else serve_shop(args.shop_port)
    url = args.shop_url or f"http://127.0.0.1:{server.server_address[1]}/"  # type: ignore[union-attr]
    try:
        return shop(args, url, served=server is not None)
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()


def shop(args: argparse.Namespace, url: str, served: bool) -> int:
    host = urlsplit(url).netloc
    with AgentCluster() as cluster, cluster.session(image=args.image, ttl=args.ttl, allow_hosts=[host],
                                                    allow_grants=["shop:write"], max_grant_ttl=GRANT_TTL) as s:
        loop = Loop(s, args.out)
        loop.say(f"session {s.id} is Ready ({args.image}); it may reach {host} through its proxy")
        loop.step += 1
        loop.say(f"controller: open the shop at {url}")
        s.navigate(url)
        top, png = loop.look_for(lambda shot: first_row(shot, HEADER), "the shop")
        loop.save("shop", png)
        loop.say(f"model: the shop is on screen (its page starts at y={top})")

        token = s.grant("shop", "write", ttl=GRANT_TTL)
        loop.say(f"controller: grant shop:write for {GRANT_TTL} s: stub token {token[:8]}... "
                 "(the proxy swaps it for the real key on the way to the shop)")
        steps = scripted_model(top, token)
        # The names first: zip stops at the shorter before it takes the next (the Buy) step from the model.
        for name, (why, tool_input) in zip(["field", "name", "token-field", "token", "review"], steps):
            loop.run(why, tool_input, name)
        panel = (1000, top + PANEL_Y)
        loop.look_for(lambda shot: near(shot.pixel(*panel), REVIEWING, 8) or None, "the order review")

        why, buy = next(steps)
        payload = {"item": ITEM, "amount": PRICE, "currency": "EUR", "customer": CUSTOMER, "shop": host}
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

        def answered(shot: Picture) -> str | None:
            colour = shot.pixel(*panel)
            return "bought" if near(colour, BOUGHT, 8) else "refused" if near(colour, REFUSED, 8) else None

        def slow() -> None:
            loop.say("the shop has not answered yet: the proxy may hold the page's POST /buy for an approver "
                     "as well (http.request; agentctl approvals list)")

        outcome, png = loop.look_for(answered, "the shop's answer", patience=PATIENCE * 5, waiting=slow)
        loop.save(outcome, png)
        if outcome == "refused":
            loop.say("the shop refused the payment: " + (
                "the proxy did not swap the stub token for the key" if "stub" in Shop.paid
                else "the shop heard nothing (the proxy refused the request)" if served and not Shop.paid
                else "see the page"))
            decision.complete("failed")
            return 1
        decision.complete("succeeded")
        loop.say("controller: the purchase is reported complete; the session is killed on leaving the block")
    return 0


if __name__ == "__main__":
    sys.exit(main())
