"""Corrections, revision history from git, and the archive's promise that no published post silently disappears.

Each test that needs history makes its own git repository in tmp_path, with fixed, zoned commit times."""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest

from conftest import ENGLISH_AND_FRENCH, files_containing, git_environment, run_invoke, text_of
from newsroom.checks.sources import register_published
from newsroom.model.settings import load_newsroom
from newsroom.site.build import BuildFailed

RESULTS = {
    "Title": "Q3 results",
    "Id": "2026-10-29-q3-results",
    "Category": "Press releases",
    "Audience": "investors, media",
    "Date": "2026-10-29 16:05 America/New_York",
}
PAGE = "press-releases/2026/q3-results/index.html"


def git(root, *args: str, when: str | None = None, config: str = os.devnull) -> None:
    """Run git in `root` with a fixed identity and, for commits, the author and committer time `when`; `config`:
    the global configuration file git reads (none by default)."""
    env = git_environment(config)
    if when:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def commit(site, subject: str, when: str) -> None:
    git(site.root, "add", "-A")
    git(site.root, "commit", "-q", "-m", subject, when=when)


def atom_entry(out, feed: str = "feeds/investors.atom.xml") -> str:
    return re.search(r"<entry>.*?</entry>", text_of(out, feed), re.S).group(0)


def json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


# --- corrections and history -----------------------------------------------------------------------------


def test_a_correction_updates_page_json_ld_and_feeds_but_never_the_id_or_url(site):
    git(site.root, "init", "-q")
    site.post("results", **RESULTS)
    commit(site, "Publish the Q3 results", "2026-10-29T15:58:00-04:00")
    before = site.build()
    entry_before = atom_entry(before)
    assert "<updated>2026-10-29T16:05:00-04:00</updated>" in entry_before

    site.post(
        "results",
        **RESULTS,
        Correction="2026-10-30 09:00 America/New_York | The dividend is $0.24, not $0.42.",
        body="The dividend is $0.24.",
    )
    commit(site, "Correct the dividend in the Q3 release", "2026-10-30T09:02:00-04:00")
    out = site.build()
    html = text_of(out, PAGE)

    note = re.search(r'<section class="corrections".*?</section>', html, re.S).group(0)
    assert (
        '<time datetime="2026-10-30T09:00:00-04:00">30 October 2026, 09:00 EDT</time>: The dividend is $0.24, not $0.42.'
        in note
    )
    assert html.index('class="corrections"') < html.index('class="prose e-content"')
    assert '<time class="dt-updated" datetime="2026-10-30T09:00:00-04:00">30 October 2026, 09:00 EDT</time>' in html
    assert json_ld(html)["dateModified"] == "2026-10-30T09:00:00-04:00"
    assert json_ld(html)["datePublished"] == "2026-10-29T16:05:00-04:00"

    entry = atom_entry(out)
    assert "<updated>2026-10-30T09:00:00-04:00</updated>" in entry
    item = json.loads(text_of(out, "feeds/investors.json"))["items"][0]
    assert item["date_modified"] == "2026-10-30T09:00:00-04:00"
    assert item["content_html"].startswith(
        "<p><strong>Correction, 30 October 2026, 09:00 EDT:</strong> The dividend is $0.24, not $0.42.</p>"
    )
    # same id and address as before the correction: readers update the item instead of showing it again
    for tag in ("id", "link"):
        assert re.search(f"<{tag}[^>]*>", entry).group(0) == re.search(f"<{tag}[^>]*>", entry_before).group(0)
    assert (
        re.search(r"<id>.*?</id>", entry).group(0)
        == "<id>tag:larkspur-energy.example,2026:post/2026-10-29-q3-results</id>"
    )


def history_entries(html: str) -> list[str]:
    history = re.search(r'<section class="history" id="history".*?</section>', html, re.S).group(0)
    return re.findall(r"<li>(.*?)</li>", history, re.S)


def updated(html: str) -> str:
    return re.search(r'<time class="dt-updated" datetime="([^"]+)"', html).group(1)


def test_the_history_lists_edits_after_publication_newest_first_following_renames_and_agrees_with_updated(site):
    git(site.root, "init", "-q")
    site.post("results", **RESULTS, body="Draft.")
    site.post("other", Title="Another post")
    commit(site, "Draft the Q3 results", "2026-10-28T11:00:00-04:00")
    site.post("results", **RESULTS)
    commit(site, "Publish the Q3 results", "2026-10-29T15:58:00-04:00")  # before 16:05: still a draft
    site.post("results", **RESULTS, Modified="2026-10-30 09:00 America/New_York", body="Revised body.")
    commit(site, "Clarify the outlook paragraph", "2026-10-30T09:02:00-04:00")  # carries Modified: listed at 09:00
    git(site.root, "mv", "content/posts/results.md", "content/posts/2026-q3-results.md")
    commit(site, "File the Q3 release under its date", "2026-11-02T10:15:00+01:00")  # moved only: nothing to read
    site.post("other", Title="Another post", body="Unrelated edit.")
    commit(site, "Edit another post", "2026-11-03T08:00:00+00:00")
    (site.content / "posts/2026-q3-results.md").write_text(
        (site.content / "posts/2026-q3-results.md").read_text().replace("Revised body.", "Revised body, typo fixed.")
    )
    commit(site, "Fix a typo in the Q3 outlook", "2026-11-04T08:00:00+00:00")  # no Modified: at its own time

    html = text_of(site.build(), "press-releases/2026/q3-results/index.html")
    assert '<a href="#history">Revision history (2 changes)</a>' in html
    assert history_entries(html) == [
        '<time datetime="2026-11-04T08:00:00+00:00">4 November 2026, 08:00 UTC</time>: Fix a typo in the Q3 outlook',
        '<time datetime="2026-10-30T09:00:00-04:00">30 October 2026, 09:00 EDT</time> '
        '<span class="utc">(13:00 UTC)</span>: Clarify the outlook paragraph',
        '<time datetime="2026-10-29T16:05:00-04:00">29 October 2026, 16:05 EDT</time> '
        '<span class="utc">(20:05 UTC)</span>: Published',
    ]
    assert updated(html) == "2026-11-04T08:00:00+00:00" == json_ld(html)["dateModified"]  # the newest entry
    assert "Edit another post" not in html and "Draft the Q3 results" not in html and "File the Q3" not in html
    # Added to git months after its date (a backdated post): that commit is its first version, not an edit.
    other = text_of(site.build(), "news/2026/another-post/index.html")
    assert [re.sub(r"<[^>]+>", "", entry) for entry in history_entries(other)] == [
        "3 November 2026, 08:00 UTC: Edit another post",
        "1 June 2026, 10:00 EDT (14:00 UTC): Published",
    ]


