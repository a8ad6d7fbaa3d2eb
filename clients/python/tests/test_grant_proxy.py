"""A grant from the SDK is a real stub token: the real egress proxy swaps it for the tenant's secret on the way to a
real upstream on loopback, and stops once the session's grants are revoked."""

from __future__ import annotations

import base64
import socket
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from agentcluster import AgentCluster
from conftest import env

SECRET = "sk_test_python_sdk_shop"


class Shop(BaseHTTPRequestHandler):
    """Records the Authorization header of every request and answers 200."""

    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        Shop.seen.append(self.headers.get("Authorization", ""))
        body = b"one blue mug"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def shop() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Shop)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def proxy_credential(host: str, container_id: str) -> tuple[str, str]:
    """The session's proxy user and secret, read where the sandbox reads them: its container's HTTP_PROXY."""
    endpoints = env("AGENTCLUSTER_TEST_DOCKER_HOSTS").split(",")
    out = subprocess.run(["docker", "-H", endpoints[int(host[1:])], "inspect", "-f", "{{range .Config.Env}}{{println .}}{{end}}",
                          container_id], capture_output=True, text=True, check=True).stdout
    proxy = urlsplit(next(line.split("=", 1)[1] for line in out.splitlines() if line.startswith("HTTP_PROXY=")))
    assert proxy.username and proxy.password
    return proxy.username, proxy.password


def through_proxy(port: int, credential: tuple[str, str], token: str) -> bytes:
    """A GET to the shop through the proxy, as the sandbox would send it, with the stub token."""
    basic = base64.b64encode(f"{credential[0]}:{credential[1]}".encode()).decode()
    request = (f"GET http://127.0.0.1:{port}/buy HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nProxy-Authorization: Basic {basic}\r\n"
               f"Authorization: Bearer {token}\r\nConnection: close\r\n\r\n")
    with socket.create_connection(("127.0.0.1", int(env("AGENTCLUSTER_TEST_PROXY_PORT"))), timeout=30) as conn:
        conn.sendall(request.encode())
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    return answer


def test_the_proxy_swaps_the_sdk_grant_for_the_secret_until_it_is_revoked(shop: int) -> None:
    # A plain sandbox: a desktop's credential never enters its environment (its computer server is
    # handed it over the channel), and this test sends what the sandbox would send itself.
    image = env("AGENTCLUSTER_TEST_IMAGE")
    with AgentCluster() as cluster, cluster.session(image=image, ttl=300, allow_hosts=[f"127.0.0.1:{shop}"],
                                                    allow_grants=["shop:read"]) as s:
        info = s.info()
        credential = proxy_credential(info.host, info.container_id)
        token = s.grant("shop", "read", ttl=60)
        answer = through_proxy(shop, credential, token)
        # The proxy may re-frame the body (chunked): the shop's answer is in it either way.
        assert answer.startswith(b"HTTP/1.1 200") and b"one blue mug" in answer, answer[:200]
        assert Shop.seen[-1] == f"Bearer {SECRET}" and SECRET.encode() not in answer
        assert s.revoke_grants() == 1
        seen = len(Shop.seen)
        answer = through_proxy(shop, credential, token)
        assert SECRET not in "".join(Shop.seen[seen:]) and SECRET.encode() not in answer
