"""TLS that breaks after the request went (the receiver carried it out, then the connection was corrupted) is an
unknown outcome, never "this try sent nothing": a channel that cannot read back asks a person, and no later run
sends it again. TLS that breaks during the handshake did send nothing: the channel stops for the run."""

from __future__ import annotations

import pytest
import test_channel_webhook as webhook_tests
from channel_runs import ledger_of, post, statuses, syndicate
from servers.loopback import Fault
from servers.smtp import self_signed_certificate
from servers.webhook import WebhookReceiver


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def trusted(certificate, monkeypatch):
    """The test's certificate as the trusted authorities, the way a company's CA bundle is configured."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificate[0]))
    return certificate


def test_tls_corrupted_after_the_request_is_uncertain_and_never_sent_again(trusted, tmp_path):
    receiver = WebhookReceiver(webhook_tests.SECRET)
    address = receiver.serve_tls(*trusted) + receiver.path
    with receiver:
        receiver.faults.append(Fault(action="garble"))
        report = syndicate(webhook_tests.channel(address), [post(1)], tmp_path)
        assert statuses(report) == ["uncertain"], report.summary()
        again = syndicate(webhook_tests.channel(address), [post(1)], tmp_path)
        assert len(receiver.deliveries) == 1
    assert statuses(again) == ["skipped"]
    assert ledger_of(tmp_path).get("post-1", "webhook").state == "uncertain"


def test_a_tls_handshake_that_fails_sent_nothing_and_stops_the_channel(trusted, tmp_path):
    receiver = WebhookReceiver(webhook_tests.SECRET)  # plain HTTP where https is configured: no handshake
    with receiver:
        address = receiver.url.replace("http://", "https://") + receiver.path
        channel = webhook_tests.channel(address)
        report = syndicate(channel, [post(1), post(2)], tmp_path)
        assert receiver.deliveries == []
    assert statuses(report) == ["failed", "deferred"], report.summary()
    assert ledger_of(tmp_path).get("post-1", "webhook") is None  # nothing left: the next run sends it


def test_a_certificate_that_is_not_trusted_sent_nothing_and_stops_the_channel(certificate, tmp_path):
    receiver = WebhookReceiver(webhook_tests.SECRET)
    address = receiver.serve_tls(*certificate) + receiver.path
    with receiver:
        report = syndicate(webhook_tests.channel(address), [post(1), post(2)], tmp_path)  # default trust store
        assert receiver.deliveries == []
    assert statuses(report) == ["failed", "deferred"], report.summary()
    assert ledger_of(tmp_path).get("post-1", "webhook") is None
