"""The synchronous client: :class:`AgentCluster`, its :class:`Session` and :class:`Decision`."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any


from . import model
from .channel import Stubs, open_channel
from .computer import Computer
from .errors import ActionDenied, AgentClusterError, SessionEnded, mapped
from .model import ActResult, DecisionState, Payload, Seconds, SessionInfo
from .v1 import approvals_pb2, computer_pb2, grants_pb2, sessions_pb2


class AgentCluster:
    """A connection to the control plane's gRPC API.

    ``endpoint`` defaults to ``AGENTCLUSTER_ENDPOINT``, then http://127.0.0.1:5080; ``api_key`` to
    ``AGENTCLUSTER_API_KEY``, then ``./data/admin.key``, as ``agentctl`` reads them. ``timeout`` (seconds)
    bounds the quick calls; creating a session, screenshots, actions and waits have none of their own.
    """

    def __init__(self, endpoint: str | None = None, api_key: str | None = None, *, timeout: float | None = 30.0) -> None:
        self._channel, metadata, self.endpoint = open_channel(endpoint, api_key, aio=False)
        self._stubs = Stubs(self._channel, metadata, timeout)

    def session(self, image: str, ttl: Seconds = 600, allow_hosts: list[str] | tuple[str, ...] = (),
                allow_grants: list[str] | tuple[str, ...] = (), *, tenant: str | None = None,
                max_grant_ttl: Seconds | None = None, start_url: str | None = None) -> contextlib.AbstractContextManager[Session]:
        """``with cluster.session(image=…, ttl=…) as s:`` creates a Ready session and kills it when the block
        ends, by return or by exception. ``ttl`` in seconds or a ``timedelta``; ``tenant`` only for a
        cluster-admin key, which must name one; ``start_url`` a desktop's first page, which its browser
        starts on (checked against ``allow_hosts`` as a navigate is)."""
        return self._managed(image, ttl, allow_hosts, allow_grants, tenant, max_grant_ttl, start_url)

    @contextlib.contextmanager
    def _managed(self, *args: Any) -> Iterator[Session]:
        s = self.create_session(*args)
        try:
            yield s
        except BaseException as e:
            with contextlib.suppress(AgentClusterError):
                s.kill(f"the controller's block raised {type(e).__name__}")
            raise
        s.kill("the controller's block ended")

    def create_session(self, image: str, ttl: Seconds = 600, allow_hosts: list[str] | tuple[str, ...] = (),
                       allow_grants: list[str] | tuple[str, ...] = (), tenant: str | None = None,
                       max_grant_ttl: Seconds | None = None, start_url: str | None = None) -> Session:
        """A Ready session that lives until killed or its TTL; raises :class:`SessionEnded` if it failed to start."""
        request = model.create_request(image, ttl, allow_hosts, allow_grants, tenant, max_grant_ttl, start_url)
        with mapped():
            created = self._stubs.sessions.CreateSession(request, metadata=self._stubs.metadata)
        session = Session(self._stubs, created.id)
        if created.state != "Ready":
            with contextlib.suppress(AgentClusterError):
                session.kill("it did not start")
            raise SessionEnded(f"session {created.id} is {created.state}: {created.reason}")
        return session

    def attach(self, session_id: str) -> Session:
        """A handle on an existing session (no call is made)."""
        return Session(self._stubs, session_id)

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> AgentCluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Session(Computer[ActResult, bytes]):
    """One agent session: its computer (see :class:`~agentcluster.computer.Computer`), its grants and its gate."""

    def __init__(self, stubs: Stubs, session_id: str) -> None:
        self._stubs = stubs
        self.id = session_id

    def info(self) -> SessionInfo:
        """The session's state now (``Ready``, ``Terminated``, …), deadline and policy."""
        with mapped():
            return SessionInfo.of(self._stubs.sessions.GetSession(sessions_pb2.GetSessionRequest(id=self.id), **self._stubs.quick()))

    def kill(self, reason: str = "killed by the controller") -> SessionInfo:
        """Hard kill (no grace); idempotent."""
        with mapped():
            return SessionInfo.of(self._stubs.sessions.KillSession(
                sessions_pb2.KillSessionRequest(id=self.id, reason=reason), **self._stubs.quick()))

    def extend(self, ttl: Seconds) -> SessionInfo:
        """New deadline: now + ``ttl``, never past the tenant's maximum from creation."""
        with mapped():
            return SessionInfo.of(self._stubs.sessions.ExtendSession(
                sessions_pb2.ExtendSessionRequest(id=self.id, ttl=model.duration(ttl)), **self._stubs.quick()))

    def grant(self, resource: str, action: str, ttl: Seconds | None = None) -> str:
        """A stub token for ``action`` on ``resource`` (the proxy swaps it for the real secret); ``ttl`` unset:
        the session's maximum. Raises :class:`CredentialUnavailable` when refused."""
        with mapped():
            return str(self._stubs.grants.RequestGrant(model.grant_request(self.id, resource, action, ttl), **self._stubs.quick()).token)

    def revoke_grants(self) -> int:
        """Revokes every grant of the session; returns how many."""
        with mapped():
            return int(self._stubs.grants.RevokeGrants(grants_pb2.RevokeGrantsRequest(session=self.id), **self._stubs.quick()).revoked)

    def authorize(self, action: str, payload: Payload) -> Decision:
        """Asks the gate whether ``action`` may run with exactly ``payload`` (bytes, text, or JSON made of a dict):
        allowed at once, or pending a human's decision (see :meth:`Decision.wait`)."""
        body = model.payload_bytes(payload)
        with mapped():
            r = self._stubs.actions.Authorize(approvals_pb2.AuthorizeRequest(session=self.id, action=action, payload=body),
                                              **self._stubs.quick())
        return Decision(self._stubs, **model.decision_state(action, body, r))

    def watch_frames(self, interval_ms: int = 1000, max_frames: int = 60, scale: float | None = None) -> Iterator[bytes]:
        """A PNG every ``interval_ms`` (100-60000), at most ``max_frames``, while the session lives."""
        request = computer_pb2.WatchFramesRequest(session=self.id, interval_ms=interval_ms, max_frames=max_frames, scale=scale or 0)
        with mapped():
            for frame in self._stubs.computer.WatchFrames(request, metadata=self._stubs.metadata):
                yield bytes(frame.png)

    def act(self, action: str, on_held: Callable[[str], None] | None = None, **fields: Any) -> ActResult:
        """Any action of ComputerService.Act by name; ``on_held`` hears the approval id when the gate holds it."""
        request = model.act_request(self.id, action, **fields)
        with mapped():
            if on_held is None:
                return ActResult.of(self._stubs.computer.Act(request, metadata=self._stubs.metadata))
            call = self._stubs.act_with_headers(request, metadata=self._stubs.metadata)
            if (approval := model.held_approval(call.initial_metadata())) is not None:
                on_held(approval)
            return ActResult.of(next(call))

    def _act(self, action: str, **fields: Any) -> ActResult:
        return self.act(action, **fields)

    def _png(self, scale: float | None, region: tuple[int, int, int, int] | None, changed_from: str = "", wait_ms: int = 0) -> bytes:
        request = model.screenshot_request(self.id, scale, region, changed_from, wait_ms)
        with mapped():
            return bytes(self._stubs.computer.Screenshot(request, metadata=self._stubs.metadata).png)


