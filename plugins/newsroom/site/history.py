"""Each post's revision history, read from git in one pass over the content folder (never one git per post),
and the history a reader sees: the post's corrections and the edits made after it was published.

`git log --follow` per file would start 5,000 processes for 5,000 posts. Instead one `git log --raw -M` over the
content folder lists every commit with the files it touched; walking it newest first and following renames
backwards gives each current file its own history, as `--follow` would. The log is the published branch's own
(`--first-parent`): a pull request merged with a merge commit changed the site when it was merged, by its diff
against the branch as it was, and its line says what the commits it brought in say (MergedCommits), never
"Merge pull request #12".

A post's history in an edition starts when that edition first showed it, which its file as each commit left it
says (a `Status: draft` since removed, an `Audience: employees` since opened to the media): the raw log names the
file's version (its blob) at each commit, and one `git cat-file --batch` process (FileVersions) reads the few
versions a build asks about, for every post.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import NamedTuple

from newsroom.kit.errors import NewsroomError, clipped
from newsroom.kit.git import git_command
from newsroom.kit.git_blobs import GitBlobs, GitBlobsUnreadable
from newsroom.model import wording as phrases
from newsroom.model.frontmatter import parse_document
from newsroom.model.post import post_id
from newsroom.model.visible_text import hidden_character
from newsroom.model.wording import DEFAULT_WORDING, Wording

# Each commit's fixed-form fields (its id, its committer time, its parents' ids) and, as a field of its own, its
# subject. With -z every field and path ends with NUL, a character no subject can hold: git refuses it in a
# message, and `%s` stops at one in a commit object written by other means. The subject is then read by its place
# after the fixed-form fields, never by searching for a separator: whatever it holds, it cannot start a commit.
_FORMAT = "%H %cI %P%x00%s"
# The fixed-form fields: a full object id (SHA-1 or SHA-256), the committer time as git writes `%cI`, and the
# parents' ids (none for a root commit, two or more for a merge).
_ID = r"(?:[0-9a-f]{40}|[0-9a-f]{64})"
_COMMIT = re.compile(rf"({_ID}) (\S+) ?((?:{_ID} ?)*)")
# Shown instead of a subject when the same commit also changed something this edition does not publish: the
# subject could name an embargoed deal or a draft.
WITHHELD_SUBJECT = phrases.EDIT_WITHHELD
# Shown instead of the subject of a commit that also changed the newsroom's code, theme or settings: such a
# subject describes the repository's development ("Add search; fix the feeds"), not this post.
EDITED_SUBJECT = phrases.EDITED
# The newsroom's own subjects: a reader sees them in the page's language.
OWN_SUBJECTS = (WITHHELD_SUBJECT, EDITED_SUBJECT)


class HistoryUnreadable(NewsroomError):
    """git's log of the content folder holds something the history cannot read: one line naming the commit."""


@dataclass(frozen=True)
class Revision:
    """One committed change to a post's file: when it was committed (with its zone), its subject, and every
    file under content/ the commit touched (by today's names; a deleted file keeps its old one)."""

    when: datetime
    subject: str
    paths: tuple[str, ...] = ()
    development: bool = False  # the commit also changed files outside the content folder
    # Files (by today's names) whose text it did not change for a reader: it only renamed them, or deleted them
    # to be put back as the same post, or put them back as they were when deleted.
    moved_only: tuple[str, ...] = ()
    # (file by today's name, the blob git keeps its text in as this commit left it; none for a deleted file)
    blobs: tuple[tuple[str, str], ...] = ()

    def blob(self, path: str) -> str | None:
        """The version of the file at `path` (today's name) this commit left, or None if it left none."""
        return self._blob_of.get(path)

    @cached_property
    def _blob_of(self) -> dict[str, str]:
        # One lookup per file: a commit that touched every post is asked about each of them.
        return dict(self.blobs)


@dataclass(frozen=True)
class HistoryEntry:
    """One line of the revision history on a post's page."""

    when: datetime
    text: str


