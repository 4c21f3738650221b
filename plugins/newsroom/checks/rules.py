"""Content checks: the comms team's guidelines, enforced with one actionable line per problem."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

from newsroom.kit.errors import clipped
from newsroom.kit.printed import printable
from newsroom.kit.settings import did_you_mean
from newsroom.model.audiences import is_internal_only, split_list_field
from newsroom.model.classification import PostFacts
from newsroom.model.content_files import MARKDOWN_EXTENSIONS, is_source_place, static_source_problem
from newsroom.model.dates import EXAMPLE as DATE_EXAMPLE
from newsroom.model.dates import TimestampError, parse_timestamp
from newsroom.model.fields import (
    FIELD_PREFIXES,
    MAY_REPEAT,
    PAGE_FIELDS,
    POST_FIELDS,
    is_known_field,
    page_field_names,
)
from newsroom.model.file_names import as_one_name, slug_too_long
from newsroom.model.frontmatter import Document, fields_below_header, parse_document
from newsroom.model.languages import LANGUAGE_TAG, Languages
from newsroom.model.markdown_code import without_code
from newsroom.model.post import content_path, default_post_id
from newsroom.model.publishable_files import IMAGES, suffix_of
from newsroom.model.sanitize import Removed, suspicious_markup
from newsroom.model.settings import Newsroom
from newsroom.model.visibility import shown_in
from newsroom.model.visible_text import REPLACEMENT, describe, hidden_character

STATUSES = ("published", "draft", "hidden")
# A post's own words for its announcements (`Syndicate-Text`, `Syndicate-Text-<channel>`) stand in for a title and
# a summary, and each channel fits them to its limit by counting them again and again: a bound the same for every
# channel keeps that cheap. 5,000 characters is more than any channel posts but Facebook (63,206) and Slack (40,000).
SYNDICATE_TEXT_MAX_LENGTH = 5000
# The texts `invoke new` writes for the author to replace (scaffold.py); the checks refuse them in any post that is
# not a draft.
PLACEHOLDERS = {
    "summary": "One or two plain-text sentences that say what happened and why it matters.",
    "body": "Write the lead paragraph here: who, what, when, where and why",
}
# Ids and slugs become parts of file names, URLs and ledger keys: a safe set of characters, never "/" or "..".
SAFE_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_-]|\.(?!\.))*$")
TEMPLATE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
# A slug names a folder (`<slug>/index.html`): one ending like a file's name (`index.html`, `feed.xml`) would be a
# folder where the site writes that file, and the build could not write both.
FILE_LIKE = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}$")
# These run over whole lines and fields, so each is linear: a match may start only where no earlier start could have
# read on through it (EMAIL at the start of a word, the others up to the next bracket of their kind), or a line
# of 50,000 '![' or '<img ' took seconds a line.
EMAIL = re.compile(r"(?<![^\s<>@])[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+")
HTML_MARKUP = re.compile(r"</?[A-Za-z][^<>]*>|&[A-Za-z]+;|&#x?[0-9A-Fa-f]+;")
MARKDOWN_IMAGE = re.compile(r"!\[(?P<alt>[^\[\]]*)\]\((?P<src>[^)\s]*)")
HTML_IMAGE = re.compile(r"<img\b(?P<attrs>[^<>]*)>", re.IGNORECASE)
HTML_ALT = re.compile(r"""\balt\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))""", re.IGNORECASE)
INTRASITE_LINK = re.compile(r"[{|](?P<kind>filename|static|attach|category)[}|](?P<target>[^)\s\"'>]*)")
# Pelican's intrasite link syntax: {static}/x.jpg, or |static|/x.jpg (and mixtures of the two).
LINK_KINDS = ("filename", "static", "attach", "category")
_PIPE_LINK_ENDS = tuple(f"{kind}|" for kind in LINK_KINDS)
FILE_REFERENCE = re.compile(r"^[{|](?:filename|static|attach)[}|](?P<path>.*)$")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, worded for the person who has to fix it."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        # One line whatever a file is called: a name with a newline or an escape sequence is shown escaped.
        return f"{printable(self.path)}:{self.line}: {self.field}: {printable(self.message)}"


@dataclass(frozen=True, slots=True)
class Source:
    """A post's file: its path for messages, its path under content/ and its text (None once the checks that read
    it are done: check_content holds a few posts' texts at a time)."""

    path: str
    content_relative: str
    text: str | None

    def without_text(self) -> Source:
        return Source(self.path, self.content_relative, None)


def post_id_of(doc: Document, content_relative: str) -> str:
    """The post's permanent id: its `Id:` field, else its path under content/ without the extension."""
    return doc.text("id") or default_post_id(content_relative)


def slug_problem(source: Source, doc: Document, message: str) -> Problem:
    """A problem with the address of a page or post, on its Slug: line (or its Title:, which makes the slug)."""
    entry = doc.get("slug") or doc.get("title")
    return Problem(source.path, entry.line if entry else 1, "slug", message)


