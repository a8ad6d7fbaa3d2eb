"""What the calls return, and the request messages both clients (sync and ``grpc.aio``) send."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Union

from google.protobuf.duration_pb2 import Duration

from .v1 import approvals_pb2, computer_pb2, grants_pb2, sessions_pb2

Seconds = Union[int, float, timedelta]
Payload = Union[bytes, str, dict, list]

APPROVAL_HEADER = "agentcluster-approval-id"


def duration(ttl: Seconds | None) -> Duration | None:
    """``ttl`` in seconds or as a ``timedelta``, as a protobuf Duration (None stays None)."""
    if ttl is None:
        return None
    seconds = ttl.total_seconds() if isinstance(ttl, timedelta) else float(ttl)
    if seconds <= 0:
        raise ValueError(f"a ttl must be positive, not {seconds} s")
    d = Duration()
    d.FromTimedelta(timedelta(seconds=seconds))
    return d


def payload_bytes(payload: Payload) -> bytes:
    """The exact bytes an approval is bound to: bytes as given, text as UTF-8, JSON compact with sorted keys."""
    if isinstance(payload, bytes):
        return payload
    if isinstance(payload, str):
        return payload.encode()
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def payload_sha256(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


@dataclass(frozen=True)
class SessionInfo:
    """A session as the control plane sees it."""

    id: str
    tenant: str
    state: str
    image: str
    host: str
    container_id: str
    created_at: datetime | None
    deadline: datetime | None
    reason: str
    allow_hosts: list[str]
    allow_grants: list[str]
    desktop: bool

    @staticmethod
    def of(s: sessions_pb2.Session) -> SessionInfo:
        return SessionInfo(s.id, s.tenant, s.state, s.image, s.host, s.container_id,
                           s.created_at.ToDatetime() if s.HasField("created_at") else None,
                           s.deadline.ToDatetime() if s.HasField("deadline") else None, s.reason,
                           list(s.allow_hosts), list(s.allow_grants), s.desktop)


@dataclass(frozen=True)
class ActResult:
    """One input action, done: where the pointer is now (when the computer says), its risk, and the approval
    it went through when the gate held it."""

    action: str
    cursor: tuple[int, int] | None
    risk: str
    approval_id: str

    @staticmethod
    def of(r: computer_pb2.ActResponse) -> ActResult:
        cursor = (r.cursor_x, r.cursor_y) if r.HasField("cursor_x") and r.HasField("cursor_y") else None
        return ActResult(r.action, cursor, r.risk, r.approval_id)


@dataclass
class DecisionState:
    """The part of a :class:`Decision` both clients share: what Authorize said, and the approval's last state."""

    action: str
    payload: bytes
    status: str
    risk: str
    reason: str
    approval_id: str
    payload_sha256: str
    deadline: datetime | None
    decided_by: str = ""
    note: str = ""
    summary: list[str] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        """True when the action may run: allowed at once, or approved."""
        return self.status in ("allowed", "approved")

    @property
    def pending(self) -> bool:
        return self.status == "pending"

    def update(self, a: approvals_pb2.Approval) -> None:
        self.status, self.decided_by, self.note, self.summary = a.status, a.decided_by, a.note, list(a.summary)


def decision_state(action: str, payload: bytes, r: approvals_pb2.AuthorizeResponse) -> dict[str, Any]:
    return dict(action=action, payload=payload, status=r.decision, risk=r.risk, reason=r.reason,
                approval_id=r.approval_id, payload_sha256=r.payload_sha256,
                deadline=r.deadline.ToDatetime() if r.HasField("deadline") else None)


def create_request(image: str, ttl: Seconds | None, allow_hosts: list[str] | tuple[str, ...],
                   allow_grants: list[str] | tuple[str, ...], tenant: str | None,
                   max_grant_ttl: Seconds | None, start_url: str | None = None) -> sessions_pb2.CreateSessionRequest:
    return sessions_pb2.CreateSessionRequest(tenant=tenant or "", image=image, ttl=duration(ttl),
                                             allow_hosts=list(allow_hosts), allow_grants=list(allow_grants),
                                             max_grant_ttl=duration(max_grant_ttl), start_url=start_url or "")


def grant_request(session: str, resource: str, action: str, ttl: Seconds | None) -> grants_pb2.RequestGrantRequest:
    return grants_pb2.RequestGrantRequest(session=session, resource=resource, action=action, ttl=duration(ttl))


def screenshot_request(session: str, scale: float | None, region: tuple[int, int, int, int] | None,
                       changed_from: str = "", wait_ms: int = 0) -> computer_pb2.ScreenshotRequest:
    area = computer_pb2.ScreenRegion(x=region[0], y=region[1], width=region[2], height=region[3]) if region else None
    return computer_pb2.ScreenshotRequest(session=session, scale=scale or 0, region=area, changed_from=changed_from, wait_ms=wait_ms)


def screen_tag(png: bytes) -> str:
    """A screenshot's tag, as the server makes it: the SHA-256 of its PNG in lowercase hex."""
    return hashlib.sha256(png).hexdigest()


def act_request(session: str, action: str, **fields: Any) -> computer_pb2.ActRequest:
    """An ActRequest; fields that are None are left unset (the server's optional fields)."""
    return computer_pb2.ActRequest(session=session, action=action, **{k: v for k, v in fields.items() if v is not None})


def held_approval(metadata: Any) -> str | None:
    """The approval a held action waits for, from the response headers."""
    for key, value in metadata or ():
        if key == APPROVAL_HEADER and value:
            return str(value)
    return None


def denied(state: DecisionState) -> str:
    why = f": {state.note}" if state.note else ""
    return f"approval {state.approval_id} for {state.action} was {state.status}{why}"