class Decision(DecisionState):
    """The gate's answer to :meth:`Session.authorize`: ``status`` is allowed, pending, approved, denied or expired."""

    def __init__(self, stubs: Stubs, **state: Any) -> None:
        super().__init__(**state)
        self._stubs = stubs

    def wait(self, on_progress: Callable[[Decision], None] | None = None) -> Decision:
        """Blocks until a human decides (or the deadline denies); returns self, approved or allowed. Raises
        :class:`ActionDenied` when denied or expired. ``on_progress`` hears each pending update."""
        if self.pending:
            with mapped():
                for approval in self._stubs.actions.WaitForDecision(
                        approvals_pb2.WaitForDecisionRequest(approval_id=self.approval_id), metadata=self._stubs.metadata):
                    self.update(approval)
                    if self.pending and on_progress is not None:
                        on_progress(self)
        if not self.allowed:
            raise ActionDenied(model.denied(self))
        return self

    def complete(self, outcome: str = "succeeded") -> None:
        """Reports that the approved action ran (``succeeded`` or ``failed``) with exactly the payload authorized.
        An action allowed without an approval has nothing to report."""
        if not self.approval_id:
            return
        request = approvals_pb2.CompleteRequest(approval_id=self.approval_id, payload_sha256=model.payload_sha256(self.payload), outcome=outcome)
        with mapped():
            self._stubs.actions.Complete(request, **self._stubs.quick())


__all__ = ["AgentCluster", "Session", "Decision"]