def check_posts(
    posts: Iterable[tuple[Source, Document, PostFacts]],
    newsroom: Newsroom,
    settings: Mapping,
    slugify: Callable[[str], str],
    removed_from: Callable[[Source], list[Removed]],
    now: datetime,
) -> list[Problem]:
    """Every problem in every post as of `now`, the newsroom's clock, including those between posts (duplicate
    slugs and ids), sorted by file and line; links to what this edition withholds: check_links_to_withheld."""
    found: list[Problem] = []
    slug_owner: dict[tuple[str, str], str] = {}
    id_owner: dict[str, str] = {}
    id_spelling: dict[str, tuple[str, str]] = {}  # each Id as one file name (as_one_name): its first spelling, where
    header_rules = _HeaderRules(newsroom, settings, slugify, now)
    for source, doc, facts in posts:
        report = _Report(source, doc, found)
        header_rules.check(doc, report, source)
        _check_body(doc, report, newsroom, source, settings, removed_from)
        _check_unique_slug(doc, report, slugify, slug_owner)
        owner = id_owner.setdefault(facts.id, source.path)
        if owner != source.path:
            report.add("id", f"{facts.id!r} is already used by {owner} (expected a unique id)")
        # The versions of a post share its Id written the same way: one written in other capitals would be another
        # post to the build (a French version of a draft, published alone), and one file on some hosts.
        post_id = post_id_of(doc, source.content_relative)
        spelling, first = id_spelling.setdefault(as_one_name(post_id), (post_id, source.path))
        if spelling != post_id:
            report.add(
                "id",
                f"{post_id!r} differs only in case from {spelling!r}, the Id of {first} (expected the same Id "
                "written exactly the same way for a version of that post, or an Id of its own)",
            )
    return sorted(found)


def check_new_post(
    source: Source,
    doc: Document,
    existing: Iterable[tuple[Source, Document]],
    newsroom: Newsroom,
    settings: Mapping,
    slugify: Callable[[str], str],
    now: datetime,
) -> list[Problem]:
    """Every problem check_posts would find in the header of a post not yet written (`invoke new`'s), alone and
    beside the `existing` posts (a slug one of them has), by the same rules: what the checks would refuse,
    `invoke new` refuses before it writes anything."""
    found: list[Problem] = []
    slug_owner: dict[tuple[str, str], str] = {}
    for other, other_doc in existing:
        _check_unique_slug(other_doc, _Report(other, other_doc, []), slugify, slug_owner)
    report = _Report(source, doc, found)
    _HeaderRules(newsroom, settings, slugify, now).check(doc, report, source)
    _check_unique_slug(doc, report, slugify, slug_owner)
    return sorted(found)


class _HeaderRules:
    """The rules for one post's header, alone (check_posts checks its body and the posts together besides), with
    what they need from the settings worked out once for every post."""

    def __init__(self, newsroom: Newsroom, settings: Mapping, slugify: Callable[[str], str], now: datetime):
        self.newsroom, self.slugify, self.now = newsroom, slugify, now
        self.content_root = Path(settings["PATH"])
        self.templates = _theme_templates(settings)
        self.static_folders = tuple(
            folder.strip("/") for folder in settings.get("STATIC_PATHS", ()) if folder.strip("/")
        )
        self.channels = _channel_names(settings)

    def check(self, doc: Document, report: _Report, source: Source) -> None:
        _check_metadata(
            doc, report, self.newsroom, source, self.content_root, self.templates, self.static_folders, self.now
        )
        _check_channel_texts(doc, report, self.channels)
        title = doc.text("title")
        slug = doc.text("slug") or (self.slugify(title) if title else "")
        if not doc.get("slug") and (too_long := slug_too_long(slug)) is not None:  # a Slug: is _check_slug's
            report.add("title", f"makes the slug {clipped(slug)!r}, which {too_long}: set a shorter 'Slug:')")


def _check_unique_slug(
    doc: Document, report: _Report, slugify: Callable[[str], str], slug_owner: dict[tuple[str, str], str]
) -> None:
    """The post's slug is no earlier post's in its language (`slug_owner`, to which it is added)."""
    title = doc.text("title")
    slug = doc.text("slug") or (slugify(title) if title else "")
    # Kessler/ and kessler/ are one folder on a case-insensitive host: one of the posts would be lost there.
    owner = slug_owner.setdefault((as_one_name(slug), doc.text("lang")), report.path)
    if slug and owner != report.path:
        report.add(
            "slug" if doc.get("slug") else "title",
            f"makes the slug {slug!r}, already used by {owner} "
            "(expected a unique slug: change the title or set 'Slug:')",
        )


def _channel_names(settings: Mapping) -> tuple[str, ...]:
    """The names SYNDICATION_CHANNELS gives its channels (the settings' own checks say what else is wrong there)."""
    entries = settings.get("SYNDICATION_CHANNELS") or ()
    return tuple(
        entry["name"]
        for entry in (entries if isinstance(entries, list | tuple) else ())
        if isinstance(entry, Mapping) and isinstance(entry.get("name"), str)
    )