def test_corrections_and_a_withdrawal_are_in_the_history_with_their_text_at_their_own_time(site):
    git(site.root, "init", "-q")
    site.post("results", **RESULTS)
    commit(site, "Publish the Q3 results", "2026-10-29T16:00:00-04:00")
    correction = "2026-10-30 09:00 America/New_York | The dividend is $0.24, not $0.42."
    site.post("results", **RESULTS, Correction=correction, Modified="2026-10-30 09:00 America/New_York")
    commit(site, "Correct the dividend", "2026-10-30T09:02:00-04:00")  # Modified at the correction: one change
    site.post(
        "results",
        **RESULTS,
        Correction=correction,
        Modified="2026-10-30 09:00 America/New_York",
        Withdrawn="2026-11-02 10:00 UTC | At the court's request.",
    )
    commit(site, "Withdraw the Q3 release", "2026-11-02T10:03:00+00:00")

    html = text_of(site.build(), PAGE)
    assert [re.sub(r"<[^>]+>", "", entry) for entry in history_entries(html)] == [
        "2 November 2026, 10:00 UTC: Withdrawn: At the court&#39;s request.",
        "30 October 2026, 09:00 EDT (13:00 UTC): Correction: The dividend is $0.24, not $0.42.",
        "29 October 2026, 16:05 EDT (20:05 UTC): Published",
    ]
    assert updated(html) == "2026-11-02T10:00:00+00:00"


def test_without_git_the_history_still_gives_the_posts_own_corrections(site):
    site.post("results", **RESULTS, Correction="2026-10-30 09:00 America/New_York | The dividend is $0.24.")
    html = text_of(site.build(), PAGE)
    assert [re.sub(r"<[^>]+>", "", entry) for entry in history_entries(html)] == [
        "30 October 2026, 09:00 EDT (13:00 UTC): Correction: The dividend is $0.24.",
        "29 October 2026, 16:05 EDT (20:05 UTC): Published",
    ]
    assert updated(html) == "2026-10-30T09:00:00-04:00"


def test_a_build_outside_a_git_checkout_works_and_omits_the_history(site):
    site.post("results", **RESULTS)
    html = text_of(site.build(), PAGE)
    assert "Revision history" not in html and 'href="#history"' not in html
    assert "Q3 results" in html


def test_a_commit_that_also_touched_unpublished_content_shows_its_date_but_not_its_subject(site):
    git(site.root, "init", "-q")
    site.post("results", **RESULTS)
    commit(site, "Publish the Q3 results", "2026-10-29T15:58:00-04:00")
    site.post("results", **RESULTS, body="Outlook updated.")
    site.post("deal", Title="Acquisition", Date="2026-12-03 16:05 America/New_York", Audience="investors")
    commit(site, "Draft the EMBARGOMARKER acquisition and update the outlook", "2026-11-20T10:00:00+00:00")
    site.post("memo", Title="Staff memo", Audience="employees")
    commit(site, "Add the INTERNALMARKER memo", "2026-11-21T10:00:00+00:00")
    (site.content / "posts/memo.md").unlink()
    site.post("results", **RESULTS, body="Outlook updated again.")
    commit(site, "Drop the DELETEDMARKER memo; outlook wording", "2026-11-22T10:00:00+00:00")

    out = site.build()
    history = re.search(r'<section class="history".*?</section>', text_of(out, PAGE), re.S).group(0)
    assert files_containing(out, "EMBARGOMARKER") == []
    assert files_containing(out, "DELETEDMARKER") == []
    assert files_containing(out, "INTERNALMARKER") == []
    assert re.findall(r"</(?:span|time)>: ([^<]*)</li>", history) == [
        "Edited (the description of this change is withheld: it also concerns unpublished content)",
        "Edited (the description of this change is withheld: it also concerns unpublished content)",
        "Published",  # the commit at 15:58 was before publication: a draft, not an edit
    ]
    # Once the deal is public, the commit that drafted it still concerned what was unpublished when it was made
    # (its subject was written under the embargo): judged as of the commit, whenever the site is built. A commit
    # that changed only this post keeps its subject.
    later = site.build(NEWSROOM_NOW="2026-12-04 12:00 UTC")
    history = re.search(r'<section class="history".*?</section>', text_of(later, PAGE), re.S).group(0)
    assert re.findall(r"</(?:span|time)>: ([^<]*)</li>", history) == [
        "Edited (the description of this change is withheld: it also concerns unpublished content)",  # the memo
        "Edited (the description of this change is withheld: it also concerns unpublished content)",  # the deal
        "Published",
    ]
    site.post("results", **RESULTS, body="Outlook final.")
    git(site.root, "add", "content")  # not the builds' output/ and cache/: a commit of those is no content edit
    git(site.root, "commit", "-q", "-m", "Final outlook wording", when="2026-11-23T10:00:00+00:00")
    assert "Final outlook wording" in text_of(site.build(NEWSROOM_NOW="2026-12-04 12:00 UTC"), PAGE)


def test_a_commit_that_also_changed_code_shows_edited_and_a_time_at_utc_is_not_repeated_in_utc(site):
    """A development commit's subject describes the repository, not the post; "03:26 UTC (03:26 UTC)" says
    nothing twice."""
    git(site.root, "init", "-q")
    site.post("results", **RESULTS)
    commit(site, "Publish the Q3 results", "2026-10-29T15:58:00-04:00")
    site.post("results", **RESULTS, body="Outlook updated.")
    (site.root / "tasks.py").write_text("# the newsroom's tasks\n")
    commit(site, "Add search; fix the feeds; outlook wording", "2026-11-20T03:26:00+00:00")

    history = re.search(r'<section class="history".*?</section>', text_of(site.build(), PAGE), re.S).group(0)
    entries = re.findall(r"<li>(.*?)</li>", history, re.S)
    assert entries == [
        '<time datetime="2026-11-20T03:26:00+00:00">20 November 2026, 03:26 UTC</time>: Edited',
        '<time datetime="2026-10-29T16:05:00-04:00">29 October 2026, 16:05 EDT</time> '
        '<span class="utc">(20:05 UTC)</span>: Published',
    ]


