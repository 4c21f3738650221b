"""A 429 whose wait cannot be read (a malformed Retry-After, a reset that is not a number): nothing was posted,
so it is a rate limit like any other, waited for a default minute; never a crash, never `uncertain`."""

from __future__ import annotations

import math

import pytest
import test_channel_x as x_tests
from channel_runs import ledger_of, post, statuses, syndicate
from servers.loopback import Fault
from servers.x import XServer

from newsroom.syndication.http import retry_after_seconds

MALFORMED = [
    {"Retry-After": "soon"},
    {"Retry-After": "-5"},
    {"Retry-After": "1.5e3x"},
    {"Retry-After": "NaN"},
    {"x-rate-limit-reset": "NaN"},
    {"x-rate-limit-reset": "nan"},
    {"RateLimit-Reset": "inf"},
    {"RateLimit-Reset": "-inf"},
]


@pytest.mark.parametrize("headers", MALFORMED, ids=[f"{k}={v}" for h in MALFORMED for k, v in h.items()])
def test_an_unreadable_wait_is_a_default_minute_and_the_post_goes_out_after_it(headers, tmp_path):
    assert retry_after_seconds(headers, now=1_780_000_000) == 60.0
    with XServer(**x_tests.SECRETS) as server:
        server.faults.append(Fault(429, {"title": "Too Many Requests"}, headers))
        sleeps: list[float] = []
        report = syndicate(x_tests.channel(server), [post(1)], tmp_path, sleeps)
        assert len(server.tweets) == 1
    assert statuses(report) == ["posted"], report.summary()
    assert sleeps == [60.0]
    assert ledger_of(tmp_path).get("post-1", "x").state == "done"


@pytest.mark.parametrize(
    "headers, seconds",
    [
        ({"Retry-After": "7"}, 7.0),
        ({"Retry-After": "1.5"}, 1.5),
        ({"Retry-After": "Thu, 01 Jan 1970 00:00:00 GMT"}, 0.0),  # in the past: no wait
        ({"x-rate-limit-reset": "1780000030"}, 30.0),
        ({"RateLimit-Reset": "12"}, 12.0),
    ],
)
def test_a_readable_wait_is_taken_as_given(headers, seconds):
    waited = retry_after_seconds(headers, now=1_780_000_000)
    assert math.isclose(waited, seconds)