def revision_history(content_root: Path) -> dict[str, tuple[Revision, ...]]:
    """path under content/ -> its revisions, newest first. Empty outside a git checkout or without git."""
    # --first-parent --diff-merges=first-parent: the published branch's own history. A pull request merged with a
    # merge commit changed the branch when it was merged, by its diff against the branch as it was (the branch
    # commits' own times, often before a post's publication, are not when readers saw the change).
    # --full-diff: each commit that touched content/ with every file it changed, so a commit that also changed
    # code can be told apart; paths are then from the repository's root, content/ being `prefix`.
    # --raw --no-abbrev: each file's status with the full id of the version the commit left (FileVersions).
    command = git_command(
        "log", "-z", "--first-parent", "--diff-merges=first-parent", "--date-order", "-M", "--full-diff", "--raw",
        "--no-abbrev", f"--format={_FORMAT}",
    )  # fmt: skip
    try:
        prefix = subprocess.run(
            git_command("rev-parse", "--show-prefix"), cwd=content_root, capture_output=True, text=True, check=False
        )
        result = subprocess.run([*command, "--", "."], cwd=content_root, capture_output=True, check=False)
    except OSError:  # git is not installed: the site still builds, without histories
        return {}
    if prefix.returncode != 0 or result.returncode != 0:  # not a git checkout (or one without commits)
        return {}
    with FileVersions(content_root) as versions:  # started only if a deleted file was put back

        def same_post(path: str, deleted: str, added: str) -> bool:
            """Whether both versions of the file at `path` are one post: the same `Id:` (a file without one is known
            by its path, which is the same)."""
            texts = versions.text(deleted), versions.text(added)
            return None not in texts and len({post_id(parse_document(text), path) for text in texts}) == 1

        return parse_log(_decoded(result.stdout), prefix.stdout.strip(), MergedCommits(content_root), same_post)


def _decoded(output: bytes) -> str:
    return output.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class BranchCommit:
    """A commit a merge brought to the published branch: its subject, the files it changed (from the repository's
    root) and whether it changed anything outside the content folder."""

    subject: str
    paths: frozenset[str]
    development: bool


class MergedCommits:
    """The commits each merge on the published branch brought in that touched the content folder, newest first,
    read when a merge is first met: two git processes for the whole build (the commit graph and one log of the
    content folder's commits), never one per merge or per post."""

    def __init__(self, content_root: Path):
        self._root = content_root
        self._by_merge: dict[str, tuple[BranchCommit, ...]] | None = None

    def __call__(self, merge: str, prefix: str) -> tuple[BranchCommit, ...]:
        if self._by_merge is None:
            self._by_merge = self._read(prefix)
        return self._by_merge.get(merge, ())

    def _read(self, prefix: str) -> dict[str, tuple[BranchCommit, ...]]:
        log = git_command(
            "log", "-z", "--no-merges", "-M", "--full-diff", "--raw", "--no-abbrev", f"--format={_FORMAT}"
        )
        try:
            graph = subprocess.run(
                git_command("rev-list", "--parents", "HEAD"), cwd=self._root, capture_output=True, check=False
            )
            content = subprocess.run([*log, "--", "."], cwd=self._root, capture_output=True, check=False)
        except OSError:
            return {}
        if graph.returncode != 0 or content.returncode != 0:
            return {}
        touched = {
            commit: BranchCommit(
                readable_subject(subject),
                frozenset(path for change in changes for path in (change.old, change.new)),
                any(not path.startswith(prefix) for change in changes for path in (change.old, change.new)),
            )
            for commit, _, _, subject, changes in _commits(_decoded(content.stdout).split("\0"))
        }  # newest first, as git log lists them
        order = {commit: place for place, commit in enumerate(touched)}
        return {
            merge: tuple(touched[c] for c in sorted((c for c in commits if c in touched), key=order.__getitem__))
            for merge, commits in brought_in(_decoded(graph.stdout)).items()
        }


def brought_in(graph: str) -> dict[str, list[str]]:
    """Each merge on the branch -> the commits it brought to it (reachable from its other parents, not from its
    first), from `git rev-list --parents HEAD` output (one commit and its parents a line, newest first). One walk
    of the graph: the branch's commits oldest first, each commit counted once."""
    parents = {}
    for line in graph.split("\n"):
        if line.strip():
            commit, *its_parents = line.split()
            parents[commit] = its_parents
    branch, commit = [], next(iter(parents), None)
    while commit is not None:  # the first-parent chain from the tip
        branch.append(commit)
        commit = next(iter(parents.get(commit, ())), None)
    reached: set[str] = set()  # every commit the branch held before the commit being walked
    merged: dict[str, list[str]] = {}
    for commit in reversed(branch):
        found, waiting = [], list(parents.get(commit, ())[1:])
        while waiting:
            other = waiting.pop()
            if other not in reached:
                reached.add(other)
                found.append(other)
                waiting.extend(parents.get(other, ()))
        if found:
            merged[commit] = found
        reached.add(commit)
    return merged