def history_times(html: str) -> list[str]:
    return [re.search(r'datetime="([^"]+)"', entry).group(1) for entry in history_entries(html)]


@pytest.mark.parametrize(
    "subject",
    [
        "Fix a typo\x01in the outlook",  # what the log once split commits on
        "Fix a typo\x012031-01-01T00:00:00+00:00\x1fRestated the 2025 accounts",  # ... and a date from a subject on
        "Fix a typo :100644 100644 0 0 M",  # what a file's change looks like in the log
    ],
)
def test_a_commit_subject_is_one_subject_whatever_it_holds_never_another_dated_entry(site, subject):
    """A commit subject is free text, and git keeps control characters in it: the log is read so that nothing a
    subject holds can end it, start another commit or give the page a date (and an "Updated" time) no commit
    has. The build neither stops nor shows more than the commits made."""
    git(site.root, "init", "-q")
    site.post("results", **RESULTS)
    commit(site, "Publish the Q3 results", "2026-10-29T16:10:00-04:00")
    site.post("results", **RESULTS, body="Revised body.")
    commit(site, subject, "2026-11-04T08:00:00+00:00")

    html = text_of(site.build(), PAGE)
    assert history_times(html) == ["2026-11-04T08:00:00+00:00", "2026-10-29T16:05:00-04:00"]
    assert updated(html) == "2026-11-04T08:00:00+00:00"
    assert '"2031' not in html  # no time element, no JSON-LD date from the subject


@pytest.mark.parametrize(
    ("subject", "shown"),
    [
        ("Dividend \u202e24.0$ si\u202c confirmed", "Edited"),  # reads "Dividend is $0.42 confirmed" on the page
        ("Fix a typo\x01in the outlook", "Edited"),
        ("Clarify the\u200b outlook", "Edited"),  # a zero-width space: two words that look like one
        ("Correct the \ufffd in the outlook", "Edited"),  # a character lost in a conversion
        ("Fix the Hebrew quote \u200fשלום\u200f", "Fix the Hebrew quote \u200fשלום\u200f"),  # a mark writing needs
    ],
)
def test_a_commit_subject_that_is_not_plain_visible_text_is_shown_as_edited(site, subject, shown):
    """A subject is shown as written only when a reader sees it as the committer's reviewer did: the rule every
    header value obeys (no control, bidi override, zero-width or lost character). Otherwise the page shows the
    neutral "Edited" at the commit's time, as it does for a commit about the repository."""
    git(site.root, "init", "-q")
    site.post("results", **RESULTS)
    commit(site, "Publish the Q3 results", "2026-10-29T16:10:00-04:00")
    site.post("results", **RESULTS, body="Revised body.")
    commit(site, subject, "2026-11-04T08:00:00+00:00")

    html = text_of(site.build(), PAGE)
    assert plain_history(html)[0] == f"4 November 2026, 08:00 UTC: {shown}"
    assert all(character not in html for character in "\u202e\u202c\x01\u200b\ufffd")


def test_a_commit_time_git_cannot_give_as_a_time_stops_the_build_with_one_line_naming_the_commit(site):
    """A commit object written by other means than `git commit` (git hash-object) may carry a time zone no clock
    has; git prints it as given. That is one line naming the commit and the fix, never a traceback."""
    git(site.root, "init", "-q")
    site.post("results", **RESULTS)
    commit(site, "Publish the Q3 results", "2026-10-29T16:10:00-04:00")
    site.post("results", **RESULTS, body="Revised body.")
    git(site.root, "add", "-A")
    tree = subprocess.run(["git", "write-tree"], cwd=site.root, capture_output=True, text=True).stdout.strip()
    parent = subprocess.run(["git", "rev-parse", "HEAD"], cwd=site.root, capture_output=True, text=True).stdout
    forged = (
        f"tree {tree}\nparent {parent.strip()}\nauthor Comms <c@larkspur.example> 1793000000 +0000\n"
        "committer Comms <c@larkspur.example> 1793000000 +9999\n\nRevise the body\n"
    )
    made = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--literally", "--stdin"],
        cwd=site.root,
        input=forged,
        capture_output=True,
        text=True,
        check=True,
    )
    git(site.root, "update-ref", "HEAD", made.stdout.strip())

    with pytest.raises(BuildFailed) as stopped:
        site.build()
    assert str(stopped.value) == (
        f"git log of the content folder: commit {made.stdout.strip()}: its committer time "
        "'2026-10-30T12:12:20+99:99' is not a time (expected a zone offset within ±24:00: rewrite that commit, "
        "e.g. amend it in `git rebase -i`, which gives it a valid committer time)"
    )


KESSLER_PAGE = "news/2026/kessler/index.html"


