"""`invoke new`: the scaffolded post has every field, passes the checks, and stays a draft until approved."""

from __future__ import annotations

from pathlib import Path

import pytest

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


# --- a title the checks would refuse is refused before anything is written --------------------------------------


def new_post(site, title: str):
    return run_invoke("new", title, "--settings", str(site.settings_file()))


def posts_in(site) -> list[Path]:
    return sorted(site.content.rglob("*.md"))


def refusal(site, title: str) -> str:
    """`invoke new` refused `title`: its one line on stderr, no traceback, and no file written."""
    before = posts_in(site)
    result = new_post(site, title)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 1 and "Created" not in result.stdout, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and len(lines) == 1, result.stderr
    assert posts_in(site) == before
    return lines[0]


def test_a_title_whose_slug_is_too_long_for_a_file_name_is_refused_in_one_line(site):
    # 100 characters, within the title's limit; its slug, transliterated ("ye-ye-…"), is some 300 bytes: longer than
    # a file name may be. Writing the file failed with a traceback.
    line = refusal(site, "业" * 100)
    assert "slug: 'ye-ye-ye" in line and "bytes long, longer than a file name may be" in line, line


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("---", "slug: '-' is not a valid slug (expected letters, digits"),
        ("x" * 160, "title: is 160 characters long (expected at most 150)"),
        ("Larkspur <b>record</b> quarter", "title: 'Larkspur <b>record</b> quarter' contains HTML (expected plain"),
        ("Zero\u200bwidth results", "title: holds the character U+200B (ZERO WIDTH SPACE) after 'Zero'"),
    ],
    ids=["no-usable-slug", "too-long", "html", "invisible-character"],
)
def test_new_refuses_a_title_the_checks_would_refuse_in_their_words(site, title, words):
    # `invoke new` promises a post that passes the checks as a draft: it reported "Created" for posts that
    # `invoke check` then refused. It now puts the post through the checks' own rules first.
    assert words in refusal(site, title)


@pytest.mark.parametrize(
    "title",
    ["Larkspur results\nAuthor: Someone Else", "Q3\n    continued", "Q3 results\r\nStatus: published", "Q3\u2028Jan"],
    ids=["line-feed-field", "line-feed-continuation", "crlf-field", "line-separator"],
)
def test_a_line_break_in_the_title_cannot_add_a_header_field(site, title):
    # A headline pasted with a line break ended the Title field: the rest became a field nobody asked for (an
    # Author, a Status) or was joined to the title silently. A title is one line: refused, never rewritten.
    line = refusal(site, title)
    assert line.startswith("title: holds the character U+"), line
    assert "expected visible text only: delete the character" in line, line


def test_new_refuses_a_slug_an_existing_post_already_has(site):
    # A yearly notice under the same headline: the same slug is the same address, which the checks refuse.
    earlier = site.post("earlier", Title="Annual general meeting")
    line = refusal(site, "Annual general meeting")
    assert "makes the slug 'annual-general-meeting', already used by" in line and earlier.name in line, line


def test_new_never_replaces_a_post_written_while_it_checks(site, monkeypatch):
    # Two people (or two terminals) creating the same post at once: the file is created exclusively, so the one
    # written between the checks and the write is kept, and this one is refused.
    from newsroom.checks import scaffold
    from newsroom.model.dates import parse_timestamp
    from newsroom.model.settings import load_newsroom

    settings = site.settings()
    when = parse_timestamp("2026-11-20 09:00 UTC")
    target = site.content / "posts/2026/2026-11-20-same-title.md"

    def written_meanwhile(*args, **kwargs):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("the other person's post", encoding="utf-8")
        return []

    monkeypatch.setattr(scaffold, "refused_by_the_checks", written_meanwhile)
    with pytest.raises(scaffold.ScaffoldError, match="already exists"):
        scaffold.create_post(settings, "Same title", ("media",), "news", when, load_newsroom(settings))
    assert target.read_text(encoding="utf-8") == "the other person's post"


def test_invoke_new_with_an_unknown_timezone_gives_the_settings_line_not_a_traceback(site):
    """`invoke new` dates the draft in TIMEZONE: it read the setting before the settings were checked, and an
    unknown zone stopped it with a ZoneInfoNotFoundError traceback."""
    settings_file = site.settings_file("pelicanconf.py", TIMEZONE="Mars/Olympus")
    result = run_invoke("new", "Hello world", "--settings", str(settings_file))
    assert "Traceback" not in result.stderr, result.stderr[-600:]
    assert result.returncode != 0 and "TIMEZONE: 'Mars/Olympus' is not a time zone" in result.stderr
