"""Each failure comes back as the exception named for it (never a bare grpc.RpcError), the RpcError kept as its cause."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import grpc
import pytest

import agentcluster
from agentcluster import (ActionDenied, AgentCluster, AgentClusterError, CredentialUnavailable, InvalidArgument, NotFound,
                          PermissionDenied, Session, SessionEnded, Unauthenticated, Unavailable)
from board import PROBE, open_board
from conftest import Approver, env

UNKNOWN = "ses_" + "0" * 32


def raised(kind: type[AgentClusterError], call: Callable[[], Any], code: grpc.StatusCode) -> AgentClusterError:
    with pytest.raises(kind) as caught:
        call()
    assert caught.value.code == code
    assert isinstance(caught.value.__cause__, grpc.RpcError)
    return caught.value


def test_an_unknown_session_is_not_found(cluster: AgentCluster) -> None:
    e = raised(NotFound, cluster.attach(UNKNOWN).info, grpc.StatusCode.NOT_FOUND)
    assert isinstance(e, LookupError)
    raised(NotFound, cluster.attach(UNKNOWN).screenshot, grpc.StatusCode.NOT_FOUND)


def test_a_refused_grant_is_credential_unavailable_and_nothing_more(desk: Session) -> None:
    e = raised(CredentialUnavailable, lambda: desk.grant("vault", "read"), grpc.StatusCode.PERMISSION_DENIED)
    assert isinstance(e, PermissionDenied) and e.detail == "credential_unavailable"


def test_a_navigate_off_the_allowlist_is_permission_denied(desk: Session) -> None:
    e = raised(PermissionDenied, lambda: desk.navigate("http://10.9.8.7/"), grpc.StatusCode.PERMISSION_DENIED)
    assert not isinstance(e, (CredentialUnavailable, ActionDenied))
    assert "allowlist" in e.detail


def test_bad_arguments_are_invalid_argument(desk: Session) -> None:
    e = raised(InvalidArgument, lambda: desk.scroll(down=1000), grpc.StatusCode.INVALID_ARGUMENT)
    assert isinstance(e, ValueError)


def test_a_wrong_key_is_unauthenticated() -> None:
    with AgentCluster(api_key="agc_not_a_key_of_this_cluster") as stranger:
        raised(Unauthenticated, stranger.attach(UNKNOWN).info, grpc.StatusCode.UNAUTHENTICATED)


def test_no_server_is_unavailable() -> None:
    with AgentCluster("http://127.0.0.1:1", api_key="agc_x", timeout=10) as nowhere:
        e = raised(Unavailable, nowhere.attach(UNKNOWN).info, grpc.StatusCode.UNAVAILABLE)
        assert isinstance(e, ConnectionError)


def test_another_tenant_is_not_found_and_an_approver_key_may_not_create(cluster: AgentCluster, image: str) -> None:
    raised(NotFound, lambda: cluster.create_session(image=image, ttl=60, tenant="someone-else"), grpc.StatusCode.NOT_FOUND)
    with AgentCluster(api_key=env("AGENTCLUSTER_TEST_APPROVER_KEY")) as approver_key:
        e = raised(PermissionDenied, lambda: approver_key.create_session(image=image, ttl=60), grpc.StatusCode.PERMISSION_DENIED)
        assert not isinstance(e, (CredentialUnavailable, ActionDenied))


def test_calls_on_a_killed_session_are_session_ended(cluster: AgentCluster, image: str) -> None:
    with cluster.session(image=image, ttl=300) as s:
        pass
    raised(SessionEnded, s.screenshot, grpc.StatusCode.FAILED_PRECONDITION)
    raised(SessionEnded, lambda: s.click(10, 10), grpc.StatusCode.FAILED_PRECONDITION)
    raised(SessionEnded, lambda: s.authorize("payment.charge", {"amount": 1}), grpc.StatusCode.FAILED_PRECONDITION)


def test_a_denied_decision_is_action_denied(desk: Session, approver: Approver) -> None:
    decision = desk.authorize("payment.charge", {"amount": "99.00"})
    approver.deny(decision.approval_id, "too expensive")
    with pytest.raises(ActionDenied, match="denied: too expensive") as caught:
        decision.wait()
    assert caught.value.code is None and isinstance(caught.value, PermissionDenied)
    assert decision.status == "denied"


def test_a_held_action_that_is_denied_is_action_denied(image: str) -> None:
    gated = Approver(env("AGENTCLUSTER_TEST_GATED_APPROVER_KEY"))
    try:
        with AgentCluster(api_key=env("AGENTCLUSTER_TEST_GATED_KEY")) as cluster, cluster.session(image=image, ttl=300) as s:
            open_board(s)
            e = raised(ActionDenied, lambda: s.act("click", on_held=lambda a: gated.deny(a, "no clicks"), x=PROBE[0], y=PROBE[1]),
                       grpc.StatusCode.PERMISSION_DENIED)
            assert "denied" in e.detail
    finally:
        gated.close()


def test_endpoint_and_key_are_checked_before_any_call(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="credentials do not belong"):
        AgentCluster("http://user:secret@127.0.0.1:5080")
    with pytest.raises(ValueError, match="cannot be sent") as caught:
        AgentCluster(api_key="agc_with a space")
    assert "agc_with" not in str(caught.value)
    with pytest.raises(ValueError, match="invalid endpoint"):
        AgentCluster("ftp://127.0.0.1")
    monkeypatch.setenv("AGENTCLUSTER_ENDPOINT", "http://127.0.0.1:1")
    with AgentCluster() as from_env:
        assert from_env.endpoint == "127.0.0.1:1"


def test_every_exception_is_exported_and_an_agent_cluster_error() -> None:
    for name in agentcluster.__all__:
        kind = getattr(agentcluster, name)
        if isinstance(kind, type) and issubclass(kind, Exception):
            assert issubclass(kind, AgentClusterError) and not issubclass(kind, grpc.RpcError)