def plain_history(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", entry) for entry in history_entries(html)]


def test_commits_made_while_a_post_was_a_draft_are_not_in_its_history_and_do_not_move_updated(site):
    """`invoke new` dates a draft the minute it is created, and authors commit while they draft: those commits
    come after the Date, but nobody could read the post then, and their subjects may name what was still held
    back. The post was first shown by the commit that removed `Status: draft`; only what came after is an edit
    after publication, and only that moves "Updated", the JSON-LD dateModified and the feeds' updated."""
    git(site.root, "init", "-q")
    site.post("2026/kessler", Status="draft", Slug="kessler")
    commit(site, "New draft", "2026-06-01T14:05:00+00:00")
    site.post("2026/kessler", "Draft text.", Status="draft", Slug="kessler")
    commit(site, "WIP: hold back the BRENNHOLTMARKER acquisition until the board votes", "2026-06-03T13:00:00+00:00")
    site.post("2026/kessler", "Approved text.", Slug="kessler")  # Status: draft removed: shown from now on
    commit(site, "Publish the Kessler Ridge release", "2026-06-05T13:00:00+00:00")

    out = site.build()
    html = text_of(out, KESSLER_PAGE)
    assert files_containing(out, "BRENNHOLTMARKER") == []
    assert "Revision history" not in html and 'class="dt-updated"' not in html  # unchanged since it was shown
    assert json_ld(html)["dateModified"] == json_ld(html)["datePublished"] == "2026-06-01T10:00:00-04:00"
    assert "<updated>2026-06-01T10:00:00-04:00</updated>" in atom_entry(out, "feeds/media.atom.xml")

    site.post("2026/kessler", "Approved text, with the turbine count.", Slug="kessler")
    git(site.root, "add", "content")  # not the build's output/ and cache/: a commit of those is no content edit
    git(site.root, "commit", "-q", "-m", "Give the number of turbines", when="2026-06-08T13:00:00+00:00")
    html = text_of(site.build(), KESSLER_PAGE)
    assert plain_history(html) == [
        "8 June 2026, 13:00 UTC: Give the number of turbines",
        "1 June 2026, 10:00 EDT (14:00 UTC): Published",
    ]
    assert updated(html) == "2026-06-08T13:00:00+00:00" == json_ld(html)["dateModified"]


def test_a_version_added_later_leaves_the_history_of_the_published_version_as_it_was(site):
    """The English post was published on 1 June and corrected on 3 June; its French version lands on 8 June. The
    release was shown from 1 June (a version the repository did not hold yet holds nothing back): the correction
    stays in the English history and keeps moving "Updated"."""
    git(site.root, "init", "-q")
    site.overrides["NEWSROOM_LANGUAGES"] = ENGLISH_AND_FRENCH
    site.overrides["NEWSROOM_TRANSLATION_RULES"] = {"one_language_first": True}
    site.post("2026/kessler", "First text.", Slug="kessler", Id="kessler")
    commit(site, "Publish the Kessler Ridge release", "2026-06-01T14:05:00+00:00")
    site.post("2026/kessler", "First text, with the turbine count.", Slug="kessler", Id="kessler")
    commit(site, "Give the number of turbines", "2026-06-03T13:00:00+00:00")
    site.post("2026/kessler-fr", "Le texte.", Slug="kessler", Id="kessler", Lang="fr", Title="Kessler Ridge en service")
    commit(site, "Add the French version", "2026-06-08T13:00:00+00:00")

    html = text_of(site.build(), KESSLER_PAGE)
    assert plain_history(html) == [
        "3 June 2026, 13:00 UTC: Give the number of turbines",
        "1 June 2026, 10:00 EDT (14:00 UTC): Published",
    ]
    assert updated(html) == "2026-06-03T13:00:00+00:00" == json_ld(html)["dateModified"]


def test_commits_made_while_a_post_was_for_employees_only_are_in_its_intranet_history_alone(site):
    """A staff note later opened to the media: its public history starts when the media could first read it,
    so the subjects written for employees stay on the intranet, whose readers saw those versions."""
    git(site.root, "init", "-q")
    site.post("2026/kessler", Slug="kessler", Audience="employees")
    commit(site, "Staff note", "2026-06-01T14:05:00+00:00")
    site.post("2026/kessler", "Staff text.", Slug="kessler", Audience="employees")
    commit(site, "Staff only: INTERNALMARKER layoffs at the Maine plant", "2026-06-03T13:00:00+00:00")
    site.post("2026/kessler", "Public text.", Slug="kessler", Audience="employees, media")
    commit(site, "Open the note to the media", "2026-06-05T13:00:00+00:00")

    out = site.build()
    assert "Public text." in text_of(out, KESSLER_PAGE)
    assert files_containing(out, "INTERNALMARKER") == []
    assert "Revision history" not in text_of(out, KESSLER_PAGE)
    intranet = text_of(site.build(edition="internal"), KESSLER_PAGE)
    assert plain_history(intranet) == [
        "5 June 2026, 13:00 UTC: Open the note to the media",
        "3 June 2026, 13:00 UTC: Staff only: INTERNALMARKER layoffs at the Maine plant",
        "1 June 2026, 10:00 EDT (14:00 UTC): Published",
    ]


def test_a_commit_made_while_a_published_post_was_a_draft_again_shows_its_date_but_not_its_subject(site):
    """A published post taken back into draft is off the site while it is reworked: what its commits then say
    was not public, and stays withheld once the post is shown again (the date alone shows that it changed)."""
    git(site.root, "init", "-q")
    site.post("2026/kessler", Slug="kessler")
    commit(site, "Publish the Kessler Ridge release", "2026-06-02T13:00:00+00:00")
    site.post("2026/kessler", "Reworked.", Slug="kessler", Status="draft")
    commit(site, "Pull the release: BRENNHOLTMARKER deal falls through", "2026-06-03T13:00:00+00:00")
    site.post("2026/kessler", "Reworked.", Slug="kessler")
    commit(site, "Republish the Kessler Ridge release", "2026-06-04T13:00:00+00:00")

    out = site.build()
    assert files_containing(out, "BRENNHOLTMARKER") == []
    assert plain_history(text_of(out, KESSLER_PAGE)) == [
        "4 June 2026, 13:00 UTC: Republish the Kessler Ridge release",
        "3 June 2026, 13:00 UTC: "
        "Edited (the description of this change is withheld: it also concerns unpublished content)",
        "1 June 2026, 10:00 EDT (14:00 UTC): Published",
    ]


# --- a post deleted and put back


def published_then_deleted(site) -> str:
    """The Q3 release published, edited on 4 November, then its file deleted (a `git rm`, a bad merge): its text."""
    git(site.root, "init", "-q")
    site.post("results", "The dividend is $0.42.", **RESULTS)
    commit(site, "Publish the Q3 results", "2026-10-29T15:58:00-04:00")
    site.post("results", "The dividend is $0.42, payable in December.", **RESULTS)
    commit(site, "Give the payment month", "2026-11-04T08:00:00+00:00")
    text = (site.content / "posts/results.md").read_text()
    git(site.root, "rm", "-q", "content/posts/results.md")
    git(site.root, "commit", "-q", "-m", "Tidy the posts folder", when="2026-11-10T08:00:00+00:00")
    return text


def test_a_published_post_deleted_and_put_back_as_it_was_keeps_its_history_and_updated(site):
    """Put back byte for byte, it is the same post (same Id, address and feed id): what readers were told changed
    since its publication stays in its history, and "Updated" does not go back in time. Deleting it and putting
    it back changed nothing a reader of the post sees, and neither is listed."""
    text = published_then_deleted(site)
    site.post("results", **RESULTS).write_text(text)
    commit(site, "Restore the Q3 release", "2026-11-10T08:05:00+00:00")

    out = site.build()
    html = text_of(out, PAGE)
    assert plain_history(html) == [
        "4 November 2026, 08:00 UTC: Give the payment month",
        "29 October 2026, 16:05 EDT (20:05 UTC): Published",
    ]
    assert updated(html) == "2026-11-04T08:00:00+00:00" == json_ld(html)["dateModified"]
    assert "<updated>2026-11-04T08:00:00+00:00</updated>" in atom_entry(out)


def test_a_post_put_back_changed_lists_that_change_and_another_post_at_its_path_starts_its_own_history(site):
    """Put back with a changed text, the post keeps its history and the commit that put it back is an edit.
    A different post (another Id) later written at the same path is another post: it inherits nothing."""
    text = published_then_deleted(site)
    site.post("results", **RESULTS).write_text(text.replace("in December.", "on 15 December."))
    commit(site, "Give the payment day", "2026-11-10T08:05:00+00:00")
    assert plain_history(text_of(site.build(), PAGE)) == [
        "10 November 2026, 08:05 UTC: Give the payment day",
        "4 November 2026, 08:00 UTC: Give the payment month",
        "29 October 2026, 16:05 EDT (20:05 UTC): Published",
    ]

    git(site.root, "rm", "-q", "content/posts/results.md")
    git(site.root, "commit", "-q", "-m", "Remove the Q3 release", when="2026-11-12T08:00:00+00:00")
    # Dated before the old post's edits (an archived release imported into git): were it the same post, they
    # would be edits after its publication.
    outlook = {**RESULTS, "Title": "Q4 outlook", "Id": "2026-10-01-q4-outlook", "Date": "2026-10-01 09:00 UTC"}
    site.post("results", "The outlook for the fourth quarter.", **outlook)
    git(site.root, "add", "content")
    git(site.root, "commit", "-q", "-m", "Import the Q4 outlook", when="2026-11-15T08:00:00+00:00")
    html = text_of(site.build(), "press-releases/2026/q4-outlook/index.html")
    assert "Revision history" not in html and 'class="dt-updated"' not in html
    assert "payment" not in html


# --- merges: the published branch's own history


def merged_fix(site, fix_subject: str = "Fix the dividend figure", also=lambda site: None) -> None:
    """The Q3 release merged embargoed on 20 October; the day before its release (16:05 EDT on the 29th) an editor
    fixes the dividend on a branch; main moves on; the fix is merged with a merge commit (GitHub's default merge
    button) on 2 November, four days after the release went out with the old figure. `also(site)` makes the other
    changes of the branch commit that fixes the figure."""
    git(site.root, "init", "-q", "--initial-branch=main")
    site.post("results", "The dividend is $0.42.", **RESULTS)
    commit(site, "Add the Q3 release (embargoed)", "2026-10-20T10:00:00-04:00")
    git(site.root, "checkout", "-q", "-b", "fix-dividend")
    site.post("results", "The dividend is $0.24.", **RESULTS)
    also(site)
    commit(site, fix_subject, "2026-10-28T10:00:00-04:00")
    git(site.root, "checkout", "-q", "main")
    site.post("other", Title="Another post")
    commit(site, "Another post", "2026-10-29T12:00:00-04:00")
    merge = ("merge", "-q", "--no-ff", "-m", "Merge pull request #12 from larkspur/fix-dividend", "fix-dividend")
    git(site.root, *merge, when="2026-11-02T10:00:00+00:00")


def test_an_edit_merged_with_a_merge_commit_after_publication_is_listed_when_it_was_merged_and_moves_updated(site):
    """Readers saw $0.42 for four days, then the page changed: the change happened when it reached the published
    branch, not when its branch commit was made (before publication). The history is the branch's own, each merge
    dated when it was made, and says what the merged commit says, never "Merge pull request #12…"."""
    merged_fix(site)
    out = site.build()
    html = text_of(out, PAGE)
    assert "$0.24" in html
    assert plain_history(html) == [
        "2 November 2026, 10:00 UTC: Fix the dividend figure",
        "29 October 2026, 16:05 EDT (20:05 UTC): Published",
    ]
    assert "Merge pull request" not in html
    assert updated(html) == "2026-11-02T10:00:00+00:00" == json_ld(html)["dateModified"]
    assert "<updated>2026-11-02T10:00:00+00:00</updated>" in atom_entry(out)
    item = next(i for i in json.loads(text_of(out, "feeds/investors.json"))["items"] if "q3-results" in i["id"])
    assert item["date_modified"] == "2026-11-02T10:00:00+00:00"


@pytest.mark.parametrize(
    ("also", "shown"),
    [
        (
            lambda site: site.post("deal", Title="BRENNHOLTMARKER deal", Status="draft"),
            "Edited (the description of this change is withheld: it also concerns unpublished content)",
        ),
        (lambda site: (site.root / "newsroom_extra.py").write_text("# the newsroom's code\n"), "Edited"),
    ],
    ids=["a draft", "code"],
)
def test_a_merged_commit_that_also_changed_unpublished_content_or_code_lends_the_merge_no_subject(site, also, shown):
    """A merge's line takes the subject of the newest commit it brought in that changed the post, under the rules
    any commit's subject obeys: a commit that also touched a draft shows the date alone (its subject may name the
    draft), one that also changed the newsroom's code shows "Edited"."""
    merged_fix(site, "Fix the dividend; BRENNHOLTMARKER", also)
    out = site.build()
    assert files_containing(out, "BRENNHOLTMARKER") == [] and files_containing(out, "Merge pull request") == []
    assert plain_history(text_of(out, PAGE))[0] == f"2 November 2026, 10:00 UTC: {shown}"


def test_commits_made_on_a_branch_before_it_was_merged_are_not_edits_of_the_post_it_adds(site):
    """A post reaches readers when its commit reaches the published branch: added on a branch the day before its
    Date and reworked there after it, it was first shown by the merge, two days after its Date. What the branch's
    commits said before then was read by nobody (the subject may name what was held back) and is not listed."""
    git(site.root, "init", "-q", "--initial-branch=main")
    site.post("other", Title="Another post")
    commit(site, "Another post", "2026-10-01T12:00:00+00:00")
    git(site.root, "checkout", "-q", "-b", "q3")
    site.post("results", "The dividend is $0.42.", **RESULTS)
    commit(site, "Add the Q3 release", "2026-10-28T10:00:00-04:00")
    site.post("results", "The dividend is $0.24.", **RESULTS)
    commit(site, "WIP: BRENNHOLTMARKER figures", "2026-10-30T10:00:00-04:00")
    git(site.root, "checkout", "-q", "main")
    git(site.root, "merge", "-q", "--no-ff", "-m", "Merge pull request #9", "q3", when="2026-10-31T10:00:00+00:00")

    out = site.build()
    html = text_of(out, PAGE)
    assert "$0.24" in html and files_containing(out, "BRENNHOLTMARKER") == []
    assert "Revision history" not in html and 'class="dt-updated"' not in html
    assert json_ld(html)["dateModified"] == json_ld(html)["datePublished"] == "2026-10-29T16:05:00-04:00"

    site.post("results", "The dividend is $0.24 a share.", **RESULTS)
    git(site.root, "add", "content")  # not the build's output/ and cache/: a commit of those is no content edit
    git(site.root, "commit", "-q", "-m", "Word the dividend per share", when="2026-11-01T10:00:00+00:00")
    assert plain_history(text_of(site.build(), PAGE)) == [
        "1 November 2026, 10:00 UTC: Word the dividend per share",
        "29 October 2026, 16:05 EDT (20:05 UTC): Published",
    ]


# --- posts are never silently removed --------------------------------------------------------------------


def registered_site(site):
    """A site with two published posts, recorded in the register as the publish step would."""
    site.post("results", **RESULTS)
    site.post("older", Title="Plant opens", Date="2021-03-01 10:00 UTC", Id="2021-03-01-plant-opens")
    settings = site.settings()
    path, added = register_published(settings, load_newsroom(settings))
    assert added == ["2021-03-01-plant-opens", "2026-10-29-q3-results"]
    return path


def test_register_records_each_public_post_once_one_sorted_line_each(site):
    site.post("embargoed", Title="Later", Date="2026-12-03 16:05 America/New_York")
    path = registered_site(site)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert lines == [
        {
            "id": "2021-03-01-plant-opens",
            "path": "posts/older.md",
            "published": "2021-03-01T10:00:00+00:00",
            "url": "news/2021/plant-opens/",
        },
        {
            "id": "2026-10-29-q3-results",
            "path": "posts/results.md",
            "published": "2026-10-29T16:05:00-04:00",
            "url": "press-releases/2026/q3-results/",
        },
    ]
    settings = site.settings()
    assert register_published(settings, load_newsroom(settings))[1] == []  # nothing new: nothing added
    assert site.check() == []


def test_deleting_a_published_post_fails_the_check_on_the_command_line(site):
    registered_site(site)
    settings_file = site.settings_file("publishconf.py", NEWSROOM_NOW="2026-11-26 12:00 UTC")
    (site.content / "posts/results.md").unlink()
    result = run_invoke("check", "--settings", str(settings_file))
    assert result.returncode == 1
    assert (
        "content/posts/results.md:1: file: published post '2026-10-29-q3-results' "
        "(/press-releases/2026/q3-results/) was deleted (expected the file kept: published posts are never removed; "
        "to take one down, restore it and add 'Withdrawn: <time> | <reason>', which keeps a notice at its address)"
    ) in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("was", "now"), [(None, "fr"), ("fr", "en"), ("fr", None)])
