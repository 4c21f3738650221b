"""WebSub pings: only changed feeds, form-encoded to a real hub on 127.0.0.1, failures retried next run."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs

import pytest
from servers.background import BackgroundServer

from conftest import run_invoke
from newsroom.feeds.websub import WebSubStateError, ping_changed_feeds
from newsroom.model.language_editions import feed_files
from newsroom.model.settings import load_newsroom

SITE = "https://newsroom.larkspur-energy.example"


@dataclass
class Hub:
    """A WebSub hub on loopback that records every publish request and answers as a test tells it to."""

    url: str = ""
    received: list[dict] = field(default_factory=list)
    status_for: dict[str, int] = field(default_factory=dict)  # feed URL -> HTTP status to answer
    slow: set[str] = field(default_factory=set)  # feed URLs answered only after 2 seconds

    def pinged(self) -> list[str]:
        return [request["hub.url"] for request in self.received]


@pytest.fixture
def hub():
    state = Hub()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            fields = {key: values[0] for key, values in parse_qs(body).items()}
            fields["content-type"] = self.headers["Content-Type"]
            state.received.append(fields)
            if fields.get("hub.url") in state.slow:
                time.sleep(2)
            status = state.status_for.get(fields.get("hub.url"), 204)
            self.send_response(status)
            text = b"" if status == 204 else b"hub says no"
            self.send_header("Content-Length", str(len(text)))
            self.end_headers()
            self.wfile.write(text)

        def log_message(self, *args):
            pass

    with BackgroundServer(Handler) as server:
        state.url = f"{server.url}/"
        yield state


def planned(site) -> tuple[str, ...]:
    """The feeds a build of the site writes, in every language: what a deploy announces."""
    return feed_files(load_newsroom(site.settings()))


@pytest.fixture
def built(site):
    site.post("wind", Title="Wind farm opens", Audience="media, communities")
    site.post(
        "results", Title="Q3 results", Audience="investors", Category="Press releases", Date="2026-10-29 16:05 UTC"
    )
    return site


def test_first_run_pings_every_feed_form_encoded_and_remembers_them(built, hub, tmp_path):
    out = built.build()
    state = tmp_path / "state" / "websub.json"
    report = ping_changed_feeds(out, SITE, hub.url, state, planned(built))

    assert report.ok and len(report.pinged) == 105 and report.unchanged == ()
    assert sorted(hub.pinged()) == sorted(report.pinged)
    assert f"{SITE}/feeds/all.rss.xml" in report.pinged and f"{SITE}/feeds/media/news.json" in report.pinged
    assert not any(url.endswith(".opml") for url in report.pinged)
    assert all(
        r["hub.mode"] == "publish" and r["content-type"] == "application/x-www-form-urlencoded" for r in hub.received
    )
    saved = json.loads(state.read_text())
    assert saved["version"] == 1 and sorted(saved["feeds"]) == sorted(report.pinged)
    assert report.lines()[-1] == "105 pinged, 0 failed, 0 unchanged"


def test_later_runs_ping_only_the_feeds_that_changed(built, hub, tmp_path):
    state = tmp_path / "websub.json"
    ping_changed_feeds(built.build(), SITE, hub.url, state, planned(built))
    hub.received.clear()

    again = ping_changed_feeds(built.build(), SITE, hub.url, state, planned(built))
    assert again.pinged == () and hub.received == [] and len(again.unchanged) == 105

    built.post(
        "results",
        Title="Q3 results",
        Audience="investors",
        Category="Press releases",
        Date="2026-10-29 16:05 UTC",
        Modified="2026-10-30 09:00 UTC",
    )
    changed = ping_changed_feeds(built.build(), SITE, hub.url, state, planned(built))
    expected = {
        f"{SITE}/feeds/{key}{suffix}"
        for key in ("all", "investors", "investors/press-releases", "category/press-releases")
        for suffix in (".rss.xml", ".atom.xml", ".json")
    }
    assert set(changed.pinged) == set(hub.pinged()) == expected


def test_a_failed_ping_is_reported_and_retried_on_the_next_run(built, hub, tmp_path):
    out, state = built.build(), tmp_path / "websub.json"
    refused = f"{SITE}/feeds/media.atom.xml"
    hub.status_for[refused] = 503
    report = ping_changed_feeds(out, SITE, hub.url, state, planned(built))

    assert not report.ok
    assert report.failed == ((refused, "HTTP 503: hub says no"),)
    assert f"FAILED {refused}: HTTP 503: hub says no" in report.lines()
    assert refused not in json.loads(state.read_text())["feeds"]

    del hub.status_for[refused]
    hub.received.clear()
    retry = ping_changed_feeds(out, SITE, hub.url, state, planned(built))
    assert retry.pinged == (refused,) and retry.ok
    assert refused in json.loads(state.read_text())["feeds"]


def test_a_slow_hub_times_out_instead_of_hanging_the_deploy(built, hub, tmp_path):
    out, state = built.build(), tmp_path / "websub.json"
    hub.slow.add(f"{SITE}/feeds/all.json")
    report = ping_changed_feeds(out, SITE, hub.url, state, planned(built), timeout=(2, 0.5))
    assert [(url, reason.split(":")[0]) for url, reason in report.failed] == [(f"{SITE}/feeds/all.json", "ReadTimeout")]
    assert len(report.pinged) == 104


def test_an_unreachable_hub_fails_every_ping_and_records_nothing(built, tmp_path):
    out, state = built.build(), tmp_path / "websub.json"
    report = ping_changed_feeds(out, SITE, "http://127.0.0.1:9/", state, planned(built), timeout=(1, 1))
    assert len(report.failed) == 105 and report.pinged == ()
    assert all(reason.startswith("ConnectionError") for _, reason in report.failed)
    assert not state.exists()


def test_an_unreadable_state_file_stops_the_run_with_its_name(built, hub, tmp_path):
    state = tmp_path / "websub.json"
    state.write_text("{not json")
    with pytest.raises(WebSubStateError, match=r"websub\.json: cannot read the WebSub state"):
        ping_changed_feeds(built.build(), SITE, hub.url, state, planned(built))
    assert hub.received == []


def test_invoke_websub_pings_the_configured_hub_and_exits_non_zero_on_failure(built, hub, tmp_path):
    settings = built.settings_file("publishconf.py")
    with settings.open("a", encoding="utf-8") as file:
        file.write(
            f"NEWSROOM_FEEDS = {{**NEWSROOM_FEEDS, 'hub': {hub.url!r}}}\nNEWSROOM_NOW = '2026-11-26 12:00 UTC'\n"
        )
    built.build()
    state = tmp_path / "websub.json"

    result = run_invoke("websub", "--settings", str(settings), "--state", str(state))
    assert result.returncode == 0, result.stderr
    assert "105 pinged, 0 failed, 0 unchanged" in result.stdout
    assert f"pinged {SITE}/feeds/all.rss.xml" in result.stdout

    state.unlink()
    hub.status_for[f"{SITE}/feeds/all.rss.xml"] = 500
    result = run_invoke("websub", "--settings", str(settings), "--state", str(state))
    assert result.returncode == 1
    assert f"FAILED {SITE}/feeds/all.rss.xml: HTTP 500" in result.stdout
    assert "1 feed(s) not pinged" in result.stderr


LANGUAGES = [{"code": "en", "name": "English", "default": True}, {"code": "fr", "name": "Français"}]


def test_every_languages_feeds_are_pinged_as_the_feed_catalogue_plans_them(built, hub, tmp_path):
    built.overrides["NEWSROOM_TRANSLATION_RULES"] = {"one_language_first": True}
    built.overrides["NEWSROOM_LANGUAGES"] = LANGUAGES
    built.post("wind-fr", Title="Le parc éolien ouvre", Audience="media, communities", Lang="fr", Id="wind")
    out, state = built.build(), tmp_path / "websub.json"
    report = ping_changed_feeds(out, SITE, hub.url, state, planned(built))
    assert report.ok and len(report.pinged) == 2 * 105 and sorted(hub.pinged()) == sorted(report.pinged)
    assert f"{SITE}/feeds/fr/all.rss.xml" in report.pinged and f"{SITE}/feeds/fr/media/news.json" in report.pinged
    # Every feed file the build wrote, in both languages, and nothing else.
    written = {f"{SITE}/{path.relative_to(out).as_posix()}" for path in (out / "feeds").rglob("*") if path.is_file()}
    assert set(report.pinged) == {url for url in written if not url.endswith(".opml")}

    hub.received.clear()
    built.post("wind-fr", Title="Le parc éolien ouvre ses portes", Audience="media", Lang="fr", Id="wind")
    changed = ping_changed_feeds(built.build(), SITE, hub.url, state, planned(built))
    assert changed.pinged and all("/feeds/fr/" in url for url in changed.pinged), changed.pinged


def test_a_stray_feed_file_is_never_announced_and_a_planned_one_missing_is_a_failure(built, hub, tmp_path):
    out, state = built.build(), tmp_path / "websub.json"
    (out / "feeds" / "retired-audience.rss.xml").write_text("<rss/>", encoding="utf-8")
    (out / "feeds" / "media.json").unlink()
    report = ping_changed_feeds(out, SITE, hub.url, state, planned(built))
    assert f"{SITE}/feeds/retired-audience.rss.xml" not in hub.pinged()
    assert report.failed == (
        (f"{SITE}/feeds/media.json", f"not in {out} (expected the build of these settings there)"),
    )
    assert f"{SITE}/feeds/media.json" not in json.loads(state.read_text())["feeds"]
