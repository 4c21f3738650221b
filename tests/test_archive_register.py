"""The archive register as the one record of what has been public: what it records of a post is one-way, and every
line it has ever held in git's history must still be in it, whatever the history looks like.

Each test that needs history makes its own git repository in tmp_path, with a fixed identity and no configuration
of the machine's."""

from __future__ import annotations

import json

import pytest

from conftest import files_containing
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
WITHDRAWN = "2026-11-02 10:00 America/New_York | Withdrawn at the request of the court."
BODY = "WITHDRAWNBODYMARKER figures the court ordered taken down."


def publish(site):
    """Record the posts now public in the register, as the publish step does after each deploy."""
    settings = site.settings()
    return register_published(settings, load_newsroom(settings))[0]


def published_then_withdrawn(site):
    """A post published, then withdrawn, each state recorded by a publish."""
    site.post("results", BODY, **RESULTS)
    publish(site)
    site.post("results", BODY, **RESULTS, Withdrawn=WITHDRAWN)
    path = publish(site)
    assert json.loads(path.read_text())["withdrawn"] == "2026-11-02T10:00:00-05:00"
    return path


# --- what the register records of a post is one-way ----------------------------------------------------------


def test_a_withdrawal_taken_back_by_a_later_commit_is_refused_and_the_text_is_never_republished(site):
    """A `git revert` of the withdrawal, a merge that kept the older side, or the file restored from before it all
    leave a file without its `Withdrawn:` line: the check was silent and the build put the withdrawn body back on
    the page, in the feeds and in search. The register recorded the withdrawal, so it is what decides."""
    published_then_withdrawn(site)
    site.post("results", BODY, **RESULTS)  # the withdrawal undone

    assert [p[p.index("content/") :] for p in site.check()] == [
        "content/posts/results.md:1: withdrawn: published post '2026-10-29-q3-results' was withdrawn at "
        "2026-11-02T10:00:00-05:00 (the register records it), but the file no longer says so and would publish the "
        "withdrawn text again (expected 'Withdrawn: 2026-11-02T10:00:00-05:00 | <reason>' written back: a post "
        "cannot be un-withdrawn; to publish the text again, publish a new post with a new Id)"
    ]
    with pytest.raises(BuildFailed):
        site.build()
    assert not (site.root / "output").exists() or files_containing(site.root / "output", "WITHDRAWNBODYMARKER") == []


def test_a_withdrawal_written_back_as_the_register_gives_it_passes(site):
    """The fix the message gives works: the recorded time, written as the register has it, and any reason."""
    published_then_withdrawn(site)
    site.post("results", BODY, **RESULTS, Withdrawn="2026-11-02T10:00:00-05:00 | Withdrawn by court order.")
    assert site.check() == []


def test_a_withdrawal_moved_to_another_time_is_refused_and_the_register_keeps_the_first(site):
    """The withdrawal time is what the notice, the feeds' `updated` and the channels gave. A later publish used to
    overwrite it with whatever the file said; now the register keeps the first, and the check names the change.
    The same instant written in another zone is the same withdrawal."""
    path = published_then_withdrawn(site)
    site.post("results", BODY, **RESULTS, Withdrawn="2026-11-20 10:00 UTC | Withdrawn at the request of the court.")
    problems = site.check()
    assert [p[p.index("content/") :] for p in problems] == [
        "content/posts/results.md:1: withdrawn: published post '2026-10-29-q3-results' was withdrawn at "
        "2026-11-02T10:00:00-05:00 (the register records it), now at 2026-11-20T10:00:00+00:00 (expected the "
        "withdrawal time never to change: the notice, the feeds and the channels gave it; write "
        "'Withdrawn: 2026-11-02T10:00:00-05:00 | <reason>' back)"
    ]
    publish(site)
    assert json.loads(path.read_text())["withdrawn"] == "2026-11-02T10:00:00-05:00"

    site.post("results", BODY, **RESULTS, Withdrawn="2026-11-02 15:00 UTC | Withdrawn at the request of the court.")
    assert site.check() == []
