"""A platform address that answers with a redirect, on every HTTP channel type. Redirects are never followed:
a 307/308 would carry the body (Facebook's and Threads' token, Bluesky's app password) and every custom header
to whatever host the answer names, and a 301/302/303 would turn the POST into a GET whose 200 looks like a post.
Nothing reaches the other host, nothing is recorded as posted, and the channel's person is told why."""

from __future__ import annotations

import pytest
from channel_runs import ledger_of, make_channel, post, statuses, syndicate
from servers.loopback import LoopbackServer, Reply

from newsroom.syndication.states import State


class Elsewhere(LoopbackServer):
    """Another host: answers everything as if it had posted it, so a followed redirect would look like success."""

    def handle(self, request):
        return Reply(
            200,
            {
                "id": "1",
                "uri": "at://x/1",
                "url": "https://elsewhere/1",
                "did": "did:plc:x",
                "accessJwt": "jwt",
                "data": {"id": "1"},
                "cid": "c",
            },
            {"x-restli-id": "urn:li:share:1"},
        )


class Redirector(LoopbackServer):
    """The configured address: sends every request on to `target` with `status`."""

    def __init__(self, status: int, target: str):
        super().__init__()
        self.status, self.target = status, target

    def handle(self, request):
        return Reply(self.status, "moved", {"Location": f"{self.target}{request.path}"})


SECRETS = {
    "mastodon": {"token": "mastodon-secret-token-1"},
    "bluesky": {"app_password": "bsky-app-password-1"},
    "linkedin": {"token": "linkedin-secret-token-1"},
    "x": {
        "consumer_key": "x-consumer-key-1",
        "consumer_secret": "x-consumer-secret-1",
        "access_token": "x-access-token-1",
        "access_token_secret": "x-access-secret-1",
    },
    "facebook": {"page_token": "facebook-page-token-1"},
    "threads": {"token": "threads-user-token-1"},
    "webhook": {"secret": "webhook-shared-secret-0123456789abcdef"},
}


def configured(kind: str, address: str):
    if kind in ("slack", "teams"):
        return make_channel(kind, {"webhook_url": f"{address}/hook/secret-path-1?sig=secret-sig-1"}, internal=True)
    options = {
        "mastodon": {"base_url": address},
        "bluesky": {"base_url": address, "handle": "larkspur.test"},
        "linkedin": {"base_url": address, "organization_id": "2414183", "linkedin_version": "202510"},
        "x": {"base_url": address, "handle": "larkspur"},
        "facebook": {"base_url": address, "page_id": "104857600000000"},
        "threads": {"base_url": address, "user_id": "1789", "handle": "larkspur"},
        "webhook": {"url": f"{address}/receiver"},
    }[kind]
    return make_channel(kind, SECRETS[kind], **options)


KINDS = ["mastodon", "bluesky", "linkedin", "x", "facebook", "threads", "webhook", "slack", "teams"]


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("kind", KINDS)
def test_a_redirect_is_never_followed_and_nothing_is_recorded_as_posted(kind, status, tmp_path):
    with Elsewhere() as elsewhere, Redirector(status, elsewhere.url) as redirector:
        channel = configured(kind, redirector.url)
        report = syndicate(channel, [post(1)], tmp_path)
        assert redirector.requests, "the channel never reached its configured address"
        assert elsewhere.requests == [], f"{kind} followed a {status} to another host"
    assert statuses(report) != ["posted"], report.summary()
    record = ledger_of(tmp_path).get("post-1", channel.name)
    assert record is None or record.state != State.DONE
    summary = report.summary()
    assert "redirect" in summary and str(status) in summary, summary
    for secret in [*SECRETS.get(kind, {}).values(), "secret-path-1", "secret-sig-1"]:
        assert secret not in summary


def test_a_moved_address_stops_the_channel_and_the_next_run_tries_again(tmp_path):
    with Elsewhere() as elsewhere, Redirector(308, elsewhere.url) as redirector:
        channel = configured("x", redirector.url)
        report = syndicate(channel, [post(1), post(2)], tmp_path)
        assert len(redirector.requests) == 1  # the channel stopped at the first answer
    assert statuses(report) == ["failed", "deferred"], report.summary()
    assert f"redirecting to {elsewhere.url.split('//')[1]}" in report.summary()
    assert ledger_of(tmp_path).get("post-1", "x") is None  # nothing was carried out: the next run sends it


def test_a_303_to_a_post_may_mean_it_was_carried_out_so_a_person_is_told(tmp_path):
    with Elsewhere() as elsewhere, Redirector(303, elsewhere.url) as redirector:
        report = syndicate(configured("webhook", redirector.url), [post(1)], tmp_path)
    assert statuses(report) == ["uncertain"], report.summary()
    assert ledger_of(tmp_path).get("post-1", "webhook").state == State.UNCERTAIN