def test_changing_a_published_posts_language_is_refused_naming_lang_and_its_old_value(site, was, now):
    """A version's key is its Id with its language (`Id@fr` outside the default language): a published post
    given another `Lang:` would be announced again as a new post. The check names what changed, `Lang:`, and the
    value to write back; asking for the `Id:` the file already has would fix nothing."""
    site.overrides["NEWSROOM_LANGUAGES"] = [
        {"code": "en", "name": "English", "default": True},
        {"code": "fr", "name": "Français"},
    ]
    site.overrides["NEWSROOM_TRANSLATION_RULES"] = {"one_language_first": True}
    lang = {"Lang": was} if was else {}
    site.post("centre", Title="Larkspur opens a visitor centre", Id="visitor-centre", Slug="visitor-centre", **lang)
    settings = site.settings()
    register_published(settings, load_newsroom(settings))

    lang = {"Lang": now} if now else {}
    site.post("centre", Title="Larkspur opens a visitor centre", Id="visitor-centre", Slug="visitor-centre", **lang)
    old, new = was or "en", now or "en"
    assert [p[p.index("content/") :] for p in site.check() if "centre.md" in p] == [
        f"content/posts/centre.md:1: lang: published post 'visitor-centre' was in {old!r}, now {new!r} (expected "
        "a published post's language never to change: feed readers and syndication know each language version by "
        f"it; write 'Lang: {old}' back)"
    ]