def parse_log(
    text: str,
    prefix: str = "",
    merged: Callable[[str, str], tuple[BranchCommit, ...]] = lambda merge, prefix: (),
    same_post: Callable[[str, str, str], bool] = lambda path, deleted, added: False,
) -> dict[str, tuple[Revision, ...]]:
    """Histories from `git log -z --raw --no-abbrev --format=%H %cI %P%x00%s` output (newest commit first),
    following renames. Paths are from the repository's root; `prefix` is the content folder's ('content/'): a
    commit that changed anything outside it is marked `development`. `merged` gives the commits a merge brought in
    (MergedCommits), whose subjects describe its changes. A file deleted and later added again at the same path
    continues its history when `same_post(path, version deleted, version added)` says both are one post (the
    deleting commit then changed nothing a reader sees, nor did the adding one if it put the file back as it
    was); otherwise the older file is another one. Output that does not read as that is HistoryUnreadable, naming
    the commit."""
    histories: dict[str, list[Revision]] = {}
    # A path as it was at the commit being read -> the file's path today (a path not in it is its own name).
    current: dict[str, str] = {}
    # Paths whose file was created in a newer commit (-> the version it was created with): older commits are
    # another file, unless a deleted version is the same post (same_post).
    ended: dict[str, str] = {}
    for commit, when, parents, subject, changes in _commits(text.split("\0")):
        owners, touched = {}, []  # the files whose history this is (by their name then); every file it changed
        moved: list[str] = []
        blobs: list[tuple[str, str]] = []
        development = False
        for before, blob, status, old, new in changes:
            if not (old.startswith(prefix) and new.startswith(prefix)):
                development = True  # code, theme, settings, tests: this commit is not only about content
                continue
            named = new
            old, new = old[len(prefix) :], new[len(prefix) :]
            today = current.get(new, new)
            if new in ended:
                if status[0] != "D" or not same_post(new, before, ended[new]):
                    touched.append(f"{new} (an earlier file of that name)")  # never publishable: it is gone
                    continue
                # Deleted, then put back as the same post: one history. The deletion left no version to read;
                # putting it back changed nothing if it came back as it was.
                moved.append(today)
                if ended.pop(new) == before:
                    histories[today][-1] = replace(
                        histories[today][-1], moved_only=(*histories[today][-1].moved_only, today)
                    )
            owners[today] = named
            touched.append(today)
            if status[0] != "D":
                blobs.append((today, blob))
            if status == "R100":
                moved.append(today)
            if status[0] == "R":
                current[old] = today  # older commits knew this file by its old name
                ended.pop(old, None)
            if status[0] in "ACR":
                ended[new] = blob  # before this commit, a file at `new` was another one (moved in: one deleted)
        revision = Revision(
            _commit_time(commit, when),
            readable_subject(subject),
            tuple(sorted(set(touched))),
            development,
            tuple(moved),
            tuple(blobs),
        )
        of_merge: dict[str, Revision] = {}  # a merge's revision per subject, shared by the files it describes
        for path, named in owners.items():
            if len(parents) > 1:
                told = _merged_subject(
                    named, merged(commit, prefix), {p for change in changes for p in (change.old, change.new)}
                )
                revision = of_merge.setdefault(told, replace(revision, subject=told))
            histories.setdefault(path, []).append(revision)
    return {
        path: tuple(sorted(revisions, key=lambda r: r.when.timestamp(), reverse=True))
        for path, revisions in histories.items()
    }


def _merged_subject(path: str, brought: tuple[BranchCommit, ...], merge_changed: set[str]) -> str:
    """What a merge's line in the history of the file at `path` says: never the merge's own subject ("Merge pull
    request #12 from org/branch" describes the repository's workflow), but that of the newest commit it brought in
    that changed the file, when that commit changed nothing the merge itself did not (what the merge changed is
    then judged as any commit's, public_history); otherwise "Edited"."""
    for branch_commit in brought:
        if path in branch_commit.paths:
            fits = not branch_commit.development and branch_commit.paths <= merge_changed
            return branch_commit.subject if fits else EDITED_SUBJECT
    return EDITED_SUBJECT  # changed by the merge alone (a conflict resolved)


