"""Small things several channels need: the publication time as people read it, and what counts as this machine."""

from __future__ import annotations

import ipaddress
from datetime import datetime

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def published_at(moment: datetime) -> str:
    """'1 June 2026, 10:00 UTC-04:00': investors and regulators need the exact time and zone, not 'today'."""
    text = f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}, {moment:%H:%M}"
    offset = moment.utcoffset()
    if offset is None:  # the manifest always carries an offset; say so rather than guess one
        return f"{text} (time zone unknown)"
    minutes = round(offset.total_seconds() / 60)
    if minutes == 0:
        return f"{text} UTC"
    sign, minutes = ("+" if minutes > 0 else "-"), abs(minutes)
    return f"{text} UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def is_loopback(host: str) -> bool:
    """True for this machine (localhost, 127.0.0.0/8, ::1): the only place a secret may travel unencrypted."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