def _check_channel_texts(doc: Document, report: _Report, channels: tuple[str, ...]) -> None:
    """A `Syndicate-Text-<channel>` names a channel of SYNDICATION_CHANNELS: a misspelt name would leave the
    text unused, and the channel would post the title and summary instead. Every Syndicate-Text is within
    SYNDICATE_TEXT_MAX_LENGTH."""
    for key in doc.fields:
        channel = key.removeprefix(FIELD_PREFIXES[0])
        if key.startswith(FIELD_PREFIXES[0]) and channel not in channels:
            hint = did_you_mean(channel, channels) or f" (expected one of: {', '.join(channels) or 'none'})"
            report.add(key, f"names no channel of SYNDICATION_CHANNELS: {channel!r}{hint}; the text would be unused")
        if key == "syndicate-text" or key.startswith(FIELD_PREFIXES[0]):
            _within_length(report, key, doc.text(key), SYNDICATE_TEXT_MAX_LENGTH)


def check_links_to_withheld(
    posts: Iterable[tuple[Source, Document, PostFacts]],
    pages: Iterable[tuple[Source, Document, PostFacts]],
    newsroom: Newsroom,
) -> list[Problem]:
    """Every link from a post or page this edition shows to a post or page it withholds (see below)."""
    found: list[Problem] = []
    reports = [(_Report(source, doc, found), facts) for source, doc, facts in (*posts, *pages)]
    _check_links_to_withheld(reports, newsroom)
    return sorted(found)


def check_pages(
    sources: Iterable[Source],
    newsroom: Newsroom,
    settings: Mapping,
    removed_from: Callable[[Source], list[Removed]],
) -> list[Problem]:
    """Pages (about, contacts…) carry only the fields a page honours, and are rendered and sanitised like posts:
    the author learns what would be removed."""
    found: list[Problem] = []
    templates = _theme_templates(settings)
    for source in sources:
        doc = parse_document(source.text)
        report = _Report(source, doc, found)
        _check_fields(doc, report, page_field_names().__contains__, PAGE_FIELDS, " on a page")
        _check_header_end(doc, report)
        _check_status(doc, report)
        _check_template(doc, report, templates, newsroom.page_templates, "page")
        _check_slug(doc, report, "about")
        _check_language_tag(doc, report, newsroom.languages)
        _plain_text(report, doc, "title", "e.g. 'Title: About Larkspur Energy'", newsroom.title_max_length)
        _plain_text(report, doc, "summary", "", newsroom.summary_max_length, required=False)
        _check_body(doc, report, newsroom, source, settings, removed_from)
    return sorted(found)


def _report_removed(
    doc: Document,
    source: Source,
    report: _Report,
    newsroom: Newsroom,
    removed_from: Callable[[Source], list[Removed]],
) -> None:
    # The sanitiser's own reading of the rendered body: whatever the build would strip is named here, with
    # the line it came from, so that nothing is removed from a post without its author knowing.
    found = removed_from(source)
    if "<" in doc.body:
        seen = {removed.construct.split(" ")[0].rstrip(">") for removed in found}
        found += [
            r
            for r in suspicious_markup(doc.body, newsroom.embed_hosts)
            if r.construct.split(" ")[0].rstrip(">") not in seen
        ]
    for removed in found:
        report.add("body", f"{removed.construct}: {removed.reason}", _line_of(doc, removed.hint))


def _check_links_to_withheld(reports: list[tuple[_Report, PostFacts]], newsroom: Newsroom) -> None:
    """A post or page this edition shows must not name the address, or the file, of a post or page it withholds,
    under any of the newsroom's base addresses (the public site's, the intranet's: `facts.links` resolves them all,
    editions.site_addresses): the link would go into every page and feed that carries it, and an address alone
    gives the headline away."""
    withheld: dict[str, tuple[str, PostFacts]] = {}
    for report, facts in reports:
        if facts.visibility is not None and not shown_in(newsroom.edition, facts.visibility):
            for address in (facts.path, *facts.addresses):
                withheld[_comparable(address)] = (report.path, facts)
    if not withheld:
        return
    for report, facts in reports:
        if facts.visibility is None or not shown_in(newsroom.edition, facts.visibility):
            continue
        for target, line in facts.links:
            hit = withheld.get(_comparable(target))
            if hit and hit[1].path != facts.path:
                report.add(
                    "link",
                    f"links to {hit[1].path}{'' if target == hit[1].path else f' (at /{target})'}, which this "
                    f"{newsroom.edition} edition does not show yet "
                    "(expected no link to a draft, hidden, internal or embargoed post or page: remove the link "
                    "or publish both together)",
                    line,
                )


def _comparable(address: str) -> str:
    """An address as a server would find it: "news/x/", "news/x" and "news/x/index.html" are one page; and in
    any case, since an address gives its headline away whether or not a case-sensitive server finds it."""
    return address.casefold().removesuffix("index.html").rstrip("/")


