"""The sample newsroom in content/: it passes the checks, builds, and keeps its secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, files_containing, text_of
from newsroom.model.frontmatter import parse_document
from newsroom.site.build import build, check, load_settings


@pytest.fixture(scope="module")
def public_site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("sample") / "output"
    settings = load_settings(
        ROOT / "publishconf.py", {"OUTPUT_PATH": str(output), "NEWSROOM_NOW": "2026-11-26 12:00 UTC"}
    )
    assert check(settings) == []
    build(settings)
    return output


def sample_posts() -> dict[str, dict[str, str]]:
    posts = {}
    for path in sorted((ROOT / "content" / "posts").rglob("*.md")):
        fields = parse_document(path.read_text(encoding="utf-8")).fields
        posts[path.name] = {name: field.text for name, field in fields.items()}
    return posts


def test_sample_covers_every_audience_and_category():
    posts = sample_posts()
    assert len(posts) >= 15
    audiences = {a.strip() for post in posts.values() for a in post["audience"].split(",")}
    categories = {post["category"] for post in posts.values()}
    assert audiences == {"investors", "media", "regulators", "communities", "employees"}
    assert categories == {"Press releases", "News", "Insights", "Events", "Policy notices", "Regulatory filings"}
    assert any("correction" in post for post in posts.values())


def test_sample_public_site_has_every_page_a_newsroom_needs(public_site):
    for page in [
        "index.html",
        "investors/index.html",
        "media/index.html",
        "regulators/index.html",
        "communities/index.html",
        "press-releases/index.html",
        "archive/index.html",
        "archive/2025/index.html",
        "tags/index.html",
        "media-contacts/index.html",
        "subscribe/index.html",
        "about/index.html",
        "disclosure/index.html",
        "404.html",
    ]:
        assert (public_site / page).is_file(), page
    contacts = text_of(public_site, "media-contacts/index.html")
    assert "Dana Okafor" in contacts and "+1 207 555 0142" in contacts and "press@larkspur-energy.example" in contacts
    assert "Sam Whitfield" not in contacts  # the internal-comms contact serves employees only
    assert 'href="https://newsroom.larkspur-energy.example/images/larkspur-logo.svg" download' in contacts


@pytest.mark.parametrize(
    "marker",
    [
        "Halvorsen",  # the embargoed acquisition
        "open enrolment",
        "Travel and expenses",  # internal-only posts
        "Corvane",  # hidden
        "Northfield Community College",
    ],  # draft
)
def test_sample_secrets_stay_out_of_the_public_build(public_site, marker):
    assert files_containing(public_site, marker) == []