def test_changing_a_published_posts_id_or_address_fails_the_check(site):
    registered_site(site)
    site.post("results", **{**RESULTS, "Id": "q3-2026"})
    assert [p[p.index("content/") :] for p in site.check()] == [
        "content/posts/results.md:1: id: was '2026-10-29-q3-results' when it was published, now 'q3-2026' "
        "(expected the id never to change: feed readers and syndication know the post by it; "
        "write 'Id: 2026-10-29-q3-results' back)"
    ]
    site.post("results", **{**RESULTS, "Title": "Q3 results, restated"})
    problems = site.check()
    assert len(problems) == 1
    assert (
        "slug: the address of published post '2026-10-29-q3-results' changed from /press-releases/2026/q3-results/ "
        "to /press-releases/2026/q3-results-restated/"
    ) in problems[0]
    site.post("results", **{**RESULTS, "Title": "Q3 results, restated", "Slug": "q3-results"})
    assert site.check() == []


@pytest.mark.parametrize(
    "change", [{"Status": "draft"}, {"Status": "hidden"}, {"Audience": "employees"}, {"Date": "2026-12-30 09:00 UTC"}]
)
def test_a_published_post_cannot_be_made_unpublished_again(site, change):
    registered_site(site)
    site.post("results", **{**RESULTS, **change})
    problems = site.check()
    assert (
        len(problems) == 1
        and ("status: published post '2026-10-29-q3-results' would disappear from the public site") in problems[0]
    ), problems