def _theme_templates(settings: Mapping) -> frozenset[str]:
    """The templates a post or page may name in `Template:`: the theme's, without .html."""
    folder = Path(settings.get("THEME", "")) / "templates"
    return frozenset(path.stem for path in folder.glob("*.html")) if folder.is_dir() else frozenset()


class _Report:
    """Collects problems for one file, finding the line each field is on."""

    def __init__(self, source: Source, doc: Document, found: list[Problem]):
        self.path, self.content_relative, self.doc, self.found = source.path, source.content_relative, doc, found

    def add(self, field: str, message: str, line: int | None = None) -> None:
        entry = self.doc.get(field)
        self.found.append(Problem(self.path, line or (entry.line if entry else 1), field, message))


def _check_fields(doc: Document, report: _Report, known: Callable[[str], bool], specs: tuple, where: str = "") -> None:
    """Each field is one the newsroom knows for this kind of file, is given once (but corrections), and holds
    only text a reviewer sees as it will be published (visible_text.py)."""
    for key, entry in doc.fields.items():
        for value, line in zip(entry.values, entry.lines, strict=True):
            if (hidden := hidden_character_problem(value)) is not None:
                report.add(key, hidden, line)
        if not known(key):
            names = ", ".join(spec.name for spec in specs)
            report.add(key, f"unknown field {entry.name!r}{where} (expected one of: {names})")
        elif entry.repeated and key not in MAY_REPEAT:
            for line in entry.repeated:
                report.add(
                    key,
                    f"given twice (lines {entry.line} and {line}; expected one {entry.name!r} line: "
                    "keep one and delete the other)",
                    line,
                )


def hidden_character_problem(value: str) -> str | None:
    """What is wrong with a header value holding a character a reviewer would not see as written (a line end
    among them: a field is one line), or None when there is none."""
    hidden = hidden_character(value)
    if hidden is None:
        return None
    return (
        f"holds the character {describe(hidden[1])} after {clipped(value[: hidden[0]])!r}, which can make the text "
        "read otherwise in review than where it is published (expected visible text only: delete the character)"
    )


def _check_header_end(doc: Document, report: _Report) -> None:
    """The header ends at an empty line: a line that is not `Key: value` ends it too, for Markdown, which then
    publishes that line as text (a mistyped `Status : draft`, `Status = draft`, `- Status: draft`)."""
    if doc.stray_line:
        line = doc.body.split("\n", 1)[0]
        report.add(
            "header",
            f"{clipped(line.strip())!r} ends the header without being a 'Key: value' line, so it would be published "
            "as the text's first line (expected a field written 'Key: value', e.g. 'Status: draft', or an empty "
            "line between the header and the text)",
            doc.stray_line,
        )
    for line, key in fields_below_header(doc):
        if is_known_field(key.lower()):
            end = doc.body_line - 1
            report.add(
                "header",
                f"'{key}:' on line {line} comes after the end of the header (line {end}), so it would be published "
                f"as text, not read as a field (expected every field above line {end}: move it up, or reword the "
                "line if it is meant as text)",
                line,
            )


def _check_slug(doc: Document, report: _Report, example: str) -> None:
    """`Slug:` is a safe name that can name a folder of the site: not too long, not looking like a file's name."""
    slug = doc.text("slug")
    if (too_long := slug_too_long(slug)) is not None:
        report.add("slug", f"{clipped(slug)!r} {too_long}, e.g. '{example}')")
    if SAFE_NAME.match(slug) and FILE_LIKE.search(slug):
        report.add(
            "slug",
            f"{slug!r} ends like a file's name, but a slug names a folder (<slug>/index.html), which could stand "
            f"where the site writes that file (expected a slug without an extension, e.g. '{example}')",
        )
    _check_safe_name(doc, report, "slug", example)


def _check_file_name_as_id(doc: Document, report: _Report) -> None:
    """A post without `Id:` is known by its path, which then obeys the rule an `Id:` line does: each of its folder
    and file names a SAFE_NAME, joined by "/". A file name may hold any character, and an id goes everywhere: the
    ledger's and the archive register's keys (where "@" names a language version: `a@b.md` would be taken for the
    `b` version of `a`, and never announced), the feeds' tag URIs (which escape "%" again), and every line
    `invoke syndicate` prints and every command it gives a person to paste (a line feed, an escape sequence or a
    right-to-left override would forge or reorder them, `$(...)` run the author's code)."""
    derived = default_post_id(report.content_relative)
    if doc.get("id") or all(SAFE_NAME.fullmatch(name) for name in derived.split("/")):
        return
    suggestion = re.sub(r"[^A-Za-z0-9_-]+", "-", derived.rsplit("/", 1)[-1]).strip("-_")
    report.add(
        "id",
        f"none is given, so the post is known by its path {derived!r}, which is not a valid id (expected letters, "
        "digits, '-', '_' and single dots in each folder and file name: no '@', which marks a language version, "
        "no '%', spaces, control or invisible characters); add an Id: line "
        f"(e.g. 'Id: {suggestion if SAFE_NAME.fullmatch(suggestion) else '2026-10-29-q3-results'}'), "
        "or rename the file",
    )


