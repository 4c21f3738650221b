"""Checks between the language versions of a page (about, subscribe…): a page with `Lang:` and the original's `Id:`
is the original in another language, linked by the Id as a post's translations are.

What applies to a page of the posts' rules: its language is one of the newsroom's, an Id has at most one page per
language, a version has its original (the page in the default language with that Id) to link back to, and it has
the original's Status (a page and its versions are written together, or not at all).
"""

from __future__ import annotations

from collections.abc import Iterable

from newsroom.checks.rules import Problem, Source, post_id_of
from newsroom.model.frontmatter import parse_document
from newsroom.model.post import status_of
from newsroom.model.settings import Newsroom


def check_page_translations(pages: Iterable[Source], newsroom: Newsroom) -> list[Problem]:
    """Every problem between the pages' language versions (none for a newsroom in one language)."""
    languages = newsroom.languages
    if not languages.several:
        return []
    found: list[Problem] = []
    seen: dict[tuple[str, str], str] = {}  # (Id, language code): the page that has it
    statuses: dict[str, str] = {}  # Id: the original's Status
    versions = []
    for source in pages:
        doc = parse_document(source.text)
        language = languages.find(doc.text("lang"))

        def problem(name: str, message: str, doc=doc, source=source) -> Problem:
            field = doc.get(name) or doc.get("title")
            return Problem(source.path, field.line if field else 1, name, message)

        if language is None:
            found.append(
                problem(
                    "lang",
                    f"{doc.text('lang')!r} is not one of the newsroom's languages (expected one of: "
                    f"{', '.join(languages.codes)}; see NEWSROOM_LANGUAGES)",
                )
            )
            continue
        page_id = post_id_of(doc, source.content_relative)
        owner = seen.setdefault((page_id, language.code), source.path)
        if owner != source.path:
            found.append(
                problem(
                    "id",
                    f"{page_id!r} already has a {language.code!r} ({language.name}) version: {owner} (expected one "
                    "page per language for each Id: give this page its own Id, or another Lang)",
                )
            )
        elif language != languages.default:
            versions.append((page_id, language, problem, _status(doc)))
        else:
            statuses[page_id] = _status(doc)
    default = languages.default
    for page_id, language, problem, status in versions:
        original = seen.get((page_id, default.code))
        if original is not None and status != statuses[page_id]:
            found.append(
                problem(
                    "status",
                    f"{status!r} differs from {statuses[page_id]!r} in {original} (expected the same: a page's "
                    "versions are published together; a draft or hidden page is written in no language)",
                )
            )
        if original is None:
            found.append(
                problem(
                    "id",
                    f"{page_id!r} names no page in {default.name} ({default.code}): this {language.name} version has "
                    f"no original to link to (expected the Id of a page without Lang:, as written in its 'Id:' or, "
                    f"without one, its path under content/ without .md, e.g. 'pages/about')",
                )
            )
    return sorted(found)


def _status(doc) -> str:
    return status_of(doc)
