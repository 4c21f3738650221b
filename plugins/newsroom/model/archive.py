"""The archive's promise: a published post is never silently removed.

`archive/register.jsonl` (NEWSROOM_ARCHIVE["register"]) is committed with the site: one line per post that has been
public, with its id, file, address and publication time, sorted by id so a pull request shows each new post as one
added line. A post published for employees only (on the intranet, and announced on the internal channels) has its
line too, marked `internal`: the ledger knows every announced post by its id, so a changed id or a moved file would
be announced again as a new post. The publish step adds new posts to it (`invoke register`); lines are never
removed. `invoke check` compares the content with it: a registered post whose file is gone, whose id changed or
whose address changed is an error. A post is taken down by marking it `Withdrawn:`, which keeps a notice at its
address; only a withdrawn post older than the retention period (5 years by default) may then be deleted.

What the register records of a post is one-way: its id, its address and its withdrawal time, once recorded, are
never changed by a later publish, and a post whose file no longer says what the register holds is an error. So a
withdrawal undone by a later commit (a revert, a merge that kept the older side, a file restored from before it)
cannot put the withdrawn text back: the register, not the file, is what says the post was withdrawn.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from pathlib import Path

from newsroom.kit.errors import NewsroomError
from newsroom.kit.files import write_text_atomically
from newsroom.model.languages import split_version_key

DEFAULT_REGISTER = "archive/register.jsonl"
DEFAULT_RETENTION_YEARS = 5


class RegisterError(NewsroomError, ValueError):
    """The register file cannot be read; the message names the file and the line."""


@dataclass(frozen=True)
class ArchiveSettings:
    """NEWSROOM_ARCHIVE, validated."""

    register: str = DEFAULT_REGISTER  # relative to the project folder (the parent of content/)
    retention_years: int = DEFAULT_RETENTION_YEARS


@dataclass(frozen=True)
class Entry:
    """A post that has been public: what must stay true of it."""

    id: str
    path: str  # under content/
    url: str  # relative to the site root
    published: str  # ISO 8601 with its offset
    withdrawn: str = ""  # ISO 8601, once the post was withdrawn
    internal: bool = False  # published for employees only when registered (no line says False: JSON omits it)

    def line(self) -> str:
        data = {key: value for key, value in asdict(self).items() if value}
        return json.dumps(data, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class CurrentPost:
    """A post as the content has it now (from the checks' reading of the files)."""

    id: str
    path: str
    url: str | None  # None when it cannot be worked out (an unusual ARTICLE_URL); then it is not compared
    published: datetime
    withdrawn: datetime | None
    public: bool  # shown by the public edition now
    internal: bool = False  # shown by the internal edition alone now (every audience it names is internal)


def register_path(settings: Mapping, archive: ArchiveSettings) -> Path:
    return Path(settings["PATH"]).resolve().parent / archive.register


def read_register(path: Path) -> dict[str, Entry]:
    """post id -> entry. A missing file is an empty register (a new site). A line that is not an entry as
    `write_register` writes it (a field of another type, a time without its offset, an id given twice) is refused
    with its line: the register is what keeps published posts from disappearing, so none of it is guessed at."""
    if not path.exists():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        why = error.strerror if isinstance(error, OSError) else f"not UTF-8 text at byte {error.start}"
        raise RegisterError(f"{path}: the register cannot be read ({why}); restore it from git") from None
    entries: dict[str, Entry] = {}
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = _entry(json.loads(line))
        except ValueError as error:
            raise RegisterError(f"{path}:{number}: not a register entry ({error}); restore it from git") from None
        if entry.id in entries:
            raise RegisterError(
                f"{path}:{number}: a second line for {entry.id!r} (line {lines[entry.id]} has one), which would "
                "settle which address is the post's by its order; restore the register from git"
            )
        entries[entry.id], lines[entry.id] = entry, number
    return entries


def _entry(data: object) -> Entry:
    """An Entry from one line's JSON; ValueError naming what is wrong."""
    if not isinstance(data, dict):
        raise ValueError(f"{type(data).__name__}, not an object")
    names = {field.name: field for field in fields(Entry)}
    if unknown := sorted(set(data) - set(names)):
        raise ValueError(f"unknown field {unknown[0]!r}")
    for name in ("id", "path", "url", "published"):
        if name not in data:
            raise ValueError(f"no {name!r}")
    for name, value in data.items():
        wanted = bool if name == "internal" else str
        if not isinstance(value, wanted):
            raise ValueError(f"{name!r} is {value!r}, not {wanted.__name__}")
    for name in ("published", "withdrawn"):
        if data.get(name):
            try:
                moment = datetime.fromisoformat(data[name])
            except ValueError:
                raise ValueError(f"{name!r} is {data[name]!r}, not an ISO 8601 time") from None
            if moment.tzinfo is None:
                raise ValueError(f"{name!r} is {data[name]!r}, without its offset")
    if not data["id"]:
        raise ValueError("an empty 'id'")
    return Entry(**data)


def write_register(path: Path, entries: Iterable[Entry]) -> None:
    """Write atomically, sorted by id: the same register gives the same bytes."""
    write_text_atomically(path, "".join(entry.line() + "\n" for entry in sorted(entries, key=lambda e: e.id)))


def updated_register(entries: Mapping[str, Entry], posts: Iterable[CurrentPost]) -> dict[str, Entry]:
    """The register after a publish: every post published now (public or internal) added, moves and withdrawals
    recorded, an internal post made public recorded as public, nothing removed."""
    result = dict(entries)
    for post in posts:
        known = result.get(post.id)
        if known is None:
            if post.public or post.internal:
                result[post.id] = Entry(
                    post.id,
                    post.path,
                    post.url or "",
                    post.published.isoformat(),
                    post.withdrawn.isoformat() if post.withdrawn else "",
                    internal=not post.public,
                )
            continue
        made_public = known.internal and post.public
        result[post.id] = replace(
            known,
            path=post.path,
            # The first withdrawal recorded is kept: a file that no longer says it is refused by the check.
            withdrawn=known.withdrawn or (post.withdrawn.isoformat() if post.withdrawn else ""),
            url=(post.url or known.url) if made_public else known.url,
            internal=known.internal and not made_public,
        )
    return result


def removal_problems(
    entries: Mapping[str, Entry],
    posts: Iterable[CurrentPost],
    retention_years: int,
    now: datetime,
    default_language: str,
) -> list[tuple[str, str, str]]:
    """(path, field, message) for every registered post that is gone, hidden, changed its id or its language,
    moved its address, or no longer says the withdrawal the register records. `default_language`: the code of the
    language whose versions' keys are their Id alone."""
    by_id = {post.id: post for post in posts}
    by_path = {post.path: post for post in by_id.values()}
    problems = []
    for entry in sorted(entries.values(), key=lambda e: e.path):
        post = by_id.get(entry.id)
        if post is not None:
            problems += [(post.path, field, message) for field, message in _recorded_facts_changed(entry, post)]
            continue
        published = datetime.fromisoformat(entry.published)
        kept_until = _add_years(published, retention_years)
        successor = by_path.get(entry.path)
        if successor is not None:
            problems.append((entry.path, *_changed_key(entry.id, successor.id, default_language)))
        elif entry.withdrawn and now >= kept_until:
            continue  # withdrawn, and past the retention period: it may go
        elif entry.withdrawn:
            problems.append(
                (
                    entry.path,
                    "file",
                    f"published post {entry.id!r} was deleted, but it must stay online (withdrawn) until "
                    f"{kept_until:%Y-%m-%d}, {retention_years} years after publication (expected the file restored)",
                )
            )
        else:
            problems.append(
                (
                    entry.path,
                    "file",
                    f"published post {entry.id!r} (/{entry.url}) was deleted (expected the file kept: published "
                    "posts are never removed; to take one down, restore it and add "
                    "'Withdrawn: <time> | <reason>', which keeps a notice at its address)",
                )
            )
    return problems


def _recorded_facts_changed(entry: Entry, post: CurrentPost) -> list[tuple[str, str]]:
    """(field, message) for each fact the register recorded of a post that its file no longer says: that it is
    published (publicly, or for employees), its address, and its withdrawal. Each is one-way: the register is
    what was told to readers, feeds and channels, so the file is what must be put back."""
    problems = []
    if entry.internal and not (post.public or post.internal):
        problems.append(
            (
                "status",
                f"internal post {entry.id!r}, published for employees, would disappear from the intranet "
                "(a draft or hidden status or a future Date; expected it to stay published: to take it "
                "down, add 'Withdrawn: <time> | <reason>' instead)",
            )
        )
    elif not entry.internal and not post.public:
        problems.append(
            (
                "status",
                f"published post {entry.id!r} would disappear from the public site (a draft or hidden "
                "status, a future Date or an internal-only audience; expected it to stay public: to take it "
                "down, add 'Withdrawn: <time> | <reason>' instead)",
            )
        )
    if post.url is not None and entry.url and post.url != entry.url:
        problems.append(
            (
                "slug" if post.path == entry.path else "id",
                f"the address of published post {entry.id!r} changed from /{entry.url} to /{post.url} "
                "(expected it never to change: links, feeds and search engines point at it; set "
                f"'Slug:' and keep the category and date so the address stays /{entry.url})",
            )
        )
    if entry.withdrawn and post.withdrawn is None:
        problems.append(
            (
                "withdrawn",
                f"published post {entry.id!r} was withdrawn at {entry.withdrawn} (the register records it), but "
                "the file no longer says so and would publish the withdrawn text again (expected "
                f"'Withdrawn: {entry.withdrawn} | <reason>' written back: a post cannot be un-withdrawn; to "
                "publish the text again, publish a new post with a new Id)",
            )
        )
    elif entry.withdrawn and post.withdrawn != datetime.fromisoformat(entry.withdrawn):
        problems.append(
            (
                "withdrawn",
                f"published post {entry.id!r} was withdrawn at {entry.withdrawn} (the register records it), now "
                f"at {post.withdrawn.isoformat()} (expected the withdrawal time never to change: the notice, "
                f"the feeds and the channels gave it; write 'Withdrawn: {entry.withdrawn} | <reason>' back)",
            )
        )
    return problems


def _changed_key(was: str, now: str, default_language: str) -> tuple[str, str]:
    """(field, message) for a registered post whose key changed: its `Lang:` when the Id is the same (a
    version's key is `Id@lang` outside the default language), else its `Id:`. The fix names the field that
    changed, with the value to write back."""
    (was_id, was_code), (now_id, now_code) = split_version_key(was), split_version_key(now)
    if was_id == now_id:
        was_code, now_code = was_code or default_language, now_code or default_language
        return (
            "lang",
            f"published post {was_id!r} was in {was_code!r}, now {now_code!r} (expected a published post's "
            "language never to change: feed readers and syndication know each language version by it; write "
            f"'Lang: {was_code}' back)",
        )
    return (
        "id",
        f"was {was!r} when it was published, now {now!r} (expected the id never to change: feed readers and "
        f"syndication know the post by it; write 'Id: {was_id}' back)",
    )


def _add_years(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)
