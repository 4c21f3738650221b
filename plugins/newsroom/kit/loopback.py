"""This machine, by its names: what a local server answers, and where a destination is a local folder.

A page on any site can have its host name turn into 127.0.0.1 (DNS rebinding): the browser then treats a server
on this machine as that page's own, and lets the page read every answer, an internal or embargoed edition's
pages included, or send it anything. Such a request still names the page's host in its Host header; a request
the writer's own browser sends to the local address names 127.0.0.1 or localhost. So a local server answers only
those (with its own port). The same names say that an address is this machine's (Mailman's REST API over plain
http, a deploy over SSH to a folder that is also a local one).
"""

from __future__ import annotations

THIS_MACHINE = frozenset({"127.0.0.1", "localhost", "::1", "localhost.localdomain"})


def is_this_machine(host: str | None) -> bool:
    """Whether a host name (as urlsplit gives it: lower case, IPv6 without brackets) names this machine."""
    return (host or "").lower().rstrip(".") in THIS_MACHINE


def addressed_here(host: str | None, port: int) -> bool:
    """Whether a request's Host header names this machine, and this server's port."""
    name, _, given = (host or "").rpartition(":")
    return given == str(port) and is_this_machine(name.removeprefix("[").removesuffix("]"))