def test_moving_a_published_file_keeps_it_registered(site):
    path = registered_site(site)
    (site.content / "posts/results.md").rename(site.content / "posts/2026-q3.md")
    assert site.check() == []
    settings = site.settings()
    register_published(settings, load_newsroom(settings))
    assert '"path": "posts/2026-q3.md"' in path.read_text()


def test_a_withdrawn_post_keeps_a_notice_at_its_address_and_updates_its_feed_item(site):
    registered_site(site)
    before = atom_entry(site.build())
    site.post(
        "results",
        **RESULTS,
        Withdrawn="2026-11-02 10:00 America/New_York | Withdrawn at the request of the court.",
        body="BODYMARKER text that is no longer endorsed.",
    )
    assert site.check() == []
    out = site.build()
    html = text_of(out, PAGE)
    assert (
        '<time datetime="2026-11-02T10:00:00-05:00">2 November 2026, 10:00 EST</time>: Withdrawn at the request of the court.'
    ) in html
    assert "BODYMARKER" not in html
    assert '<time class="dt-updated" datetime="2026-11-02T10:00:00-05:00">' in html
    assert "Q3 results" in text_of(out, "archive/index.html")  # still listed: the archive keeps it

    entry = atom_entry(out)
    assert re.search(r"<id>.*?</id>", entry).group(0) == re.search(r"<id>.*?</id>", before).group(0)
    assert "<updated>2026-11-02T10:00:00-05:00</updated>" in entry
    item = json.loads(text_of(out, "feeds/investors.json"))["items"][0]
    assert item["content_html"].startswith(
        "<p><strong>Withdrawn, 2 November 2026, 10:00 EST:</strong> Withdrawn at the request of the court.</p>"
    )
    assert item["date_modified"] == "2026-11-02T10:00:00-05:00"
    assert "BODYMARKER" not in text_of(out, "feeds/investors.atom.xml")
    manifest = json.loads((out / ".newsroom/manifest.json").read_text())
    assert {p["id"]: p["syndicate"] for p in manifest["posts"]}["2026-10-29-q3-results"] is False


@pytest.mark.parametrize(
    "withdrawn, expected",
    [
        ("2026-10-01 10:00 UTC | Too early", "withdrawn: is dated before the post itself (expected a later time)"),
        (
            "2026-11-02 10:00 UTC",
            "withdrawn: has no reason (expected 'time | why it was withdrawn'; readers are shown it)",
        ),
        ("yesterday | Oops", "withdrawn: 'yesterday' is not a date and time"),
    ],
)
def test_withdrawal_lines_are_checked(site, withdrawn, expected):
    site.post("results", **RESULTS, Withdrawn=withdrawn)
    problems = site.check()
    assert len(problems) == 1 and expected in problems[0], problems


def test_withdrawn_posts_stay_online_for_the_retention_period_before_they_may_be_deleted(site):
    older = {"Title": "Plant opens", "Date": "2021-03-01 10:00 UTC", "Id": "2021-03-01-plant-opens"}
    site.post("older", **older)
    site.post("kept", Title="Wind farm opens", Date="2021-04-01 10:00 UTC")
    settings = site.settings()
    register_published(settings, load_newsroom(settings))
    site.post("older", **older, Withdrawn="2026-11-01 10:00 UTC | Superseded.")
    register_published(settings, load_newsroom(settings))  # the publish step records the withdrawal
    (site.content / "posts/older.md").unlink()

    problems = site.check(NEWSROOM_NOW="2026-02-28 12:00 UTC")
    assert (
        len(problems) == 1
        and (
            "file: published post '2021-03-01-plant-opens' was deleted, but it must stay online (withdrawn) until "
            "2026-03-01, 5 years after publication (expected the file restored)"
        )
        in problems[0]
    ), problems
    assert site.check(NEWSROOM_NOW="2026-03-01 10:00 UTC") == []
    assert len(site.check(NEWSROOM_ARCHIVE={"retention_years": 6})) == 1  # configured, not hard-coded
    # A post that was never withdrawn may not be deleted, however old.
    (site.content / "posts/kept.md").unlink()
    assert [p[p.index("content/") :][:42] for p in site.check(NEWSROOM_NOW="2040-01-01 00:00 UTC")] == [
        "content/posts/kept.md:1: file: published p"
    ]


def test_posts_older_than_the_retention_period_stay_in_the_archive_listings(site):
    site.post("ancient", Title="Founding news", Date="2004-05-01 09:00 America/New_York")
    out = site.build()
    assert "Founding news" in text_of(out, "archive/index.html")
    assert "Founding news" in text_of(out, "archive/2004/index.html")
    assert (out / "news/2004/founding-news/index.html").is_file()


def test_archive_settings_are_validated(site):
    site.post("a")
    assert site.check(NEWSROOM_ARCHIVE={"retention_years": 0, "keep": True}) == [
        "settings: NEWSROOM_ARCHIVE: unknown key 'keep' (expected one of: register, retention_years)",
        "settings: NEWSROOM_ARCHIVE.retention_years: 0 must be a whole number of years, at least 1 (EU MAR asks for 5)",
    ]


def test_deleting_a_post_together_with_its_committed_register_line_is_still_refused(site):
    path = registered_site(site)
    git = ["git", "-c", "user.name=Comms", "-c", "user.email=comms@example.org"]
    subprocess.run(["git", "init", "-q"], cwd=site.root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=site.root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "Publish"], cwd=site.root, check=True)
    # The careless (or hostile) pull request: the post and its line go together, so the register agrees.
    (site.content / "posts" / "older.md").unlink()
    path.write_text("".join(line + "\n" for line in path.read_text().splitlines() if "plant-opens" not in line))
    problems = site.check()
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:1: register: the line for '2021-03-01-plant-opens' was removed")
    assert "restore it, and withdraw the post instead" in problems[0]


