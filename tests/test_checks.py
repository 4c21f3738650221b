"""Content checks: each rule rejects its bad input with one actionable line, and all are reported at once."""

from __future__ import annotations

import pytest

from conftest import run_invoke


def test_a_valid_post_passes(site):
    site.post("fine")
    assert site.check() == []


@pytest.mark.parametrize(
    "fields, body, expected",
    [
        ({"Title": None}, "", "content/posts/p.md:1: title: missing (expected e.g. 'Title: "),
        (
            {"Title": "Big <em>news</em>"},
            "",
            "content/posts/p.md:1: title: 'Big <em>news</em>' contains HTML (expected plain text)",
        ),
        ({"Title": "x" * 151}, "", "content/posts/p.md:1: title: is 151 characters long (expected at most 150)"),
        (
            {"Date": None},
            "",
            "content/posts/p.md:1: date: missing (expected e.g. 'Date: 2026-12-03 16:05 America/New_York')",
        ),
        (
            {"Date": "2026-06-01 10:00"},
            "",
            "content/posts/p.md:2: date: '2026-06-01 10:00' has no time zone (expected e.g.",
        ),
        ({"Date": "2026-06-01"}, "", "content/posts/p.md:2: date: '2026-06-01' has no time of day"),
        (
            {"Date": "2026-13-01 10:00 UTC"},
            "",
            "content/posts/p.md:2: date: '2026-13-01 10:00 UTC' is not a valid date and time",
        ),
        (
            {"Date": "2026-06-01 10:00 Mars/Olympus"},
            "",
            "date: '2026-06-01 10:00 Mars/Olympus' has an unknown time zone 'Mars/Olympus'",
        ),
        (
            {"Date": "next Tuesday"},
            "",
            "content/posts/p.md:2: date: 'next Tuesday' is not a date and time (expected e.g.",
        ),
        ({"Modified": "2026-05-01 10:00 UTC"}, "", "modified: is earlier than the post's Date (expected a later time)"),
        ({"Audience": None}, "", "content/posts/p.md:1: audience: missing (expected e.g. 'Audience: investors, media'"),
        (
            {"Audience": "investor"},
            "",
            "content/posts/p.md:3: audience: unknown audience 'investor' (expected one of: communities, employees, investors, media, regulators)",
        ),
        ({"Category": None}, "", "content/posts/p.md:1: category: missing (expected one of: 'Press releases', 'News',"),
        (
            {"Category": "Blog"},
            "",
            "content/posts/p.md:4: category: unknown category 'Blog' (expected one of: 'Press releases',",
        ),
        ({"Summary": None}, "", "content/posts/p.md:1: summary: missing (expected one or two plain-text sentences"),
        (
            {"Summary": "Up <b>12%</b>"},
            "",
            "content/posts/p.md:5: summary: 'Up <b>12%</b>' contains HTML (expected plain text)",
        ),
        ({"Summary": "Costs &amp; more"}, "", "summary: 'Costs &amp; more' contains HTML (expected plain text)"),
        ({"Summary": "y" * 301}, "", "content/posts/p.md:5: summary: is 301 characters long (expected at most 300)"),
        ({"Status": "publish"}, "", "status: unknown status 'publish' (expected one of: published, draft, hidden)"),
        ({"Id": "has spaces"}, "", "id: 'has spaces' is not a valid id"),
        (
            {"Contact": "pr-team"},
            "",
            "contact: unknown contact 'pr-team' (expected one of: internal-comms, investor-relations, media-relations, regulatory-affairs)",
        ),
        ({"Correction": "yesterday | fixed"}, "", "correction: 'yesterday ' is not a date and time"),
        (
            {"Correction": "2026-06-02 10:00 UTC |"},
            "",
            "correction: has no text (expected 'time | what was corrected')",
        ),
        ({"Correction": "2026-05-02 10:00 UTC | early"}, "", "correction: is dated before the post itself"),
        (
            {"Image": "{static}/images/missing.jpg", "Image_Alt": "x"},
            "",
            "image: '{static}/images/missing.jpg' does not exist (expected a file under content/",
        ),
        (
            {"Image": "{static}/images/logo.svg"},
            "",
            "image-alt: missing for the lead image (expected e.g. 'Image-Alt: ",
        ),
        ({"Audiance": "media"}, "", "audiance: unknown field 'Audiance' (expected one of: Title, Id, Date,"),
        (
            {},
            "Intro.\n\n![](chart.png)",
            "content/posts/p.md:9: image: 'chart.png' has no alt text (expected ![description](chart.png))",
        ),
        (
            {},
            "Intro.\n\n<img src='x.png'>",
            'content/posts/p.md:9: image: <img> has no alt text (expected alt="description")',
        ),
        (
            {},
            "See [the release]({filename}/posts/nope.md).",
            "content/posts/p.md:7: link: '{filename}/posts/nope.md' does not exist",
        ),
        (
            {},
            "A [download]({static}/downloads/x.pdf).",
            "content/posts/p.md:7: link: '{static}/downloads/x.pdf' does not exist",
        ),
        (
            {},
            "More [here]({category}blog).",
            "content/posts/p.md:7: link: unknown category 'blog' in a {category} link",
        ),
        (
            {},
            "Intro.\n\n<script>alert(1)</script>",
            "content/posts/p.md:9: body: <script>: scripts are not allowed in posts",
        ),
        (
            {},
            '<a href="#" onclick="steal()">x</a>',
            'content/posts/p.md:7: body: <a onclick="steal()">: event handlers run scripts',
        ),
        (
            {},
            "[x](javascript:alert(1))",
            'content/posts/p.md:7: body: <a href="javascript:alert(1)">: links may only be http, https, mailto, tel',
        ),
        # The same rules whatever the spelling: upper case, Pelican's older |static| link syntax, a table around it.
        (
            {},
            "[x](JavaScript:alert(1))",
            'content/posts/p.md:7: body: <a href="JavaScript:alert(1)">: links may only be http, https, mailto, tel',
        ),
        (
            {},
            "| File | Link |\n|---|---|\n| x | [pdf](|static|/downloads/x.pdf) |",
            "content/posts/p.md:9: link: '|static|/downloads/x.pdf' does not exist",
        ),
    ],
)
def test_each_rule_rejects_its_bad_input_with_a_line_naming_file_field_and_fix(site, fields, body, expected):
    site.file("images/logo.svg", "<svg/>")
    site.post("p", body=body or "The body.", **fields)
    problems = site.check()
    relative = [line.split("content/", 1)[-1] for line in problems]
    assert any(expected.split("content/", 1)[-1] in line for line in relative), problems
    assert all(line.count("\n") == 0 for line in problems)