def _check_safe_name(doc: Document, report: _Report, name: str, example: str) -> None:
    if doc.get(name) and not SAFE_NAME.match(doc.text(name)):
        report.add(
            name,
            f"{doc.text(name)!r} is not a valid {name} (expected letters, digits, '-', '_' and single dots, "
            f"no '/' or '..', e.g. '{example}')",
        )


def _check_language_tag(doc: Document, report: _Report, languages: Languages) -> None:
    """`Lang:` is a language tag, and one of the newsroom's codes exactly as the settings write it: Pelican compares
    it with DEFAULT_LANG as written, and writes a post whose `Lang:` differs, in case alone or in a newsroom in one
    language, to its fallback address for other languages ({slug}-{lang}.html at the site's root). A language the
    newsroom in several languages does not have at all is translations.py's (and page_translations.py's)."""
    lang = doc.text("lang")
    if not doc.get("lang") or lang in languages.codes:
        return
    if not LANGUAGE_TAG.match(lang):
        report.add(
            "lang",
            f"{lang!r} is not a language tag (expected e.g. 'en', 'fr' or 'fr-CA'; it becomes part of the address)",
        )
    elif not languages.several:
        default = languages.default.code
        report.add(
            "lang",
            f"{lang!r}: this newsroom is in {default!r} alone (expected no Lang line, or 'Lang: {default}'; to publish "
            "in another language, set up NEWSROOM_LANGUAGES: see docs/languages.md)",
        )
    elif languages.find(lang) is not None:
        code = languages.find(lang).code
        report.add("lang", f"{lang!r} is written {code!r} in NEWSROOM_LANGUAGES (expected 'Lang: {code}')")


def _check_template(
    doc: Document, report: _Report, templates: frozenset[str], allowed: tuple[str, ...], kind: str
) -> None:
    """`Template:` names one of the theme's templates that render a `kind` (post or page), as the settings list
    them (NEWSROOM_CHECKS `post_templates`, `page_templates`): with another, the home page's template would write
    a copy of the home page in the post's place and the post nowhere, a listing's would stop the build."""
    template = doc.text("template")
    if not doc.get("template") or (TEMPLATE_NAME.match(template) and template in templates and template in allowed):
        return
    usable = sorted(set(allowed) & templates)
    where = f"NEWSROOM_CHECKS['{kind}_templates']"
    if TEMPLATE_NAME.match(template) and template in templates:
        problem = f"{template!r} is a template of the theme, but not one that renders a {kind} ({where})"
    else:
        problem = f"{template!r} is not a template of the theme"
    report.add("template", f"{problem} (expected one of: {', '.join(usable) or 'none'}, or no Template line)")


def _check_status(doc: Document, report: _Report) -> None:
    status = doc.text("status")
    if status and status.lower() not in STATUSES:
        report.add("status", f"unknown status {status!r} (expected one of: {', '.join(STATUSES)})")


