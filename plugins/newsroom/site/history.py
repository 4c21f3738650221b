"""Each post's revision history, read from git in one pass over the content folder (never one git per post),
and the history a reader sees: the post's corrections and the edits made after it was published.

`git log --follow` per file would start 5,000 processes for 5,000 posts. Instead one `git log --name-status -M`
over the content folder lists every commit with the files it touched; walking it newest first and following
renames backwards gives each current file its own history, as `--follow` would.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from newsroom.model import wording as phrases
from newsroom.model.wording import DEFAULT_WORDING, Wording

# \x01 starts a commit, \x1f separates its date from its subject; -z ends every field with NUL.
_FORMAT = "%x01%cI%x1f%s"
# Shown instead of a subject when the same commit also changed something this edition does not publish: the
# subject could name an embargoed deal or a draft.
WITHHELD_SUBJECT = phrases.EDIT_WITHHELD
# Shown instead of the subject of a commit that also changed the newsroom's code, theme or settings: such a
# subject describes the repository's development ("Add search; fix the feeds"), not this post.
EDITED_SUBJECT = phrases.EDITED
# The newsroom's own subjects: a reader sees them in the page's language.
OWN_SUBJECTS = (WITHHELD_SUBJECT, EDITED_SUBJECT)


@dataclass(frozen=True)
class Revision:
    """One committed change to a post's file: when it was committed (with its zone), its subject, and every
    file under content/ the commit touched (by today's names; a deleted file keeps its old one)."""

    when: datetime
    subject: str
    paths: tuple[str, ...] = ()
    development: bool = False  # the commit also changed files outside the content folder
    moved_only: tuple[str, ...] = ()  # files (by today's names) it only renamed: their text did not change


@dataclass(frozen=True)
class HistoryEntry:
    """One line of the revision history on a post's page."""

    when: datetime
    text: str


def revision_history(content_root: Path) -> dict[str, tuple[Revision, ...]]:
    """path under content/ -> its revisions, newest first. Empty outside a git checkout or without git."""
    # --full-diff: each commit that touched content/ with every file it changed, so a commit that also changed
    # code can be told apart; paths are then from the repository's root, content/ being `prefix`.
    command = ["git", "log", "-z", "--date-order", "-M", "--full-diff", "--name-status", f"--format={_FORMAT}"]
    try:
        prefix = subprocess.run(
            ["git", "rev-parse", "--show-prefix"], cwd=content_root, capture_output=True, text=True, check=False
        )
        result = subprocess.run([*command, "--", "."], cwd=content_root, capture_output=True, check=False)
    except OSError:  # git is not installed: the site still builds, without histories
        return {}
    if prefix.returncode != 0 or result.returncode != 0:  # not a git checkout (or one without commits)
        return {}
    return parse_log(result.stdout.decode("utf-8", errors="replace"), prefix.stdout.strip())


def parse_log(text: str, prefix: str = "") -> dict[str, tuple[Revision, ...]]:
    """Histories from `git log -z --name-status` output (newest commit first), following renames. Paths are
    from the repository's root; `prefix` is the content folder's ('content/'): a commit that changed anything
    outside it is marked `development`."""
    histories: dict[str, list[Revision]] = {}
    # A path as it was at the commit being read -> the file's path today (a path not in it is its own name).
    current: dict[str, str] = {}
    ended: set[str] = set()  # paths whose file was created in a newer commit: older commits are another file
    for chunk in text.split("\x01")[1:]:
        header, _, changes = chunk.partition("\0")
        date, _, subject = header.partition("\x1f")
        tokens = changes.lstrip("\n").split("\0")
        owners, touched = [], []  # the files whose history this is; every file it changed, for public_history
        moved: list[str] = []
        development = False
        index = 0
        while index < len(tokens) and tokens[index]:
            status = tokens[index]
            if status[0] in "RC":
                old, new = tokens[index + 1], tokens[index + 2]
                index += 3
            else:
                old = new = tokens[index + 1]
                index += 2
            if not (old.startswith(prefix) and new.startswith(prefix)):
                development = True  # code, theme, settings, tests: this commit is not only about content
                continue
            old, new = old[len(prefix) :], new[len(prefix) :]
            if new in ended:
                touched.append(f"{new} (an earlier file of that name)")  # never publishable: it is gone
                continue
            today = current.get(new, new)
            owners.append(today)
            touched.append(today)
            if status == "R100":
                moved.append(today)
            if status[0] == "R":
                current[old] = today  # older commits knew this file by its old name
                ended.discard(old)
            elif status[0] in "AC":
                ended.add(new)
        revision = Revision(
            datetime.fromisoformat(date), subject.strip(), tuple(sorted(set(touched))), development, tuple(moved)
        )
        for path in dict.fromkeys(owners):
            histories.setdefault(path, []).append(revision)
    return {
        path: tuple(sorted(revisions, key=lambda r: r.when.timestamp(), reverse=True))
        for path, revisions in histories.items()
    }


def public_history(
    revisions: tuple[Revision, ...],
    publishable: Callable[[str], bool],
    verdicts: dict[int, Revision] | None = None,
    is_post: Callable[[str], bool] = lambda path: False,
) -> tuple[Revision, ...]:
    """The revisions as an edition may show them: a subject only where it describes this post: every file its
    commit touched is `publishable` in that edition (a shown post, a published image…), the commit changed
    nothing but content, and no other post; otherwise the date with a neutral note.

    `verdicts` caches the answer per commit across posts: one commit that touched 5,000 posts is judged once."""
    verdicts = {} if verdicts is None else verdicts
    shown = []
    for revision in revisions:
        key = id(revision)  # one Revision object per commit (parse_log shares it between the files it touched)
        if key not in verdicts:
            fine = all(publishable(path) for path in revision.paths)
            if not fine:
                verdicts[key] = replace(revision, subject=WITHHELD_SUBJECT)
            elif revision.development or sum(map(is_post, revision.paths)) > 1:
                verdicts[key] = replace(revision, subject=EDITED_SUBJECT)  # about the repository, or many posts
            else:
                verdicts[key] = revision
        shown.append(verdicts[key])
    return tuple(shown)


def reader_history(
    published: datetime,
    revisions: tuple[Revision, ...],
    corrections: Iterable = (),
    withdrawal=None,
    modified: datetime | None = None,
    words: Wording = DEFAULT_WORDING,
) -> tuple[HistoryEntry, ...]:
    """What a reader needs to know of a post's changes, newest first, ending with its publication: its
    withdrawal, its corrections (with their text) and its edits after publication.

    The dates are the post's own where it gives one: a commit that carried a correction, a withdrawal or a new
    `Modified:` time (one dated after the commit before it, and not after this one) is listed at that time, as
    the page's "Updated" and the feeds give it, with the correction's text, or for an edit the commit's subject
    (as public_history allows it). Any other commit after publication is an edit at its own time. Commits
    before publication were drafts, and the commit that added the file is its first version even when it came
    later (a backdated post, an archive imported into git); `revisions` holds no commit that only moved the
    file. The entries are in `words`' language (the post's), but for the commits' own subjects."""
    declared = [(c.when, words.say(phrases.CORRECTION_TEXT, text=c.text)) for c in corrections]
    if withdrawal is not None:
        declared.append((withdrawal.when, words.say(phrases.WITHDRAWN_TEXT, reason=withdrawal.reason)))
    if modified is not None and modified not in {when for when, _ in declared}:  # else it is that correction
        declared.append((modified, ""))  # an edit: its text is the subject of the commit that made it
    declared = [(when, text) for when, text in declared if when > published]
    entries = []
    oldest_first = sorted(revisions, key=lambda revision: revision.when.timestamp())
    previous = None
    for revision in oldest_first:
        carried = [
            (when, text) for when, text in declared if (previous is None or previous < when) and when <= revision.when
        ]
        previous = revision.when
        if revision.when <= published or revision is oldest_first[0]:
            continue  # a draft, or the commit that added the file (a backdated post, an imported archive)
        subject = words.say(revision.subject) if revision.subject in OWN_SUBJECTS else revision.subject
        entries += [HistoryEntry(when, text or subject) for when, text in carried]
        if not carried:
            entries.append(HistoryEntry(revision.when, subject))
    listed = {entry.when for entry in entries}
    # Declared, but in no commit read here (a build outside git, or a time after the last commit).
    entries += [HistoryEntry(when, text or words.say(phrases.UPDATED)) for when, text in declared if when not in listed]
    entries.sort(key=lambda entry: entry.when.timestamp(), reverse=True)
    return (*entries, HistoryEntry(published, words.say(phrases.PUBLISHED)))


def last_change(history: tuple[HistoryEntry, ...]) -> datetime | None:
    """The page's "Updated": the newest entry after the publication, or None when nothing changed since."""
    return history[0].when if len(history) > 1 else None
