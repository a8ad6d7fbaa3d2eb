"""Where to connect and with which key, resolved as ``agentctl`` resolves them."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

ENDPOINT_VARIABLE = "AGENTCLUSTER_ENDPOINT"
API_KEY_VARIABLE = "AGENTCLUSTER_API_KEY"
DEFAULT_ENDPOINT = "http://127.0.0.1:5080"
# The key a single-node silo writes for its first admin, read from the working folder like agentctl does.
KEY_FILE = Path("data") / "admin.key"


def _non_blank(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def resolve_endpoint(endpoint: str | None) -> tuple[str, bool]:
    """``endpoint``, else ``AGENTCLUSTER_ENDPOINT``, else http://127.0.0.1:5080; returns (host:port, tls)."""
    text = _non_blank(endpoint) or _non_blank(os.environ.get(ENDPOINT_VARIABLE)) or DEFAULT_ENDPOINT
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"invalid endpoint '{text}': expected http://host:port or https://host:port")
    if parts.username is not None or parts.password is not None:
        # Not echoed: whatever is there is a credential.
        raise ValueError("invalid endpoint: credentials do not belong in the URL; pass api_key")
    tls = parts.scheme == "https"
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{host}:{port or (443 if tls else 80)}", tls


def resolve_api_key(api_key: str | None) -> str | None:
    """``api_key``, else ``AGENTCLUSTER_API_KEY``, else ``./data/admin.key`` when readable; trimmed."""
    key = _non_blank(api_key) or _non_blank(os.environ.get(API_KEY_VARIABLE))
    if key is None:
        try:
            key = _non_blank(KEY_FILE.read_text())
        except OSError:
            key = None
    if key is not None and not all("!" <= c <= "~" for c in key):
        # Checked up front, and never quoted: a header library's own message might print the key.
        raise ValueError("the API key contains characters that cannot be sent in a header")
    return key