class Change(NamedTuple):
    """One file a commit changed, as its raw line gives it."""

    before: str  # the version it had (its blob; zeros for a file the commit added)
    after: str  # the version the commit left (zeros for a file it deleted)
    status: str  # A, M, D, R100…
    old: str  # its path before (the same as `new` but for a rename or copy)
    new: str


def _commits(fields: list[str]) -> Iterable[tuple[str, str, list[str], str, list[Change]]]:
    """Each commit of the log's NUL-separated fields: its id, its committer time, its parents, its subject and its
    changes.

    Every field is taken by its place: a commit's fixed-form fields, then its subject (whatever it holds), then
    its changes, each a raw line (":100644 100644 <blob before> <blob after> <status>") followed by one path, or
    two for a rename or copy; the next field that is not a raw line starts the next commit."""
    commit = "the first commit"
    index = 0
    while index < len(fields):
        if not fields[index]:  # the NUL that ends the output
            index += 1
            continue
        header = _COMMIT.fullmatch(fields[index])
        if header is None or index + 1 >= len(fields):
            raise HistoryUnreadable(
                f"git log of the content folder: after {commit}, {clipped(fields[index])!r} is not a commit's id "
                "and time (expected git's own log: run `git fsck` and repair the repository)"
            )
        commit, when, parents, subject = header.group(1), header.group(2), header.group(3).split(), fields[index + 1]
        index += 2
        changes: list[Change] = []
        while index < len(fields) and fields[index].startswith((":", "\n:")):
            *_, before, after, status = ["", "", "", *fields[index].lstrip("\n").split(" ")]
            paths = 2 if status[:1] in ("R", "C") else 1
            if (
                not (before and after and status)
                or index + paths >= len(fields)
                or not all(fields[index + 1 : index + 1 + paths])
            ):
                raise HistoryUnreadable(
                    f"git log of the content folder: commit {commit}: the change {clipped(fields[index])!r} names "
                    "no file (expected git's own log: run `git fsck` and repair the repository)"
                )
            old, new = fields[index + 1], fields[index + paths]
            changes.append(Change(before, after, status, old, new))
            index += 1 + paths
        yield commit, when, parents, subject, changes


def readable_subject(subject: str) -> str:
    """A commit's subject as a page may show it: itself when it is plain visible text (the rule every header value
    obeys, visible_text.hidden_character), else the neutral "Edited". A subject is written by whoever commits, and
    is reviewed in a terminal: a right-to-left override or a control character in it would make the page say
    something else than the reviewer read."""
    subject = subject.strip()
    return subject if hidden_character(subject) is None else EDITED_SUBJECT


def _commit_time(commit: str, when: str) -> datetime:
    """The commit's time as git gave it (`%cI`): a commit object written by other means than `git commit` may
    carry a time zone no clock has (+9999), which is one line naming the commit, never a traceback."""
    try:
        return datetime.fromisoformat(when)
    except ValueError:
        raise HistoryUnreadable(
            f"git log of the content folder: commit {commit}: its committer time {when!r} is not a time (expected "
            "a zone offset within ±24:00: rewrite that commit, e.g. amend it in `git rebase -i`, which gives it "
            "a valid committer time)"
        ) from None


