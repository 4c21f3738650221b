"""Checks between the language versions of one post: a translation is the same release in another language.

Every version shares the original's `Id:`. Material news goes out in every language at once (and so must exist
in every language before it is published); the versions share their date, status, materiality, audiences,
category, syndication, corrections and withdrawal (SHARED), because they are one release seen by one clock,
shown to the same readers in the same feeds, announced on the same channels. Each version is compared with one
reference: the default language's, or, when a post has none (one language first), its first version in the
order of NEWSROOM_LANGUAGES; so no two versions can differ unseen.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from newsroom.checks.rules import Problem, Source
from newsroom.model.classification import PostFacts
from newsroom.model.dates import TimestampError, parse_timestamp
from newsroom.model.frontmatter import Document
from newsroom.model.material import is_material
from newsroom.model.post import default_post_id, status_of
from newsroom.model.settings import Newsroom


def check_translations(posts: Iterable[tuple[Source, Document, PostFacts]], newsroom: Newsroom) -> list[Problem]:
    """Every problem between the language versions of each post (none for a newsroom in one language)."""
    languages = newsroom.languages
    if not languages.several:
        return []
    found: list[Problem] = []
    versions: dict[str, dict[str, tuple[Source, Document, PostFacts]]] = defaultdict(dict)
    for source, doc, facts in posts:
        language = languages.find(doc.text("lang"))
        if language is None:
            found.append(
                _problem(
                    source,
                    doc,
                    "lang",
                    f"{doc.text('lang')!r} is not one of the newsroom's languages (expected one of: "
                    f"{', '.join(languages.codes)}; see NEWSROOM_LANGUAGES)",
                )
            )
            continue
        shared_id = doc.text("id") or default_post_id(source.content_relative)
        versions[shared_id].setdefault(language.code, (source, doc, facts))  # a second one: the id check says so
    for shared_id, by_language in versions.items():
        found += _missing_languages(shared_id, by_language, newsroom)
        reference = next(code for code in (language.code for language in languages.all) if code in by_language)
        for code, version in by_language.items():
            if code != reference:
                found += _differences(by_language[reference], version, newsroom)
    return found


def _published(doc: Document) -> bool:
    return status_of(doc) == "published"


def _missing_languages(shared_id: str, by_language: dict, newsroom: Newsroom) -> list[Problem]:
    """A published post (embargoed or not) lacks a published version in a language it must go out in."""
    languages = newsroom.languages
    published = {code: version for code, version in by_language.items() if _published(version[1])}
    if not published:
        return []  # a draft or hidden post goes nowhere yet: its versions may still be written
    material = any(is_material(doc.text("material")) for _, doc, _ in published.values())
    if not material and languages.one_language_first:
        return []
    source, doc, _ = published.get(languages.default.code) or next(iter(published.values()))
    why = (
        "material news is released in every language at once"
        if material
        else "NEWSROOM_TRANSLATION_RULES does not allow one language first (one_language_first: False)"
    )
    problems = []
    published_at = next((facts.published for _, _, facts in published.values() if facts.published), None)
    for language in languages.all:
        if language.code in published or (published_at and not language.required_at(published_at)):
            continue
        state = "is not published (its Status differs)" if language.code in by_language else "is missing"
        problems.append(
            _problem(
                source,
                doc,
                "id",
                f"the {language.code!r} ({language.name}) version of {shared_id!r} {state} (expected a published "
                f"post with 'Id: {shared_id}' and 'Lang: {language.code}', same Date; {why})",
            )
        )
    return problems


def _differences(reference: tuple, version: tuple, newsroom: Newsroom) -> list[Problem]:
    """What a version must share with the reference version (SHARED); corrections are compared both ways."""
    (reference_source, reference_doc, reference_facts), (source, doc, facts) = reference, version
    origin = reference_source.path
    problems = []
    for name, read, expected in SHARED:
        mine, theirs = read(doc, facts, newsroom), read(reference_doc, reference_facts, newsroom)
        if mine is None or theirs is None or mine == theirs:
            continue  # None: unreadable, which the field's own check names
        problems.append(
            _problem(
                source,
                doc,
                name,
                f"{_shown(doc, name, mine)!r} differs from {_shown(reference_doc, name, theirs)!r} in {origin} "
                f"(expected the same {expected})",
            )
        )
    # One release, one set of corrections: each version has every correction the other has (at the same moment).
    own = {_instant(value) for value in _values(doc, "correction")}
    theirs = {_instant(value) for value in _values(reference_doc, "correction")}
    lacking = [value for value in _values(reference_doc, "correction") if _instant(value) not in own]
    extra = [value for value in _values(doc, "correction") if _instant(value) not in theirs]
    problems += [
        _problem(
            source,
            doc,
            "correction",
            f"lacks the correction of {_moment(value)!r} that {origin} has (expected 'Correction: "
            f"{_moment(value)} | ' and the correction in this language)"
            if value in lacking
            else f"has a correction of {_moment(value)!r} that {origin} lacks (expected every correction in every "
            "language version: add it there too, or its readers, feeds and channels never get it)",
        )
        for value in (*lacking, *extra)
    ]
    if bool(reference_doc.text("withdrawn")) != bool(doc.text("withdrawn")):
        missing_in = (source, doc) if reference_doc.text("withdrawn") else (reference_source, reference_doc)
        other = origin if missing_in[0] is source else source.path
        problems.append(
            _problem(
                *missing_in,
                "withdrawn",
                f"is not withdrawn but {other} is (expected 'Withdrawn: time | reason' in every language version)",
            )
        )
    return problems


def _date(doc: Document, facts: PostFacts, newsroom: Newsroom) -> datetime | None:
    return facts.published


def _material(doc: Document, facts: PostFacts, newsroom: Newsroom) -> str:
    return "yes" if is_material(doc.text("material").lower()) else "no"


def _syndicate(doc: Document, facts: PostFacts, newsroom: Newsroom) -> str:
    return doc.text("syndicate").lower() or "yes"


def _audiences(doc: Document, facts: PostFacts, newsroom: Newsroom) -> frozenset[str]:
    return frozenset(facts.audiences)


def _category(doc: Document, facts: PostFacts, newsroom: Newsroom) -> str | None:
    category = newsroom.category_named(doc.text("category"))
    return category.slug if category else None


def _withdrawal(doc: Document, facts: PostFacts, newsroom: Newsroom) -> datetime | str | None:
    return _instant(doc.text("withdrawn")) if doc.text("withdrawn") else None


def _shown(doc: Document, name: str, value) -> str:
    """A value as the message shows it: as written in the file where there is a field, else as compared."""
    written = doc.text(name)
    return written if written else ", ".join(sorted(value)) if isinstance(value, frozenset) else str(value)


# What every language version of a post shares: (field, how it is read for comparing, what must be the same).
SHARED = (
    ("date", _date, "Date: the versions are released together, embargo included"),
    ("status", lambda doc, facts, newsroom: status_of(doc), "Status"),
    ("material", _material, "Material"),
    (
        "audience",
        _audiences,
        "audiences: the versions are one release, for the same readers, and an internal post's versions are all "
        "internal",
    ),
    ("category", _category, "Category: the versions go in the same feeds of every language"),
    ("syndicate", _syndicate, "Syndicate: the versions are announced on the same channels"),
    ("withdrawn", _withdrawal, "withdrawal time: every version's notice and feed entry give it"),
)


def _values(doc: Document, name: str) -> tuple[str, ...]:
    field = doc.get(name)
    return field.values if field else ()


def _moment(value: str) -> str:
    """The time a 'time | text' line starts with, as written."""
    return value.partition("|")[0].strip()


def _instant(value: str) -> datetime | str:
    """The moment a 'time | text' line names (so that 10:00 UTC and 06:00 America/New_York are one), or its
    text when it is not a time (the field's own check says why)."""
    try:
        return parse_timestamp(_moment(value))
    except TimestampError:
        return _moment(value)


def _problem(source: Source, doc: Document, name: str, message: str) -> Problem:
    field = doc.get(name)
    return Problem(source.path, field.line if field else 1, name, message)