def test_a_syndicate_text_is_as_bounded_in_length_as_a_title_for_every_channel_and_for_one(site):
    """Every channel fits a Syndicate-Text to its limit by counting it again and again: without a bound, one post
    of a few hundred kilobytes of text held up every syndication run."""
    site.overrides["SYNDICATION_CHANNELS"] = [
        {"name": "outbox", "type": "outbox", "audiences": ["media"], "folder": "outbox"}
    ]
    site.post("p", Syndicate_Text="x" * 5000, **{"Syndicate-Text-outbox": "y" * 5000})
    assert site.check() == []
    site.post("p", Syndicate_Text="x" * 5001, **{"Syndicate-Text-outbox": "\u0915\u094d" * 4000})
    assert [line.split("content/", 1)[-1] for line in site.check()] == [
        "posts/p.md:6: syndicate-text: is 5001 characters long (expected at most 5000)",
        "posts/p.md:7: syndicate-text-outbox: is 8000 characters long (expected at most 5000)",
    ]


def test_every_problem_in_every_file_is_reported_in_one_run(site):
    site.post("one", Title=None, Audience="investor")
    site.post("two", Date="2026-06-01 10:00", Category="Blog")
    lines = site.check()
    assert [line.split(": ", 2)[1] for line in lines] == ["title", "audience", "date", "category"]
    assert lines[0].endswith(
        "posts/one.md:1: title: missing (expected e.g. 'Title: Larkspur Energy opens its Kessler wind farm')"
    )


def test_duplicate_slugs_and_ids_are_reported(site):
    site.post("a", Id="same-id")
    site.post("b", Id="same-id")
    lines = site.check()
    assert any(
        "b.md:1: title: makes the slug 'larkspur-opens-kessler-ridge-wind-farm', already used by" in line
        for line in lines
    )
    assert any("b.md:6: id: 'same-id' is already used by" in line for line in lines)


def test_slugs_that_differ_only_in_case_are_one_address(site):
    # On macOS, Windows and case-insensitive hosts Kessler-Ridge/ and kessler-ridge/ are one folder: one post
    # would be published in the other's place.
    site.post("a", Slug="kessler-ridge")
    site.post("b", Slug="Kessler-Ridge")
    lines = [line for line in site.check() if "b.md" in line and ": slug: " in line]
    assert len(lines) == 1 and "makes the slug 'Kessler-Ridge', already used by" in lines[0], lines


def test_a_public_post_may_not_link_to_a_withheld_one(site):
    site.post("deal", Title="Secret deal", Date="2026-12-03 16:05 America/New_York")
    site.post("teaser", body="Read about [the deal]({filename}deal.md).")
    lines = site.check()
    assert (
        len(lines) == 1
        and "teaser.md:7: link: links to posts/deal.md, which this public edition does not show yet" in lines[0]
    )
    # once the embargo has lifted, the same link is fine
    assert site.check(NEWSROOM_NOW="2026-12-04 09:00 UTC") == []


def test_posts_in_other_formats_are_reported_not_ignored(site):
    site.file("posts/old.rst", "Old\n===\n")
    assert any(
        "posts/old.rst:1: file: no reader handles '.rst' here, so it would be silently left out" in line
        for line in site.check()
    )


def test_files_pelican_ignores_are_not_checked_and_no_pattern_ignores_nothing(site):
    site.post("draft-notes", Title=None)  # a broken post...
    assert any("draft-notes.md:1: title: missing" in line for line in site.check())
    assert site.check(IGNORE_FILES=["**/.*", "draft-*.md"]) == []  # ...that Pelican would not read either
    assert any("draft-notes.md:1: title: missing" in line for line in site.check(IGNORE_FILES=[]))


