"""Checks between the language versions of one post: a translation is the same release in another language.

Every version shares the original's `Id:`. Material news goes out in every language at once (and so must exist
in every language before it is published); each translation carries the original's date, status, audiences,
corrections and withdrawal, because the versions are one release seen by one clock, shown to the same readers.
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
from newsroom.model.post import default_post_id
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
        original = by_language.get(languages.default.code)
        if original is not None:
            for code, version in by_language.items():
                if code != languages.default.code:
                    found += _differences(original, version)
    return found


def _published(doc: Document) -> bool:
    return (doc.text("status").lower() or "published") == "published"


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


def _differences(original: tuple, version: tuple) -> list[Problem]:
    """What a translation must share with the original: date, status, materiality, audiences, corrections,
    withdrawal."""
    (original_source, original_doc, original_facts), (source, doc, facts) = original, version
    problems = []
    origin = original_source.path
    if original_facts.published and facts.published and original_facts.published != facts.published:
        problems.append(
            _problem(
                source,
                doc,
                "date",
                f"{doc.text('date')!r} differs from the original's {original_doc.text('date')!r} in {origin} "
                "(expected the same Date: the versions are released together, embargo included)",
            )
        )
    for name in ("status", "material"):
        mine = doc.text(name).lower() or ("published" if name == "status" else "no")
        theirs = original_doc.text(name).lower() or ("published" if name == "status" else "no")
        if name == "material":
            mine, theirs = ("yes" if is_material(mine) else "no"), ("yes" if is_material(theirs) else "no")
        if mine != theirs:
            problems.append(
                _problem(source, doc, name, f"{mine!r} differs from {theirs!r} in {origin} (expected the same)")
            )
    if set(facts.audiences) != set(original_facts.audiences):
        mine, theirs = ", ".join(facts.audiences), ", ".join(original_facts.audiences)
        problems.append(
            _problem(
                source,
                doc,
                "audience",
                f"{mine!r} differs from {theirs!r} in {origin} (expected the same audiences: the versions are one "
                "release, for the same readers, and an internal post's versions are all internal)",
            )
        )
    own_corrections = {_instant(value) for value in _values(doc, "correction")}
    for value in _values(original_doc, "correction"):
        if _instant(value) not in own_corrections:
            problems.append(
                _problem(
                    source,
                    doc,
                    "correction",
                    f"lacks the correction of {_moment(value)!r} that {origin} has (expected 'Correction: "
                    f"{_moment(value)} | ' and the correction in this language)",
                )
            )
    if bool(original_doc.text("withdrawn")) != bool(doc.text("withdrawn")):
        missing_in = (source, doc) if original_doc.text("withdrawn") else (original_source, original_doc)
        other = origin if missing_in[0] is source else source.path
        problems.append(
            _problem(
                *missing_in,
                "withdrawn",
                f"is not withdrawn but {other} is (expected 'Withdrawn: time | reason' in every language version)",
            )
        )
    return problems


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
