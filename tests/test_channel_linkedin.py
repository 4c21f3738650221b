"""LinkedIn, against a loopback Posts API that enforces LinkedIn's documented rules and reads the commentary the
way LinkedIn does (cutting it at the first unescaped reserved character)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from channel_runs import ledger_of, make_channel, post, statuses, syndicate
from servers.linkedin import Fault, LinkedInServer, read_little

from newsroom.kit.settings import SettingsProblems
from newsroom.model.settings import load_newsroom
from newsroom.syndication.channels.linkedin import little
from newsroom.syndication.config import load_config

TOKEN = "AQV-linkedin-secret-token"
RESERVED = "\\|{}@[]()<>#*_~"


@pytest.fixture
def linkedin():
    with LinkedInServer(TOKEN) as server:
        yield server


def channel(server=None, **options):
    settings = {"organization_id": "2414183", "linkedin_version": "202510", **options}
    if server:
        settings["base_url"] = server.url
    return make_channel("linkedin", {"token": TOKEN}, **settings)


# --- the little format and the message (pure) ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        RESERVED,
        "Q3 (record) results: revenue +12% [GAAP] <2026> @Larkspur #1 *final* ~approx~ a_b {x|y} C:\\data",
        "风电场 (东部) 🌬️ 👨‍👩‍👧‍👦 — مزرعة الرياح [٢٠٢٦] נמשיך (לצמוח)",
        "\\\\(already escaped?\\)",
    ],
    ids=["only-reserved", "latin", "cjk-emoji-rtl", "backslashes"],
)
def test_every_reserved_character_is_escaped_so_linkedin_shows_the_whole_text(text):
    escaped = little(text)
    assert read_little(escaped) == (text, False)
    assert sum(escaped.count(f"\\{c}") for c in RESERVED) >= sum(text.count(c) for c in RESERVED)


def test_little_golden_text():
    assert little("Q3 (up) #1 a_b \\ @x [y] {z} <w> *v* ~u~ |t") == (
        "Q3 \\(up\\) \\#1 a\\_b \\\\ \\@x \\[y\\] \\{z\\} \\<w\\> \\*v\\* \\~u\\~ \\|t"
    )


def test_render_golden_commentary_with_hashtags_and_article_card():
    message = channel().render(
        post(
            title="Kessler Ridge (240 MW) is #1",
            summary="Wind_power for 风电场 🌬️ and مزرعة <now>.",
            tags=("wind power", "Q3", "net_zero"),
        )
    )
    assert message.text == (
        "Kessler Ridge \\(240 MW\\) is \\#1\n\nWind\\_power for 风电场 🌬️ and مزرعة \\<now\\>.\n\n#WindPower #Q3 #Netzero"
    )
    assert (message.length, message.limit) == (len(message.text.encode("utf-16-le")) // 2, 3000)
    assert message.extras["article"] == {
        "source": "https://newsroom.larkspur-energy.com/news/2026/post-1/",
        "title": "Kessler Ridge (240 MW) is #1",  # card fields are plain strings, not little text
        "description": "Wind_power for 风电场 🌬️ and مزرعة <now>.",
    }
    assert read_little(message.text) == (
        "Kessler Ridge (240 MW) is #1\n\nWind_power for 风电场 🌬️ and مزرعة <now>.\n\n#WindPower #Q3 #Netzero",
        False,
    )


def test_a_long_text_is_fitted_to_3000_counting_its_escapes_and_never_splits_one():
    text = "(R&D) [Q3] 🌬️ " * 400  # about 6,000 characters once escaped
    message = channel().render(post(texts={"linkedin": text}))
    assert message.length <= 3000 and message.text.endswith("…")
    shown, cut = read_little(message.text)
    assert not cut and text.startswith(shown[:-1].rstrip())


# --- what arrives ----------------------------------------------------------------------------------------------


def test_posts_exactly_the_rendered_article_post_with_the_pinned_version(linkedin, tmp_path):
    li = channel(linkedin)
    one = post(title="Results (Q3) are in", tags=("results",))
    report = syndicate(li, [one], tmp_path)
    assert statuses(report) == ["posted"], report.summary()
    request = linkedin.requests[0]
    assert request.header("Authorization") == f"Bearer {TOKEN}"
    assert request.header("LinkedIn-Version") == "202510"
    assert request.header("X-Restli-Protocol-Version") == "2.0.0"
    assert request.json() == {
        "author": "urn:li:organization:2414183",
        "commentary": li.render(one).text,
        "visibility": "PUBLIC",
        "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [], "thirdPartyDistributionChannels": []},
        "content": {"article": li.render(one).extras["article"]},
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }
    stored = linkedin.posts[0]
    assert stored["displayed"] == "Results (Q3) are in\n\nSummary 1.\n\n#Results" and not stored["cut"]
    record = ledger_of(tmp_path).get("post-1", "linkedin")
    assert record.state == "done" and record.remote_id == stored["urn"]
    assert record.url == f"https://www.linkedin.com/feed/update/{stored['urn']}/"


def test_the_server_cuts_unescaped_text_and_refuses_what_linkedin_refuses(linkedin):
    """The loopback API is not a mock that accepts anything."""
    import requests

    headers = {"Authorization": f"Bearer {TOKEN}", "LinkedIn-Version": "202510", "X-Restli-Protocol-Version": "2.0.0"}
    body = {
        "author": "urn:li:organization:2414183",
        "commentary": "Results (Q3) are in",
        "visibility": "PUBLIC",
        "distribution": {"feedDistribution": "MAIN_FEED"},
        "content": {"article": {"source": "https://x.com/a", "title": "T"}},
        "lifecycleState": "PUBLISHED",
    }
    assert requests.post(f"{linkedin.url}/rest/posts", json=body, headers=headers, timeout=5).status_code == 201
    assert linkedin.posts[0]["displayed"] == "Results " and linkedin.posts[0]["cut"]  # silently cut, like LinkedIn
    too_long = {**body, "commentary": "\\(" * 1501}
    answer = requests.post(f"{linkedin.url}/rest/posts", json=too_long, headers=headers, timeout=5)
    assert answer.status_code == 400 and "exceeded the maximum allowed (3000 characters)" in answer.text
    unversioned = {key: value for key, value in headers.items() if key != "LinkedIn-Version"}
    assert requests.post(f"{linkedin.url}/rest/posts", json=body, headers=unversioned, timeout=5).status_code == 400
    other = {**body, "author": "urn:li:organization:1", "commentary": "x"}
    assert requests.post(f"{linkedin.url}/rest/posts", json=other, headers=headers, timeout=5).status_code == 403
    assert len(linkedin.posts) == 1


# --- faults: each run twice; every post arrives at most once and none is lost ----------------------------------


@pytest.mark.parametrize(
    "setup, first, second, arrived, detail",
    [
        (
            {"faults": [Fault(401, {"status": 401, "code": "REVOKED_ACCESS_TOKEN", "message": "revoked"})]},
            ["failed", "deferred"],
            ["posted", "posted"],
            [1, 2],
            "tokens last 60 days",
        ),
        ({"version": "202401"}, ["failed", "deferred"], ["failed", "deferred"], [], "set linkedin_version"),
        (
            {"faults": [Fault(429, {"status": 429, "message": "Resource level throttle"})]},
            ["deferred", "deferred"],
            ["posted", "posted"],
            [1, 2],
            "daily limit",
        ),
        (
            {"faults": [Fault(500, {"message": "oops"})]},  # sent, then failed: it may have posted
            ["uncertain", "posted"],
            ["skipped", "skipped"],
            [2],
            "the platform failed (500) after the request was sent",
        ),
        (
            {
                "faults": [
                    Fault(
                        422,
                        {
                            "status": 422,
                            "code": "DUPLICATE_POST",
                            "message": "Content is a duplicate of urn:li:share:1",
                        },
                    )
                ]
            },
            ["refused", "posted"],
            ["skipped", "skipped"],
            [2],
            "already has a post with this text",
        ),
        (
            {"faults": [Fault(action="drop")]},
            ["uncertain", "posted"],
            ["skipped", "skipped"],
            [1, 2],
            "connection broke",
        ),
        (
            {"faults": [Fault(504, {"message": "gateway timeout"})]},
            ["uncertain", "posted"],
            ["skipped", "skipped"],
            [2],
            "gateway timed out",
        ),
        ({"faults": [Fault(201, "")]}, ["uncertain", "posted"], ["skipped", "skipped"], [2], "sent no id"),
    ],
    ids=["401", "426-retired-version", "429-daily", "500-every-try", "422-duplicate", "drop", "504", "201-without-id"],
)
def test_linkedin_answers_map_to_outcomes_and_two_runs_post_each_at_most_once(
    linkedin, tmp_path, setup, first, second, arrived, detail
):
    linkedin.faults.extend(setup.get("faults", []))
    li = channel(linkedin, linkedin_version=setup.get("version", "202510"))
    posts = [post(1), post(2)]
    report = syndicate(li, posts, tmp_path)
    assert statuses(report) == first, report.summary()
    assert detail in report.summary()
    again = syndicate(li, posts, tmp_path)
    assert statuses(again) == second, again.summary()
    assert [p["displayed"].split("\n")[0] for p in linkedin.posts] == [f"Title {n}" for n in arrived]
    assert TOKEN not in report.summary() + again.summary()


# --- the token's expiry --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "days, warning",
    [(30, None), (14, "expires on {day} (in 14 days)"), (1, "expires on {day} (in 1 day)"), (-3, "expired on {day}")],
)
def test_the_run_summary_warns_before_the_token_expires(linkedin, tmp_path, days, warning):
    day = (datetime.now(UTC).date() + timedelta(days=days)).isoformat()
    report = syndicate(channel(linkedin, token_expires=day), [post(1)], tmp_path)
    if warning is None:
        assert report.warnings == []
    else:
        assert f"warning: linkedin: the LinkedIn access token {warning.format(day=day)}" in report.summary()


def test_settings_are_validated_with_the_fix(site):
    settings = site.settings()
    entry = {
        "name": "linkedin",
        "type": "linkedin",
        "audiences": ["media"],
        "organization_id": "urn:li:organization:1",
        "linkedin_version": "2025-10",
        "token_expires": "15 Jan 2027",
        "credentials": {"token": "LINKEDIN_TOKEN"},
    }
    with pytest.raises(SettingsProblems) as error:
        load_config({**settings, "SYNDICATION_CHANNELS": [entry]}, load_newsroom(settings))
    text = str(error.value)
    assert (
        "SYNDICATION_CHANNELS[0].organization_id: 'urn:li:organization:1' is not valid (expected the company page's numeric id"
        in text
    )
    assert (
        "SYNDICATION_CHANNELS[0].linkedin_version: '2025-10' is not valid (expected the API version to pin, YYYYMM"
        in text
    )
    assert (
        "SYNDICATION_CHANNELS[0].token_expires: '15 Jan 2027' is not valid (expected the day the access token expires"
        in text
    )