class FileVersions:
    """The text of a content file's version (a blob of `git log --raw`), read by one blob reader the whole build
    shares (kit/git_blobs.py: one `git cat-file --batch` process, started when first asked, never one git per post
    or per commit). A version git cannot give (no git, a damaged repository) is None: the caller takes it as a
    version nobody saw."""

    def __init__(self, content_root: Path):
        self._blobs = GitBlobs(content_root)

    def text(self, blob: str) -> str | None:
        try:
            data = self._blobs.read(blob)
        except GitBlobsUnreadable:
            return None
        if data is None:
            return None
        return data.decode("utf-8", errors="replace").removeprefix("\ufeff")  # as the checks read a file

    def close(self) -> None:
        self._blobs.close()

    def __enter__(self) -> FileVersions:
        return self

    def __exit__(self, kind: type | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.close()


def first_shown(
    versions: Mapping[str, Iterable[Revision]],
    shown: Callable[[str, Revision, datetime], bool],
    date_of: Callable[[str, Revision], datetime | None],
    now: datetime,
) -> datetime | None:
    """When an edition first showed a release, by `now`: the first moment at which every language version the
    repository held then (`versions`: each one's path and revisions) was shown, as the version of its file then
    says at that moment (`shown`); None if none was. A version is the file's from its commit to the next: it is
    shown from its commit, or from its own Date (`date_of`) if that comes later while it is still the file's, so
    a version dated for an embargo it never reached, replaced before, was never shown, whenever the site is
    built. A version added later holds nothing back: the English post published in January stays published from
    January when its French version lands in March."""
    histories = {path: sorted(revisions, key=_moment) for path, revisions in versions.items()}
    moments = {r.when for revisions in histories.values() for r in revisions}
    moments |= {date for path, revisions in histories.items() for r in revisions if (date := date_of(path, r))}
    # The moments in order, each file's history walked alongside (how many of its revisions are in by then): one
    # pass, where listing every file's revisions up to each moment again cost commits² for a long-held post.
    taken = dict.fromkeys(histories, 0)
    for moment in sorted(moments, key=datetime.timestamp):
        if moment.timestamp() > now.timestamp():
            return None
        for path, revisions in histories.items():
            while taken[path] < len(revisions) and _moment(revisions[taken[path]]) <= moment.timestamp():
                taken[path] += 1
        then = [(path, histories[path][count - 1]) for path, count in taken.items() if count]
        if then and all(shown(path, revision, moment) for path, revision in then):
            return moment
    return None


def _moment(revision: Revision) -> float:
    return revision.when.timestamp()


def public_history(
    revisions: tuple[Revision, ...],
    publishable: Callable[[str, Revision], bool],
    verdicts: dict[int, Revision] | None = None,
    is_post: Callable[[str], bool] = lambda path: False,
) -> tuple[Revision, ...]:
    """The revisions as an edition may show them: a subject only where it describes this post: every file its
    commit touched is `publishable` in that edition as of that commit (a post shown now and in the version the
    commit left, a published image…), the commit changed nothing but content, and no other post; otherwise the
    date with a neutral note.

    `verdicts` caches the answer per commit across posts: one commit that touched 5,000 posts is judged once."""
    verdicts = {} if verdicts is None else verdicts
    shown = []
    for revision in revisions:
        key = id(revision)  # one Revision object per commit (parse_log shares it between the files it touched)
        if key not in verdicts:
            fine = all(publishable(path, revision) for path in revision.paths)
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
    shown_since: datetime | None,
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
    (as public_history allows it). Any other commit after publication is an edit at its own time.

    Publication is the later of the post's Date and `shown_since`, the time of the commit at which this edition
    first showed it (first_shown; None: no commit read here did). That commit is its first version here: the one
    that added the file (even long after its Date: a backdated post, an archive imported into git), or took it
    out of draft, or opened it to this edition's readers. Every commit before it or before the Date was made
    while readers could not see the post (a draft, an embargo, a memo for employees), and none is listed: its
    subject may name what was withheld. `revisions` holds no commit that only moved the file. The entries are in
    `words`' language (the post's), but for the commits' own subjects."""
    declared = [(c.when, words.say(phrases.CORRECTION_TEXT, text=c.text)) for c in corrections]
    if withdrawal is not None:
        declared.append((withdrawal.when, words.say(phrases.WITHDRAWN_TEXT, reason=withdrawal.reason)))
    if modified is not None and modified not in {when for when, _ in declared}:  # else it is that correction
        declared.append((modified, ""))  # an edit: its text is the subject of the commit that made it
    declared = [(when, text) for when, text in declared if when > published]
    entries = []
    start = published if shown_since is None else max(published, shown_since)
    after = [revision for revision in revisions if shown_since is not None and revision.when > start]
    previous = start  # what a commit carried is dated after the commit before it, and after publication
    for revision in sorted(after, key=lambda revision: revision.when.timestamp()):
        carried = [(when, text) for when, text in declared if previous < when <= revision.when]
        previous = revision.when
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
