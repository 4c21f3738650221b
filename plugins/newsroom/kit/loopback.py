"""What a server on this machine answers: only requests addressed to this machine by its own name.

A page on any site can have its host name turn into 127.0.0.1 (DNS rebinding): the browser then treats a server
on this machine as that page's own, and lets the page read every answer, an internal or embargoed edition's
pages included, or send it anything. Such a request still names the page's host in its Host header; a request
the writer's own browser sends to the local address names 127.0.0.1 or localhost. So a local server answers only
those (with its own port).
"""

from __future__ import annotations

LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")


def addressed_here(host: str | None, port: int) -> bool:
    """Whether a request's Host header names this machine, and this server's port."""
    return (host or "").lower() in {f"{name}:{port}" for name in LOCAL_NAMES}
