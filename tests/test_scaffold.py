"""`invoke new`: the scaffolded post has every field, passes the checks, and stays a draft until approved."""

from __future__ import annotations

from pathlib import Path

from conftest import run_invoke, text_of


def test_new_post_passes_the_checks_and_builds_as_an_unlisted_draft(site):
    result = run_invoke(
        "new",
        "Larkspur & Co. sign a 20-year power deal",
        "--audience",
        "investors,media",
        "--category",
        "press-releases",
        "--settings",
        str(site.settings_file()),
    )
    assert result.returncode == 0, result.stderr
    created = Path(result.stdout.split("Created ", 1)[1].split(" (Status: draft)")[0])
    text = created.read_text(encoding="utf-8")
    header = dict(line.split(": ", 1) for line in text.split("\n\n", 1)[0].splitlines())
    assert list(header) == [
        "Title",
        "Id",
        "Date",
        "Audience",
        "Category",
        "Tags",
        "Summary",
        "Contact",
        "Slug",
        "Status",
    ]
    assert header["Title"] == "Larkspur & Co. sign a 20-year power deal"
    assert header["Audience"] == "investors, media"
    assert header["Category"] == "Press releases"
    assert header["Status"] == "draft"
    assert header["Date"].endswith(" America/New_York")
    assert header["Id"].endswith("-larkspur-co-sign-a-20-year-power-deal")
    assert header["Contact"] == "media-relations, investor-relations"

    assert site.check("pelicanconf.py", NEWSROOM_NOW=None) == []
    out = site.build("pelicanconf.py", NEWSROOM_NOW=None)
    assert "Larkspur &amp; Co. sign" in text_of(out, "drafts/larkspur-co-sign-a-20-year-power-deal.html")
    assert "Larkspur &amp; Co. sign" not in text_of(out, "index.html")


def test_new_refuses_an_unknown_audience_with_the_choices(site):
    result = run_invoke("new", "Title", "--audience", "investor", "--settings", str(site.settings_file()))
    assert result.returncode == 1
    assert (
        "--audience: investor is not an audience (expected one or more of: investors, media, regulators, communities, employees"
        in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_new_never_overwrites_an_existing_post(site):
    args = ("new", "Same title", "--settings", str(site.settings_file()))
    assert run_invoke(*args).returncode == 0
    again = run_invoke(*args)
    assert again.returncode == 1 and "already exists" in again.stderr
