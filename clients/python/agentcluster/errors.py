"""Exceptions named for what happened. Every gRPC failure of this package is one of them, never a bare
``grpc.RpcError`` (the original is kept as ``__cause__``)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

import grpc


class AgentClusterError(Exception):
    """A call to the control plane failed. ``code`` is the gRPC status (None when no call failed, e.g. a
    decision that came back denied) and ``detail`` the server's message."""

    def __init__(self, detail: str, code: grpc.StatusCode | None = None) -> None:
        super().__init__(detail if code is None else f"{code.name}: {detail}")
        self.code = code
        self.detail = detail


class InvalidArgument(AgentClusterError, ValueError):
    """The request was malformed or out of range; nothing changed."""


class Unauthenticated(AgentClusterError):
    """No API key, or one the cluster does not know."""


class PermissionDenied(AgentClusterError):
    """The key's role or tenant may not do this, or the session's policy refuses it."""


class CredentialUnavailable(PermissionDenied):
    """The broker issued no grant. It says only ``credential_unavailable``; the reason is in the audit log."""


class ActionDenied(PermissionDenied):
    """An approval for the action was denied or expired: the action must not run."""


class NotFound(AgentClusterError, LookupError):
    """No such session, approval or tenant (or another tenant's, which looks the same)."""


class AlreadyExists(AgentClusterError):
    """It exists already."""


class FailedPrecondition(AgentClusterError):
    """The target is in a state that does not allow this (e.g. an approval already decided)."""


class SessionEnded(FailedPrecondition):
    """The session is no longer Ready (killed, expired, failed or lost)."""


class ResourceExhausted(AgentClusterError):
    """A quota or limit was reached."""


class Unavailable(AgentClusterError, ConnectionError):
    """The control plane (or the session's computer) did not answer."""


class DeadlineExceeded(AgentClusterError, TimeoutError):
    """The call ran out of time."""


_BY_CODE: dict[grpc.StatusCode, type[AgentClusterError]] = {
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgument,
    grpc.StatusCode.OUT_OF_RANGE: InvalidArgument,
    grpc.StatusCode.UNAUTHENTICATED: Unauthenticated,
    grpc.StatusCode.PERMISSION_DENIED: PermissionDenied,
    grpc.StatusCode.NOT_FOUND: NotFound,
    grpc.StatusCode.ALREADY_EXISTS: AlreadyExists,
    grpc.StatusCode.FAILED_PRECONDITION: FailedPrecondition,
    grpc.StatusCode.RESOURCE_EXHAUSTED: ResourceExhausted,
    grpc.StatusCode.UNAVAILABLE: Unavailable,
    grpc.StatusCode.DEADLINE_EXCEEDED: DeadlineExceeded,
}

# The server's wording for a session that is not Ready, and for a held action that was refused.
_ENDED = re.compile(r"^session \S+ (has ended|is not Ready|is \w+, not Ready)")
_APPROVAL = re.compile(r"^approval \S+ ")


def from_rpc(error: grpc.RpcError) -> AgentClusterError:
    """The exception for a failed call (status code first; the message only tells cases of one code apart)."""
    code: grpc.StatusCode = error.code()  # type: ignore[attr-defined]
    detail: str = error.details() or code.name  # type: ignore[attr-defined]
    kind = _BY_CODE.get(code, AgentClusterError)
    if code == grpc.StatusCode.PERMISSION_DENIED:
        if detail == "credential_unavailable":
            kind = CredentialUnavailable
        elif _APPROVAL.match(detail):
            kind = ActionDenied
    elif code == grpc.StatusCode.FAILED_PRECONDITION and _ENDED.match(detail):
        kind = SessionEnded
    return kind(detail, code)


@contextlib.contextmanager
def mapped() -> Iterator[None]:
    """Turns a ``grpc.RpcError`` raised inside (sync or ``grpc.aio``) into its named exception."""
    try:
        yield
    except grpc.RpcError as e:
        raise from_rpc(e) from e
