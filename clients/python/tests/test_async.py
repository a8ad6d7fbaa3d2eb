"""The grpc.aio twin: the same calls, awaited, on a real desktop session."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import grpc
import pytest

from agentcluster import ActionDenied, AsyncAgentCluster, AsyncSession, CredentialUnavailable, NotFound, SessionEnded
from board import COLOURS, FIELD, LOOK, PROBE, START, TYPED, UNCOVERED, URL
from conftest import Approver, env
from screen import decode, near, page_top

UNKNOWN = "ses_" + "0" * 32


async def wait_for(s: AsyncSession, colour: tuple[int, int, int], what: str, at: tuple[int, int] = LOOK) -> int:
    """Screenshots until ``at`` shows ``colour``; returns the page's top row."""
    until = time.monotonic() + 60
    while True:
        shot = decode(await s.screenshot())
        if near(shot.pixel(*at), colour):
            return page_top(shot, colour)
        assert time.monotonic() < until, f"{what}: the page is {shot.pixel(*at)}"
        await asyncio.sleep(0.3)


def run(test: Callable[[AsyncAgentCluster], Awaitable[Any]], api_key: str | None = None) -> Any:
    async def main() -> Any:
        async with AsyncAgentCluster(api_key=api_key) as cluster:
            return await test(cluster)
    return asyncio.run(main())


def test_async_session_acts_grants_authorizes_and_is_killed_on_exit(image: str, approver: Approver) -> None:
    async def test(cluster: AsyncAgentCluster) -> str:
        async with cluster.session(image=image, ttl=300, allow_grants=["shop:write"]) as s:
            assert (await s.info()).state == "Ready"
            await s.navigate(URL)
            await wait_for(s, START, "the board")
            top = await wait_for(s, START, "the board's top with nothing over it", UNCOVERED)
            await s.click(FIELD[0], top + FIELD[1])
            await s.type(TYPED)
            await wait_for(s, COLOURS["typed"], "the typed text")
            await s.key("Return")
            await wait_for(s, COLOURS["enter"], "Enter")
            await s.scroll(3, x=PROBE[0], y=PROBE[1])
            await wait_for(s, COLOURS["down"], "the wheel")
            await s.move(*PROBE)
            assert (await s.cursor_position()).cursor == PROBE
            assert (await s.wait(100)).action == "wait"
            await s.drag(600, top + 500, 800, top + 600)
            await wait_for(s, COLOURS["drag"], "the drag")
            await s.double_click(*PROBE)
            await wait_for(s, COLOURS["double"], "the double click")
            frames = [f async for f in s.watch_frames(interval_ms=100, max_frames=2, scale=0.5)]
            assert [(p.width, p.height) for p in map(decode, frames)] == [(640, 400)] * 2
            assert (await s.extend(400)).state == "Ready"
            assert (await s.grant("shop", "write", 30)).startswith("agc_")
            assert await s.revoke_grants() == 1
            with pytest.raises(CredentialUnavailable):
                await s.grant("shop", "delete")
            decision = await s.authorize("payment.charge", b'{"amount":"5.00"}')
            assert decision.pending and json.loads(approver.get(decision.approval_id).redacted_payload) == {"amount": "5.00"}
            approver.approve(decision.approval_id)
            assert (await decision.wait()).status == "approved"
            await decision.complete("failed")
            assert approver.get(decision.approval_id).outcome == "failed"
            return s.id

    session_id = run(test)
    assert run(lambda c: c.attach(session_id).info()).state in ("Terminating", "Terminated")


def test_async_session_is_killed_on_an_exception_and_then_ended(image: str) -> None:
    ids: list[str] = []

    async def test(cluster: AsyncAgentCluster) -> None:
        async with cluster.session(image=image, ttl=300) as s:
            ids.append(s.id)
            raise KeyError("no such tool")

    with pytest.raises(KeyError):
        run(test)

    async def after(cluster: AsyncAgentCluster) -> None:
        s = cluster.attach(ids[0])
        assert (await s.info()).state in ("Terminating", "Terminated")
        with pytest.raises(SessionEnded) as caught:
            await s.screenshot()
        assert caught.value.code == grpc.StatusCode.FAILED_PRECONDITION
        with pytest.raises(NotFound):
            await cluster.attach(UNKNOWN).info()

    run(after)


def test_async_held_click_and_denied_decision(image: str) -> None:
    gated = Approver(env("AGENTCLUSTER_TEST_GATED_APPROVER_KEY"))

    async def test(cluster: AsyncAgentCluster) -> None:
        async with cluster.session(image=image, ttl=300) as s:
            await s.navigate(URL)
            await wait_for(s, START, "the board")
            held: list[str] = []
            result = await s.act("click", on_held=lambda a: (held.append(a), gated.approve(a)), x=PROBE[0], y=PROBE[1])
            assert held == [result.approval_id]
            await wait_for(s, COLOURS["click"], "the approved click")
            with pytest.raises(ActionDenied):
                await s.act("click", on_held=lambda a: gated.deny(a, "enough"), x=PROBE[0], y=PROBE[1])
            decision = await s.authorize("payment.charge", "text payload")
            gated.deny(decision.approval_id, "no")
            with pytest.raises(ActionDenied):
                await decision.wait()

    try:
        run(test, env("AGENTCLUSTER_TEST_GATED_KEY"))
    finally:
        gated.close()