def _check_metadata(
    doc: Document,
    report: _Report,
    newsroom: Newsroom,
    source: Source,
    content_root: Path,
    templates: frozenset,
    static_folders: tuple[str, ...],
    now: datetime,
) -> None:
    """Check the header, field by field."""
    _check_fields(doc, report, is_known_field, POST_FIELDS)
    _check_header_end(doc, report)

    _plain_text(
        report, doc, "title", "e.g. 'Title: Larkspur Energy opens its Kessler wind farm'", newsroom.title_max_length
    )

    published = _timestamp(doc, "date", report, required=True)
    modified = _timestamp(doc, "modified", report, required=False)
    if published and modified and modified < published:
        report.add("modified", "is earlier than the post's Date (expected a later time)")
    # A post dated ahead waits for its time (an embargo); a change to one does not: it is shown as soon as it is
    # built. So a Correction, Withdrawn or Modified time still to come would publish the change early (a
    # restatement a week before the results) under a date that has not happened.
    _not_ahead(report, "modified", modified, now)

    # The lists of valid values in the messages are only worked out for a message: this runs for every post.
    written = split_list_field(doc.get("audience").values) if doc.get("audience") else ()
    if not written and not newsroom.default_audiences:
        report.add(
            "audience", f"missing (expected e.g. 'Audience: investors, media'; any of: {_known_audiences(newsroom)})"
        )
    for slug in written:
        if slug not in newsroom.audience_by_slug:
            report.add("audience", f"unknown audience {slug!r} (expected one of: {_known_audiences(newsroom)})")

    category = doc.text("category")
    if not category:
        report.add("category", f"missing (expected one of: {_category_names(newsroom)})")
    elif newsroom.category_named(category) is None:
        report.add("category", f"unknown category {category!r} (expected one of: {_category_names(newsroom)})")

    _plain_text(
        report,
        doc,
        "summary",
        "one or two plain-text sentences, e.g. 'Summary: Revenue rose 12%.'",
        newsroom.summary_max_length,
    )

    _plain_names(report, doc)
    syndicate = doc.text("syndicate")
    if doc.get("syndicate") and syndicate.lower() not in ("yes", "no"):
        report.add(
            "syndicate",
            f"{syndicate!r} is not yes or no (expected 'Syndicate: no' to keep a post off social and email channels)",
        )

    _check_material(doc, report, newsroom, written)
    withdrawn = doc.text("withdrawn")
    if doc.get("withdrawn"):
        when, _, reason = withdrawn.partition("|")
        try:
            withdrawal = parse_timestamp(when.strip())
            if published and withdrawal < published:
                report.add("withdrawn", "is dated before the post itself (expected a later time)")
            _not_ahead(report, "withdrawn", withdrawal, now)
        except TimestampError as error:
            report.add("withdrawn", f"{error}; write 'time | why it was withdrawn'")
        if not reason.strip():
            report.add("withdrawn", "has no reason (expected 'time | why it was withdrawn'; readers are shown it)")

    status = doc.text("status")
    _check_status(doc, report)

    _check_safe_name(doc, report, "id", "2026-10-29-q3-results")
    _check_file_name_as_id(doc, report)
    _check_slug(doc, report, "q3-2026-results")
    _check_language_tag(doc, report, newsroom.languages)
    _check_template(doc, report, templates, newsroom.post_templates, "post")
    if status.lower() != "draft":
        for name, placeholder in PLACEHOLDERS.items():
            text = doc.text(name) if name != "body" else doc.body
            if placeholder in text:
                report.add(
                    name,
                    f"still has the placeholder text {placeholder[:40]!r}… written by `invoke new` (expected the "
                    "post's own words, or 'Status: draft' until they are written)",
                    _line_of(doc, placeholder) if name == "body" else None,
                )

    _check_contacts(doc, report, newsroom, written or newsroom.default_audiences)

    for line, text in _values_with_lines(doc, "correction"):
        when, _, note = text.partition("|")
        try:
            corrected = parse_timestamp(when)
        except TimestampError as error:
            report.add("correction", f"{error}; write 'time | what was corrected'", line)
            continue
        if not note.strip():
            report.add("correction", "has no text (expected 'time | what was corrected')", line)
        if published and corrected < published:
            report.add("correction", "is dated before the post itself (expected a later time)", line)
        _not_ahead(report, "correction", corrected, now, line)

    image = doc.text("image")
    if image:
        _check_lead_image(image, report, source, content_root, static_folders)
        if not doc.text("image-alt"):
            report.add(
                "image-alt",
                "missing for the lead image (expected e.g. 'Image-Alt: Wind turbines at dusk')",
                doc.get("image").line,
            )


def _check_contacts(doc: Document, report: _Report, newsroom: Newsroom, audiences: tuple[str, ...]) -> None:
    """Each `Contact:` is a configured contact. On a public post, one of internal audiences only is for those of
    them the post is for (`Audience: media, employees` may name the employees' contact): the public site names no
    internal audience, nor their contact, and leaves it out (Newsroom.post_contacts); named for none of the post's
    audiences, it would be on no page of the post's public readers."""
    by_key = {contact.key: contact for contact in newsroom.contacts}
    public_post = not is_internal_only(audiences, newsroom.audience_by_slug)
    for key in split_list_field(doc.get("contact").values) if doc.get("contact") else ():
        contact = by_key.get(key)
        if contact is None:
            report.add("contact", f"unknown contact {key!r} (expected one of: {', '.join(sorted(by_key))})")
        elif (
            public_post
            and is_internal_only(contact.audiences, newsroom.audience_by_slug)
            and not set(contact.audiences) & set(audiences)
        ):
            public = tuple(a.slug for a in newsroom.public_audiences if a.slug in audiences)
            example = ", ".join(c.key for c in newsroom.contacts_for(public))
            report.add(
                "contact",
                f"{key!r} is the contact of {', '.join(contact.audiences)} only, internal audiences this post is not "
                "for, so the public site would not show it (expected a contact of the post's audiences"
                f"{f', e.g. {example!r}' if example else ''}, or no Contact line: its audiences' own are shown)",
            )


