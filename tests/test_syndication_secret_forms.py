"""A secret that travels in a URL's query (Threads' token) is written there percent-encoded, so the request line
urllib3 logs holds its encoded form: that form is as secret as the raw one, and never reaches a log either.
Likewise a line of a secret of several lines (a deploy target's SSH key), which a tool's error may quote."""

from __future__ import annotations

import logging
from urllib.parse import quote, quote_plus

import test_channel_threads as threads_tests
from channel_runs import make_channel, post, statuses, syndicate
from servers.meta import ThreadsServer

from newsroom.kit.credentials import redact

TOKEN = "THAA|odd/token+with=reserved&characters"


def test_a_token_with_reserved_characters_is_hidden_in_every_encoded_form(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    with ThreadsServer(threads_tests.USER, TOKEN) as server:
        channel = make_channel(
            "threads", {"token": TOKEN}, user_id=threads_tests.USER, handle="larkspur", base_url=server.url
        )
        report = syndicate(channel, [post(1)], tmp_path)
    assert statuses(report) == ["posted"], report.summary()
    logged = caplog.text
    assert "access_token=" in logged  # the request lines were logged, with their queries
    for form in (TOKEN, quote(TOKEN, safe=""), quote_plus(TOKEN), quote(TOKEN)):
        assert form not in logged and form not in report.summary()


def test_each_line_of_a_secret_of_several_lines_is_hidden():
    # Shaped like a private key file (a first and last line around the body), but no key at all.
    key = "-- begin test key --\nFAKEKEYBODYnotakeyAAAAfakefakefake0123\n-- end test key --\n"
    said = "rsync: Load key: invalid format near FAKEKEYBODYnotakeyAAAAfakefakefake0123."
    assert redact(said, [key]) == "rsync: Load key: invalid format near [redacted]."
    assert redact("ssh: a key of no lines", ["one-line-token"]) == "ssh: a key of no lines"
