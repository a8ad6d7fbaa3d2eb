"""The ``grpc.aio`` twin of :mod:`agentcluster.session`: the same calls, awaited."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from . import model
from .channel import Stubs, open_channel
from .computer import Computer
from .errors import ActionDenied, AgentClusterError, SessionEnded, mapped
from .model import ActResult, DecisionState, Payload, Seconds, SessionInfo
from .v1 import approvals_pb2, computer_pb2, grants_pb2, sessions_pb2


class AsyncAgentCluster:
    """:class:`~agentcluster.AgentCluster` on ``grpc.aio``: ``async with cluster.session(...) as s``."""

    def __init__(self, endpoint: str | None = None, api_key: str | None = None, *, timeout: float | None = 30.0) -> None:
        self._channel, metadata, self.endpoint = open_channel(endpoint, api_key, aio=True)
        self._stubs = Stubs(self._channel, metadata, timeout)

    def session(self, image: str, ttl: Seconds = 600, allow_hosts: list[str] | tuple[str, ...] = (),
                allow_grants: list[str] | tuple[str, ...] = (), *, tenant: str | None = None,
                max_grant_ttl: Seconds | None = None, start_url: str | None = None) -> contextlib.AbstractAsyncContextManager[AsyncSession]:
        """A Ready session for the ``async with`` block, killed when it ends, by return or by exception."""
        return self._managed(image, ttl, allow_hosts, allow_grants, tenant, max_grant_ttl, start_url)

    @contextlib.asynccontextmanager
    async def _managed(self, *args: Any) -> AsyncIterator[AsyncSession]:
        s = await self.create_session(*args)
        try:
            yield s
        except BaseException as e:
            with contextlib.suppress(AgentClusterError):
                await s.kill(f"the controller's block raised {type(e).__name__}")
            raise
        await s.kill("the controller's block ended")

    async def create_session(self, image: str, ttl: Seconds = 600, allow_hosts: list[str] | tuple[str, ...] = (),
                             allow_grants: list[str] | tuple[str, ...] = (), tenant: str | None = None,
                             max_grant_ttl: Seconds | None = None, start_url: str | None = None) -> AsyncSession:
        """A Ready session; raises :class:`SessionEnded` if it failed to start."""
        request = model.create_request(image, ttl, allow_hosts, allow_grants, tenant, max_grant_ttl, start_url)
        with mapped():
            created = await self._stubs.sessions.CreateSession(request, metadata=self._stubs.metadata)
        session = AsyncSession(self._stubs, created.id)
        if created.state != "Ready":
            with contextlib.suppress(AgentClusterError):
                await session.kill("it did not start")
            raise SessionEnded(f"session {created.id} is {created.state}: {created.reason}")
        return session

    def attach(self, session_id: str) -> AsyncSession:
        return AsyncSession(self._stubs, session_id)

    async def close(self) -> None:
        await self._channel.close()

    async def __aenter__(self) -> AsyncAgentCluster:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


class AsyncSession(Computer[Awaitable[ActResult], Awaitable[bytes]]):
    """:class:`~agentcluster.Session`, awaited."""

    def __init__(self, stubs: Stubs, session_id: str) -> None:
        self._stubs = stubs
        self.id = session_id

    async def info(self) -> SessionInfo:
        with mapped():
            return SessionInfo.of(await self._stubs.sessions.GetSession(sessions_pb2.GetSessionRequest(id=self.id), **self._stubs.quick()))

    async def kill(self, reason: str = "killed by the controller") -> SessionInfo:
        with mapped():
            return SessionInfo.of(await self._stubs.sessions.KillSession(
                sessions_pb2.KillSessionRequest(id=self.id, reason=reason), **self._stubs.quick()))

    async def extend(self, ttl: Seconds) -> SessionInfo:
        with mapped():
            return SessionInfo.of(await self._stubs.sessions.ExtendSession(
                sessions_pb2.ExtendSessionRequest(id=self.id, ttl=model.duration(ttl)), **self._stubs.quick()))

    async def grant(self, resource: str, action: str, ttl: Seconds | None = None) -> str:
        with mapped():
            return str((await self._stubs.grants.RequestGrant(model.grant_request(self.id, resource, action, ttl), **self._stubs.quick())).token)

    async def revoke_grants(self) -> int:
        with mapped():
            return int((await self._stubs.grants.RevokeGrants(grants_pb2.RevokeGrantsRequest(session=self.id), **self._stubs.quick())).revoked)

    async def authorize(self, action: str, payload: Payload) -> AsyncDecision:
        body = model.payload_bytes(payload)
        with mapped():
            r = await self._stubs.actions.Authorize(approvals_pb2.AuthorizeRequest(session=self.id, action=action, payload=body),
                                                    **self._stubs.quick())
        return AsyncDecision(self._stubs, **model.decision_state(action, body, r))

    async def watch_frames(self, interval_ms: int = 1000, max_frames: int = 60, scale: float | None = None) -> AsyncIterator[bytes]:
        request = computer_pb2.WatchFramesRequest(session=self.id, interval_ms=interval_ms, max_frames=max_frames, scale=scale or 0)
        with mapped():
            async for frame in self._stubs.computer.WatchFrames(request, metadata=self._stubs.metadata):
                yield bytes(frame.png)

    async def act(self, action: str, on_held: Callable[[str], None] | None = None, **fields: Any) -> ActResult:
        request = model.act_request(self.id, action, **fields)
        with mapped():
            if on_held is None:
                return ActResult.of(await self._stubs.computer.Act(request, metadata=self._stubs.metadata))
            call = self._stubs.act_with_headers(request, metadata=self._stubs.metadata)
            if (approval := model.held_approval(await call.initial_metadata())) is not None:
                on_held(approval)
            return ActResult.of(await call.read())

    def _act(self, action: str, **fields: Any) -> Awaitable[ActResult]:
        return self.act(action, **fields)

    async def _png(self, scale: float | None, region: tuple[int, int, int, int] | None, changed_from: str = "", wait_ms: int = 0) -> bytes:
        request = model.screenshot_request(self.id, scale, region, changed_from, wait_ms)
        with mapped():
            return bytes((await self._stubs.computer.Screenshot(request, metadata=self._stubs.metadata)).png)


class AsyncDecision(DecisionState):
    """:class:`~agentcluster.Decision`, awaited."""

    def __init__(self, stubs: Stubs, **state: Any) -> None:
        super().__init__(**state)
        self._stubs = stubs

    async def wait(self, on_progress: Callable[[AsyncDecision], None] | None = None) -> AsyncDecision:
        if self.pending:
            with mapped():
                async for approval in self._stubs.actions.WaitForDecision(
                        approvals_pb2.WaitForDecisionRequest(approval_id=self.approval_id), metadata=self._stubs.metadata):
                    self.update(approval)
                    if self.pending and on_progress is not None:
                        on_progress(self)
        if not self.allowed:
            raise ActionDenied(model.denied(self))
        return self

    async def complete(self, outcome: str = "succeeded") -> None:
        if not self.approval_id:
            return
        request = approvals_pb2.CompleteRequest(approval_id=self.approval_id, payload_sha256=model.payload_sha256(self.payload), outcome=outcome)
        with mapped():
            await self._stubs.actions.Complete(request, **self._stubs.quick())
