"""Every call of the sync SDK on real desktop sessions: the context manager, the computer, grants and the gate."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from agentcluster import AgentCluster, InvalidArgument, Session
from board import COLOURS, FIELD, LOOK, MOVE_TARGET, PROBE, TYPED, expect, open_board
from conftest import Approver, env
from screen import decode, near, wait_for


def state_of(cluster: AgentCluster, session_id: str) -> str:
    return cluster.attach(session_id).info().state


def test_the_context_manager_yields_a_ready_desktop_and_kills_it_on_exit(cluster: AgentCluster, image: str) -> None:
    with cluster.session(image=image, ttl=timedelta(minutes=5)) as s:
        info = s.info()
        assert (info.id, info.state, info.desktop, info.image) == (s.id, "Ready", True, image)
        assert s.id.startswith("ses_")
        assert info.deadline is not None and info.created_at is not None
        assert timedelta(minutes=4) < info.deadline - info.created_at <= timedelta(minutes=5)
    assert state_of(cluster, s.id) in ("Terminating", "Terminated")


def test_the_context_manager_kills_the_session_on_an_exception(cluster: AgentCluster, image: str) -> None:
    with pytest.raises(RuntimeError, match="the model gave up"):
        with cluster.session(image=image, ttl=300) as s:
            assert s.info().state == "Ready"
            raise RuntimeError("the model gave up")
    info = cluster.attach(s.id).info()
    assert info.state in ("Terminating", "Terminated")
    assert "RuntimeError" in info.reason


def test_a_cluster_admin_names_the_tenant(image: str) -> None:
    tenant = env("AGENTCLUSTER_TEST_TENANT")
    with AgentCluster(api_key=env("AGENTCLUSTER_TEST_ADMIN_KEY")) as admin:
        with admin.session(image=image, ttl=120, tenant=tenant, allow_hosts=["127.0.0.1:9"]) as s:
            info = s.info()
            assert (info.tenant, info.allow_hosts) == (tenant, ["127.0.0.1:9"])


def test_a_start_url_is_the_desktops_first_page_and_one_off_the_allowlist_is_refused(cluster: AgentCluster, image: str) -> None:
    green = (0, 200, 0)
    page = "data:text/html,<body style='margin:0;background:rgb(%d,%d,%d)'></body>" % green
    with cluster.session(image=image, ttl=120, allow_hosts=["127.0.0.1:9"], start_url=page) as s:
        wait_for(s.screenshot, 1000, 600, green, "the start URL's page, with no navigate")
    with pytest.raises(InvalidArgument, match="start url host shop.example:80 is not on the session's allowlist"):
        cluster.create_session(image=image, ttl=120, allow_hosts=["127.0.0.1:9"], start_url="http://shop.example/")


def test_extend_moves_the_deadline(desk: Session) -> None:
    before = desk.info().deadline
    after = desk.extend(timedelta(minutes=20)).deadline
    assert before is not None and after is not None and after > before


def test_screenshot_is_a_png_of_the_whole_screen_scaled_or_a_region(desk: Session) -> None:
    whole = decode(desk.screenshot())
    half = decode(desk.screenshot(scale=0.5))
    part = decode(desk.screenshot(region=(10, 20, 300, 200)))
    assert [(p.width, p.height) for p in (whole, half, part)] == [(1280, 800), (640, 400), (300, 200)]


def test_screenshot_when_changed_answers_with_the_change(desk: Session) -> None:
    open_board(desk)
    look = (LOOK[0], LOOK[1], 1, 1)
    before = desk.screenshot(region=look)
    assert desk.screenshot_when_changed(before, wait_ms=200, region=look) == before
    desk.click(PROBE[0], PROBE[1])
    after = desk.screenshot_when_changed(before, wait_ms=20000, region=look)
    assert after != before and near(decode(after).pixel(0, 0), COLOURS["click"])
    with pytest.raises(InvalidArgument, match="wait_ms 20001 is outside 0-20000"):
        desk.screenshot_when_changed(after, wait_ms=20001, region=look)


def test_navigate_and_click(desk: Session) -> None:
    top = open_board(desk)
    result = desk.click(PROBE[0], PROBE[1])
    expect(desk, "click")
    assert (result.action, result.cursor, result.risk) == ("click", PROBE, "Reversible")


@pytest.mark.parametrize("button", ["double", "triple", "right", "middle"])
def test_click_buttons(desk: Session, button: str) -> None:
    open_board(desk)
    if button == "double":
        desk.double_click(*PROBE)
    else:
        desk.click(*PROBE, button=button)
    expect(desk, button)


def test_type_into_a_field_and_press_a_key(desk: Session) -> None:
    top = open_board(desk)
    desk.click(FIELD[0], top + FIELD[1])
    desk.type(TYPED)
    expect(desk, "typed")
    desk.key("Return")
    expect(desk, "enter")


@pytest.mark.parametrize(("down", "right", "colour"), [(3, 0, "down"), (-3, 0, "up"), (0, 2, "right_scroll"), (0, -2, "left_scroll")])
def test_scroll(desk: Session, down: int, right: int, colour: str) -> None:
    open_board(desk)
    desk.scroll(down, right, x=PROBE[0], y=PROBE[1])
    expect(desk, colour)


def test_move_drag_and_cursor_position(desk: Session) -> None:
    top = open_board(desk)
    desk.move(MOVE_TARGET[0], top + MOVE_TARGET[1])
    expect(desk, "move")
    assert desk.cursor_position().cursor == (MOVE_TARGET[0], top + MOVE_TARGET[1])
    desk.drag(600, top + 500, 800, top + 600)
    expect(desk, "drag")
    assert desk.wait(200).cursor == (800, top + 600)


def test_watch_frames_streams_pngs(desk: Session) -> None:
    frames = list(desk.watch_frames(interval_ms=100, max_frames=2, scale=0.25))
    assert [(p.width, p.height) for p in map(decode, frames)] == [(320, 200), (320, 200)]


def test_grant_returns_a_stub_token_and_revoke_takes_it_back(desk: Session) -> None:
    token = desk.grant("shop", "read", ttl=timedelta(seconds=30))
    assert token.startswith("agc_") and len(token) > 40
    assert desk.revoke_grants() >= 1


def test_authorize_a_reversible_action_is_allowed_at_once(desk: Session) -> None:
    decision = desk.authorize("browser.screenshot", {"why": "look"})
    assert (decision.status, decision.allowed, decision.approval_id) == ("allowed", True, "")
    assert decision.wait() is decision
    decision.complete()  # nothing to report without an approval


def test_authorize_an_irreversible_action_waits_for_an_approver(desk: Session, approver: Approver) -> None:
    payload = {"amount": "12.00", "currency": "EUR", "item": "Blue mug"}
    decision = desk.authorize("payment.charge", payload)
    assert (decision.status, decision.risk, decision.allowed) == ("pending", "Irreversible", False)
    assert json.loads(approver.get(decision.approval_id).redacted_payload) == payload
    approver.approve(decision.approval_id)
    assert decision.wait().status == "approved"
    decision.complete("succeeded")
    assert approver.get(decision.approval_id).outcome == "succeeded"


def test_a_held_action_names_its_approval_and_runs_once_approved(image: str) -> None:
    held: list[str] = []
    gated = Approver(env("AGENTCLUSTER_TEST_GATED_APPROVER_KEY"))
    with AgentCluster(api_key=env("AGENTCLUSTER_TEST_GATED_KEY")) as cluster, cluster.session(image=image, ttl=300) as s:
        open_board(s)

        def approve(approval_id: str) -> None:
            held.append(approval_id)
            gated.approve(approval_id)

        result = s.act("click", on_held=approve, x=PROBE[0], y=PROBE[1])
        expect(s, "click")
    gated.close()
    assert len(held) == 1 and result.approval_id == held[0] and result.risk == "Irreversible"
