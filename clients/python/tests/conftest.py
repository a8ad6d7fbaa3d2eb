"""Fixtures of the suites: run by ./build.sh test (PythonSdkTests) against a real silo and real desktops.

The .NET fixture sets AGENTCLUSTER_ENDPOINT and AGENTCLUSTER_API_KEY (a tenant's orchestrator key), the
tenant's approver key, a gated tenant's keys (its browser.click waits for a human) and the desktop image."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from agentcluster import AgentCluster, Session  # noqa: E402
from agentcluster.v1 import approvals_pb2, approvals_pb2_grpc  # noqa: E402
import grpc  # noqa: E402


def env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run these suites through ./build.sh test (PythonSdkTests)")
    return value


@pytest.fixture(scope="session")
def image() -> str:
    return env("AGENTCLUSTER_TEST_DESKTOP_IMAGE")


@pytest.fixture(scope="module")
def cluster() -> Iterator[AgentCluster]:
    with AgentCluster() as c:
        yield c


@pytest.fixture(scope="module")
def desk(cluster: AgentCluster, image: str) -> Iterator[Session]:
    """One desktop session shared by a module's cases, killed after them."""
    with cluster.session(image=image, ttl=900, allow_grants=["shop:read", "shop:write"]) as s:
        yield s


class Approver:
    """Decides approvals with an approver key, through the gRPC ApprovalService (no SDK call may decide)."""

    def __init__(self, key: str) -> None:
        self._channel = grpc.insecure_channel(env("AGENTCLUSTER_ENDPOINT").removeprefix("http://"))
        self._stub = approvals_pb2_grpc.ApprovalServiceStub(self._channel)
        self._md = (("authorization", f"Bearer {key}"),)

    def get(self, approval_id: str) -> approvals_pb2.Approval:
        return self._stub.GetApproval(approvals_pb2.GetApprovalRequest(id=approval_id), metadata=self._md)

    def approve(self, approval_id: str, note: str = "looks right") -> approvals_pb2.Approval:
        return self._stub.Approve(approvals_pb2.DecideRequest(id=approval_id, note=note), metadata=self._md)

    def deny(self, approval_id: str, note: str = "not this one") -> approvals_pb2.Approval:
        return self._stub.Deny(approvals_pb2.DecideRequest(id=approval_id, note=note), metadata=self._md)

    def close(self) -> None:
        self._channel.close()


@pytest.fixture(scope="module")
def approver() -> Iterator[Approver]:
    a = Approver(env("AGENTCLUSTER_TEST_APPROVER_KEY"))
    yield a
    a.close()