# --- a damaged register is refused, line by line, never guessed at --------------------------------------------

ENTRY = {
    "id": "posts/fine",
    "path": "posts/fine.md",
    "url": "news/2026/fine/",
    "published": "2026-06-01T10:00:00-04:00",
}
GONE = {"id": "posts/gone", "path": "posts/gone.md", "url": "news/2026/gone/", "published": "2026-01-01T10:00:00+00:00"}
# name -> (the register's bytes, None for a folder; what its one line says)
DAMAGED = {
    "id-a-list": (
        json.dumps({**ENTRY, "id": ["posts/fine"]}),
        ":1: not a register entry ('id' is ['posts/fine'], not str)",
    ),
    "published-not-a-time": (json.dumps({**GONE, "published": "June 1st"}), ":1: not a register entry ('published' is"),
    "published-a-number": (
        json.dumps({**GONE, "published": 5}),
        ":1: not a register entry ('published' is 5, not str)",
    ),
    "time-without-offset": (
        json.dumps({**GONE, "published": "2026-01-01T10:00:00", "withdrawn": "2026-02-01T10:00:00"}),
        ":1: not a register entry ('published' is '2026-01-01T10:00:00', without its offset)",
    ),
    "path-null": (json.dumps({**GONE, "path": None}), ":1: not a register entry ('path' is None, not str)"),
    "unknown-field": (json.dumps({**GONE, "note": "x"}), ":1: not a register entry (unknown field 'note')"),
    "a-list": ("[1, 2]", ":1: not a register entry (list, not an object)"),
    "an-id-twice": (
        json.dumps({**ENTRY, "url": "news/2026/kessler-ridge/"}) + "\n" + json.dumps(ENTRY),
        ":2: a second line for 'posts/fine' (line 1 has one)",
    ),
    "not-utf8": (json.dumps(ENTRY).encode()[:-1] + b', "note": "caf\xe9"}', ": the register cannot be read (not UTF-8"),
    "a-folder": (None, ": the register cannot be read (Is a directory)"),
}


@pytest.mark.parametrize("name", DAMAGED)
def test_a_damaged_register_is_one_line_from_check_and_register_and_is_never_rewritten(site, name):
    """A register line that is not an entry as the publish writes it (a bad merge, a hand edit) stopped the check
    with a traceback, or (an id given twice) was settled by line order: the post's first address was dropped, and
    `invoke register` rewrote the file without it."""
    site.post("fine")
    data, said = DAMAGED[name]
    path = site.root / "archive" / "register.jsonl"
    path.parent.mkdir()
    if data is None:
        path.mkdir()
    else:
        path.write_bytes(data if isinstance(data, bytes) else (data + "\n").encode())
    before = None if data is None else path.read_bytes()
    for command, conf in (("check", "pelicanconf.py"), ("register", "publishconf.py")):
        done = run_invoke(command, "--settings", str(site.settings_file(conf)))
        output = done.stdout + done.stderr
        assert done.returncode != 0 and "Traceback" not in output and f"register.jsonl{said}" in output, output
    assert before is None or path.read_bytes() == before


def test_a_version_dated_for_an_embargo_it_never_reached_was_never_shown_whenever_the_site_is_built(site):
    """A release scheduled for 10 June, brought forward and released on 5 June by a commit whose subject speaks of
    what was held back. Each version is judged at the moments it was the file's: the first one, replaced before
    its Date came, was never shown, so the releasing commit is the first that showed the post and is never listed,
    on 8 June as on 11 June (the abandoned date passing changes nothing a reader sees)."""
    git(site.root, "init", "-q")
    site.post("2026/kessler", "Planned text.", Slug="kessler", Date="2026-06-10 10:00 UTC")
    commit(site, "Schedule the Kessler Ridge release", "2026-06-01T14:00:00+00:00")
    site.post("2026/kessler", "Released text.", Slug="kessler", Date="2026-06-05 12:00 UTC")
    commit(site, "Release early, without the BRENNHOLTMARKER paragraph", "2026-06-05T12:30:00+00:00")

    for now in ("2026-06-08 12:00 UTC", "2026-06-11 12:00 UTC"):
        out = site.build(NEWSROOM_NOW=now)
        assert "Revision history" not in text_of(out, KESSLER_PAGE), now
        assert files_containing(out, "BRENNHOLTMARKER") == [], now


def test_a_different_post_moved_to_a_deleted_posts_path_inherits_none_of_its_history(site):
    """A post moved (`git mv`) to the path a deleted post had is another post: the deleted one's edits were listed
    on its page and moved its "Updated"."""
    git(site.root, "init", "-q")
    site.post("results", "The dividend is $0.42.", **RESULTS)
    commit(site, "Publish the Q3 results", "2026-10-29T21:00:00+00:00")
    site.post("results", "The dividend is $0.42, payable in December.", **RESULTS)
    commit(site, "Give the payment month", "2026-11-04T08:00:00+00:00")
    git(site.root, "rm", "-q", "content/posts/results.md")
    git(site.root, "commit", "-q", "-m", "Remove the Q3 release", when="2026-11-12T08:00:00+00:00")

    outlook = {**RESULTS, "Title": "Q4 outlook", "Id": "2026-10-01-q4-outlook", "Date": "2026-10-01 09:00 UTC"}
    site.post("outlook", "The outlook for the fourth quarter.", **outlook)
    commit(site, "Import the Q4 outlook", "2026-11-15T08:00:00+00:00")
    git(site.root, "mv", "content/posts/outlook.md", "content/posts/results.md")
    git(site.root, "commit", "-q", "-m", "Tidy file names", when="2026-11-16T08:00:00+00:00")

    html = text_of(site.build(), "press-releases/2026/q4-outlook/index.html")
    assert "payment month" not in html, plain_history(html)
    assert "Revision history" not in html and 'class="dt-updated"' not in html