def _check_material(doc: Document, report: _Report, newsroom: Newsroom, audiences: tuple[str, ...]) -> None:
    """A `Material: yes` post must meet the company's rules (NEWSROOM_MATERIAL_RULES)."""
    value = doc.text("material").lower()
    if doc.get("material") and value not in ("yes", "no"):
        report.add(
            "material", f"{doc.text('material')!r} is not yes or no (expected 'Material: yes' for material news)"
        )
    if value != "yes":
        return
    rules = newsroom.material
    missing = [slug for slug in rules.audiences if slug not in audiences]
    if missing:
        report.add(
            "material",
            f"a material post must be for {', '.join(rules.audiences)} (expected 'Audience:' to include "
            f"{', '.join(missing)})",
        )
    category = newsroom.category_named(doc.text("category"))
    if rules.categories and category is not None and category.slug not in rules.categories:
        names = ", ".join(repr(c.name) for c in newsroom.categories if c.slug in rules.categories)
        report.add("material", f"a material post cannot be in {category.name!r} (expected one of: {names})")
    if rules.require_contact and not doc.get("contact"):
        keys = ", ".join(c.key for c in newsroom.contacts_for(rules.audiences)) or "a contact key"
        report.add("material", f"a material post needs a contact block (expected e.g. 'Contact: {keys}')")
    if rules.require_syndication and doc.text("syndicate").lower() == "no":
        report.add(
            "syndicate",
            "a material post goes to every disclosure channel at once (expected no 'Syndicate: no' line)",
        )


def _check_body(
    doc: Document,
    report: _Report,
    newsroom: Newsroom,
    source: Source,
    settings: Mapping,
    removed_from: Callable[[Source], list[Removed]],
) -> None:
    """Check the body's characters, images, intrasite links and the HTML the body becomes."""
    _check_body_characters(doc, report)
    # Asked of every body, whatever it holds: one Markdown cannot convert is named here, or never.
    _report_removed(doc, source, report, newsroom, removed_from)
    if not _may_need_checking(doc.body):
        return
    # Images in code are text, not images: they are looked for in the body with its code blanked out.
    lines_outside_code = without_code(doc.body).splitlines()
    for offset, text in enumerate(doc.body.splitlines()):
        if not _may_need_checking(text):
            continue
        line = doc.body_line + offset
        for image in MARKDOWN_IMAGE.finditer(lines_outside_code[offset]):
            if not image["alt"].strip():
                report.add("image", f"{image['src']!r} has no alt text (expected ![description]({image['src']}))", line)
        for image in HTML_IMAGE.finditer(lines_outside_code[offset]):
            alt = HTML_ALT.search(image["attrs"])
            if not alt or not (alt["dq"] or alt["sq"] or alt["bare"] or "").strip():
                report.add("image", '<img> has no alt text (expected alt="description")', line)
        for link in INTRASITE_LINK.finditer(text):
            target = link["target"].split("#")[0].split("?")[0]
            if link["kind"] != "category":
                _check_file_reference(link.group(0).split("#")[0].split("?")[0], "link", report, source, settings, line)
            elif newsroom.category_named(target) is None:
                slugs = ", ".join(category.slug for category in newsroom.categories)
                report.add(
                    "link", f"unknown category {target!r} in a {{category}} link (expected one of: {slugs})", line
                )


def _check_body_characters(doc: Document, report: _Report) -> None:
    """The body holds only text a reviewer sees as it will be published, as header values do (visible_text.py),
    besides its line ends and tabs: a control character was silently dropped from the feeds (and NUL from the page
    too), and a right-to-left override reads one way in the pull request and another on the site."""
    body = doc.body
    if body.replace("\n", "").replace("\r", "").replace("\t", "").isprintable() and REPLACEMENT not in body:
        return  # nearly every post
    for offset, text in enumerate(body.split("\n")):  # not splitlines(): it takes U+2028 and \x1c for line ends
        hidden = hidden_character(text.rstrip("\r").replace("\t", " "))
        if hidden is not None:
            report.add(
                "body",
                f"holds the character {describe(hidden[1])} after {clipped(text[: hidden[0]][-40:])!r}, "
                "which can make the text read otherwise in review than where it is published, or be dropped from "
                "the feeds (expected visible text only: delete the character)",
                doc.body_line + offset,
            )


def _line_of(doc: Document, hint: str) -> int:
    """The first body line that mentions `hint` (case-insensitive), else the body's first line."""
    needle = hint.lower()
    for offset, text in enumerate(doc.body.splitlines()):
        if needle in text.lower():
            return doc.body_line + offset
    return doc.body_line


def _may_need_checking(text: str) -> bool:
    """Whether `text` can hold anything the checks below look at: most posts and lines cannot, and skip the
    body checks. Plain substring tests, cheapest first."""
    return (
        "<" in text  # HTML
        or "](" in text  # Markdown links and images
        or "]:" in text  # reference definitions
        or "{" in text  # intrasite links, attribute lists
        or "}" in text
        or ("|" in text and any(end in text for end in _PIPE_LINK_ENDS))  # tables have "|" too
        or "&" in text  # character references
    )


