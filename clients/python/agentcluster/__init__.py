"""AgentCluster's Python SDK: sessions with a computer, stub-token grants and the approval gate.

    from agentcluster import AgentCluster
    with AgentCluster().session(image="agentcluster/desktop:local", ttl=300) as s:
        s.navigate("data:text/html,<h1>hi</h1>")
        png = s.screenshot()

The stubs under ``agentcluster.v1`` are generated from ``Protos/`` by ``generate_stubs.py`` at build time.
"""

from __future__ import annotations

try:
    from .v1 import sessions_pb2 as _generated  # noqa: F401
except ImportError as e:  # pragma: no cover - a checkout that was never built
    raise ImportError("agentcluster.v1 (the generated stubs) is missing: run clients/python/generate_stubs.py "
                      "(./build.sh build does)") from e

from .aio import AsyncAgentCluster, AsyncDecision, AsyncSession
from .errors import (ActionDenied, AgentClusterError, AlreadyExists, CredentialUnavailable, DeadlineExceeded,
                     FailedPrecondition, InvalidArgument, NotFound, PermissionDenied, ResourceExhausted, SessionEnded,
                     Unauthenticated, Unavailable)
from .model import ActResult, SessionInfo
from .session import AgentCluster, Decision, Session

__all__ = [
    "AgentCluster", "Session", "Decision", "AsyncAgentCluster", "AsyncSession", "AsyncDecision", "ActResult",
    "SessionInfo", "AgentClusterError", "InvalidArgument", "Unauthenticated", "PermissionDenied",
    "CredentialUnavailable", "ActionDenied", "NotFound", "AlreadyExists", "FailedPrecondition", "SessionEnded",
    "ResourceExhausted", "Unavailable", "DeadlineExceeded",
]
