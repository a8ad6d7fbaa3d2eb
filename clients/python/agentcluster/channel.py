"""One channel (sync or ``grpc.aio``) with the bearer key, and the service stubs over it."""

from __future__ import annotations

from typing import Any

import grpc

from .config import resolve_api_key, resolve_endpoint
from .v1 import approvals_pb2_grpc, computer_pb2, computer_pb2_grpc, grants_pb2_grpc, sessions_pb2_grpc

Metadata = tuple[tuple[str, str], ...]


def open_channel(endpoint: str | None, api_key: str | None, *, aio: bool) -> tuple[Any, Metadata, str]:
    """The channel, the metadata every call sends (``authorization: Bearer <key>``) and the target it dials.

    The key travels as call metadata rather than call credentials: grpcio sends call credentials only
    over TLS, and the embedded single-node setup serves h2c."""
    target, tls = resolve_endpoint(endpoint)
    key = resolve_api_key(api_key)
    metadata: Metadata = (("authorization", f"Bearer {key}"),) if key else ()
    module: Any = grpc.aio if aio else grpc
    # The largest message is a screenshot (a few MB at most); room to spare, below a runaway's size.
    options = [("grpc.max_receive_message_length", 64 * 1024 * 1024)]
    channel = (module.secure_channel(target, grpc.ssl_channel_credentials(), options) if tls
               else module.insecure_channel(target, options))
    return channel, metadata, target


class Stubs:
    """The stubs a session uses, the metadata and the deadline of quick calls."""

    def __init__(self, channel: Any, metadata: Metadata, timeout: float | None) -> None:
        self.sessions = sessions_pb2_grpc.SessionServiceStub(channel)
        self.grants = grants_pb2_grpc.GrantServiceStub(channel)
        self.actions = approvals_pb2_grpc.ActionServiceStub(channel)
        self.computer = computer_pb2_grpc.ComputerServiceStub(channel)
        # Act called as a stream of one answer: grpcio hands a unary call's headers over only with its
        # answer, but a held action's headers (the approval id) come first and the answer after a decision.
        self.act_with_headers = channel.unary_stream("/agentcluster.v1.ComputerService/Act",
                                                     request_serializer=computer_pb2.ActRequest.SerializeToString,
                                                     response_deserializer=computer_pb2.ActResponse.FromString)
        self.metadata = metadata
        self.timeout = timeout

    def quick(self) -> dict[str, Any]:
        """Keyword arguments of a call that should answer at once."""
        return {"metadata": self.metadata, "timeout": self.timeout}