def test_a_file_that_is_not_utf8_is_reported_not_a_crash(site):
    (site.content / "posts").mkdir(parents=True, exist_ok=True)
    (site.content / "posts" / "latin1.md").write_bytes("Title: Caf\xe9\n".encode("latin-1"))
    assert any("latin1.md:1: file: is not UTF-8 text" in line for line in site.check())


def test_a_page_that_is_not_utf8_is_reported_too(site):
    # The pages were read apart from the posts, and their reading problems dropped: such a page went unchecked.
    (site.content / "pages" / "about.md").write_bytes("Title: \xc0 propos\n\nLarkspur.\n".encode("latin-1"))
    assert any("about.md:1: file: is not UTF-8 text" in line for line in site.check())


def test_posts_around_one_that_is_not_utf8_are_all_still_checked(site):
    # The checks read posts a few at a time: one that cannot be read stops neither its few nor the rest.
    for name in ("a-first", "c-third"):
        site.post(name, Title=f"Post {name}", Status="unknown-status")
    (site.content / "posts" / "b-second.md").write_bytes("Title: Caf\xe9\n".encode("latin-1"))
    problems = site.check()
    assert any("b-second.md:1: file: is not UTF-8 text" in line for line in problems)
    assert {name for name in ("a-first", "c-third") if any(f"{name}.md:" in p and "status" in p for p in problems)} == {
        "a-first",
        "c-third",
    }


def test_the_build_refuses_to_run_with_content_problems(site):
    from newsroom.site.build import BuildFailed

    site.post("bad", Audience="everyone")
    with pytest.raises(BuildFailed, match=r"bad.md:3: audience: unknown audience 'everyone'"):
        site.build()
    assert not (site.root / "output" / "index.html").exists()


def test_invalid_settings_are_all_reported_together(site):
    lines = site.check(
        NEWSROOM_AUDIENCES=[{"slug": "Investors!", "name": "", "description": "x", "internal": "yes"}],
        NEWSROOM_EDITION="staging",
    )
    assert (
        "settings: NEWSROOM_AUDIENCES[0].slug: 'Investors!' is not a slug (expected lower-case letters, digits and hyphens)"
        in lines
    )
    assert "settings: NEWSROOM_AUDIENCES[0].name: '' must be a non-empty string" in lines
    assert "settings: NEWSROOM_AUDIENCES[0].internal: 'yes' must be True or False" in lines
    assert (
        "settings: NEWSROOM_EDITION: 'staging' is not an edition (expected one of: public, internal, embargo-preview)"
        in lines
    )
    assert any(line.startswith("settings: NEWSROOM_CONTACTS[0].audiences: unknown audience") for line in lines)


def test_invoke_check_prints_one_line_per_problem_and_exits_non_zero(site):
    site.file("posts/x.md", "Title: X\nDate: 2026-01-01 10:00\n\nBody\n")
    result = run_invoke("check", "--settings", str(site.settings_file()))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    problems = [line for line in result.stderr.splitlines() if "x.md" in line]
    assert [line.split(": ")[1] for line in problems] == ["audience", "category", "summary", "date"]
    assert "4 problem(s) found" in result.stderr


def test_invoke_check_passes_a_clean_site(site):
    site.post("fine")
    result = run_invoke("check", "--settings", str(site.settings_file()))
    assert result.returncode == 0, result.stderr
    assert "All posts pass the content checks." in result.stdout


def test_on_github_actions_invoke_check_also_puts_each_problem_on_its_line_of_the_pull_request(site):
    site.post("p", Title=None)
    result = run_invoke("check", "--settings", str(site.settings_file()), env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert len(annotations) == 1
    assert (
        annotations[0].startswith("::error file=")
        and "posts/p.md,line=1,title=title::missing (expected" in (annotations[0])
    )
    outside = run_invoke("check", "--settings", str(site.settings_file()), env={"GITHUB_ACTIONS": ""})
    assert "::error" not in outside.stdout and "title: missing" in outside.stderr


@pytest.mark.parametrize(
    "body, checked",
    [
        ("```x``` is a span.\n\n![](chart.png)", True),  # a one-line ``` is a code span, not a fence that opens
        ("```\nNever closed.\n\n![](chart.png)", True),  # a fence never closed opens no block
        ("~~~\n![](chart.png)\n~~~", False),
        ("Lead.\n\n    ![](chart.png)", False),  # an indented code block
        ("Write `![](chart.png)` for an image.", False),
    ],
    ids=["one-line-backticks", "unclosed-fence", "tilde-fence", "indented-code", "code-span"],
)
def test_an_image_s_alt_text_is_checked_wherever_markdown_shows_an_image(site, body, checked):
    """Code is text to Markdown, so an image written in it is no image and needs no alt text; but what Markdown
    does show as an image is checked, however the code around it was written (model/markdown_code.py)."""
    site.post("p", body=body)
    named = [line for line in site.check() if "has no alt text" in line]
    assert bool(named) is checked, named