def _check_file_reference(
    reference: str, field: str, report: _Report, source: Source, settings: Mapping, line: int | None = None
) -> None:
    """Check that a {filename}/{static}/{attach} reference, or a relative path, names a file under content/;
    and that a file Pelican would copy for it (any intrasite reference but {filename} to a post or page) is one
    the site may publish (model/content_files.py)."""
    match = FILE_REFERENCE.match(reference)
    if match:
        target = match["path"]
    elif re.match(r"^(?:[a-z][a-z0-9+.-]*:|/)", reference):
        return  # an absolute URL or a site path: checked on the built site, not here
    else:
        target = reference
    target = unquote(target)
    if match and not (reference[1:].startswith("filename") and _is_source(target, source, settings)):
        problem = static_source_problem(content_path(target, source.content_relative), settings)
        if problem:
            report.add(field, f"{reference!r} {problem}", line)
            return
    content_root = Path(settings["PATH"])
    base = content_root if target.startswith("/") else (content_root / source.content_relative).parent
    if not (base / target.lstrip("/")).is_file():
        report.add(
            field,
            f"{reference!r} does not exist (expected a file under content/, e.g. '{{static}}/images/photo.jpg')",
            line,
        )


def _is_source(target: str, source: Source, settings: Mapping) -> bool:
    """Whether a {filename} `target` names a post's or page's Markdown: linked as its page, never copied."""
    relative = content_path(target, source.content_relative)
    return relative.endswith(MARKDOWN_EXTENSIONS) and is_source_place(relative, settings)


def _check_lead_image(
    reference: str, report: _Report, source: Source, content_root: Path, static_folders: tuple[str, ...]
) -> None:
    """The lead image is an image file of the newsroom, resolved as the build resolves it (content_path): the
    pages, feeds and cards show it from the site's own address, and syndication uploads it, so an address
    elsewhere (https://…, javascript:…) or a path climbing out of the images would put a broken or foreign
    address in every one of them, and have syndication read a file that is not part of the site."""
    target = content_path(reference, source.content_relative)
    folders = ", ".join(f"content/{folder}/" for folder in static_folders) or "none (STATIC_PATHS is empty)"
    example = f"'Image: {{static}}/{static_folders[0] if static_folders else 'images'}/photo.jpg'"
    if not any(target.startswith(f"{folder}/") for folder in static_folders) or ":" in reference.split("/", 1)[0]:
        report.add("image", f"{reference!r} is not a file in {folders} (expected e.g. {example})")
    elif not (content_root / target).is_file():
        report.add("image", f"{reference!r} does not exist (expected a file under content/, e.g. {example})")
    elif suffix_of(target) not in IMAGES:
        kinds = ", ".join(sorted(IMAGES))
        report.add("image", f"{reference!r} is not an image (expected one of: {kinds})")


def _not_ahead(report: _Report, name: str, when: datetime | None, now: datetime, line: int | None = None) -> None:
    if when is not None and when > now:
        report.add(
            name,
            f"is dated {when:%Y-%m-%d %H:%M %Z}, which has not come yet (the newsroom's clock says "
            f"{now.astimezone(when.tzinfo):%Y-%m-%d %H:%M %Z}): the change would be published now, before its time "
            "(expected the time it is made; to release it at a later time, merge it then)",
            line,
        )


def _timestamp(doc: Document, name: str, report: _Report, *, required: bool):
    entry = doc.get(name)
    if entry is None or not entry.text:
        if required:
            report.add(name, f"missing (expected e.g. '{name.capitalize()}: {DATE_EXAMPLE}')")
        return None
    try:
        return parse_timestamp(entry.text)
    except TimestampError as error:
        report.add(name, str(error))
        return None


def _known_audiences(newsroom: Newsroom) -> str:
    return ", ".join(sorted(newsroom.audience_by_slug))


def _category_names(newsroom: Newsroom) -> str:
    return ", ".join(repr(c.name) for c in newsroom.categories)


def _values_with_lines(doc: Document, name: str) -> list[tuple[int, str]]:
    entry = doc.get(name)
    return list(zip(entry.lines, entry.values, strict=True)) if entry else []


def _plain_names(report, doc) -> None:
    """Author and tags are names, written into every feed as plain text (an author's name, a category label):
    markup there reads as HTML to feed readers, and an e-mail address in an author's name is one no feed may hold."""
    for field in ("author", "tags"):
        value = doc.text(field)
        if value and HTML_MARKUP.search(value):
            report.add(field, f"{clipped(value)!r} contains HTML (expected plain text)")
    if EMAIL.search(doc.text("author")):
        report.add(
            "author",
            f"{clipped(doc.text('author'))!r} holds an e-mail address (expected the author's name alone, e.g. "
            "'Author: Dana Okafor'; the post's Contact: gives a press contact)",
        )


def _plain_text(report, doc, field: str, example: str, max_length: int, required: bool = True) -> None:
    """A plain-text field (title, summary): present if required, within its length, then without HTML."""
    value = doc.text(field)
    if not _within_length(report, field, value, max_length):  # first: nothing else reads a value past its length
        return
    if not value:
        if required:
            report.add(field, f"missing (expected {example})")
    elif HTML_MARKUP.search(value):
        report.add(field, f"{clipped(value)!r} contains HTML (expected plain text)")


def _within_length(report: _Report, field: str, value: str, max_length: int) -> bool:
    """The one rule for a field's length, said the same way for every field; False when the value is longer."""
    if len(value) > max_length:
        report.add(field, f"is {len(value)} characters long (expected at most {max_length})")
        return False
    return True
