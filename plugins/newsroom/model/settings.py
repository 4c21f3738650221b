"""The newsroom's NEWSROOM_* settings, validated once, with every problem reported together."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path

from newsroom.kit.errors import clipped
from newsroom.kit.settings import Option, SettingsReader, unknown_names
from newsroom.kit.translated import TRANSLATIONS_KEY
from newsroom.model.alerts import AlertSettings, read_alerts
from newsroom.model.archive import DEFAULT_REGISTER, DEFAULT_RETENTION_YEARS, ArchiveSettings
from newsroom.model.audiences import Audience
from newsroom.model.categories import Category
from newsroom.model.dates import TimestampError, parse_timestamp
from newsroom.model.editions import edition_problems
from newsroom.model.feed_catalogue import RESERVED_AUDIENCE_SLUGS, FeedSettings
from newsroom.model.languages import Language, Languages, read_languages
from newsroom.model.material import MaterialRules
from newsroom.model.organization import Company, Contact, Download
from newsroom.model.pelican_settings import pelican_problems
from newsroom.model.site_folders import site_folders
from newsroom.model.visible_text import describe, hidden_character

EDITIONS = ("public", "internal", "embargo-preview")
# Pelican's settings that every page prints as text (the site's name and tagline, the default author).
PRINTED_SETTINGS = ("SITENAME", "SITESUBTITLE", "AUTHOR")

DEFAULT_CHECKS = {
    "summary_max_length": 300,
    "title_max_length": 150,
    # The theme's templates a post, and a page, may name in `Template:`: those that render one. Another template
    # would print a listing (the home page's) in the post's place, or stop the build on a variable it lacks.
    "post_templates": ("article",),
    "page_templates": ("page", "contacts", "disclosure", "subscribe"),
}
LENGTH_LIMITS = ("summary_max_length", "title_max_length")
TEMPLATE_LISTS = ("post_templates", "page_templates")
DEFAULT_FEEDS = {"max_items": 50, "hub": "", "id_authority": "", "image": ""}
FEED_IMAGE = re.compile(r"^[^/\s][^\s]*\.(?:png|gif|jpe?g)$", re.I)  # RSS 2.0's <image> takes only these
# The company's web addresses (its site, its other profiles) and its logo, an image file of the site printed on
# every page and in every feed (icon and logo).
WEB_ADDRESS = re.compile(r"^https?://[^/\s?#]+(?:[/?#]\S*)?$", re.IGNORECASE)
LOGO = re.compile(r"^[^/\s:][^\s:]*\.(?:svg|png|gif|jpe?g|webp)$", re.IGNORECASE)
DEFAULT_MATERIAL_RULES = {
    "audiences": ["investors"],
    "categories": [],
    "require_contact": True,
    "require_syndication": True,
}
DEFAULT_ARCHIVE = {"register": DEFAULT_REGISTER, "retention_years": DEFAULT_RETENTION_YEARS}
# Pelican's own feed settings. Its defaults write feeds/all.atom.xml and feeds/<slug>.atom.xml, the very
# addresses of the newsroom's feeds, with other ids: they must all be None.
PELICAN_FEED_SETTINGS = tuple(
    f"{kind}_{fmt}" for kind in ("FEED", "FEED_ALL", "CATEGORY_FEED", "TAG_FEED", "AUTHOR_FEED", "TRANSLATION_FEED")
    for fmt in ("ATOM", "RSS")
)  # fmt: skip
# RFC 4151 tagging entity: a domain name or email address, a comma, and a date on which it was yours.
TAG_AUTHORITY = re.compile(
    r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+|[^@\s,]+@[a-z0-9.-]+)"
    r",\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$"
)

# The build's own switches: how it makes the site, never what the site holds (so the content cache's fingerprint
# leaves them out). None, or unset, is the default.
BUILD_OPTIONS = {
    "NEWSROOM_PARALLEL_RENDER": Option(
        bool,
        "True or False: True renders pages in two processes; leave it unset to render in two when the machine has "
        "more than one CPU",
    ),
    "NEWSROOM_KEEP_PAGES": Option(
        bool,
        "True or False: True writes unchanged pages from the content cache, when CACHE_CONTENT and "
        "LOAD_CONTENT_CACHE are on; False renders every page",
        default=True,
    ),
    "NEWSROOM_SEARCH_PAGES_PER_PIECE": Option(
        int,
        "a whole number of pages, at least 1: how many pages marked for search make one more piece of the search "
        "index; leave it unset for the search index's default",
        minimum=1,
    ),
}

# Every NEWSROOM_* and SYNDICATION_* setting something reads; any other name with those prefixes is refused.
NEWSROOM_SETTINGS = (
    *("NEWSROOM_COMPANY", "NEWSROOM_AUDIENCES", "NEWSROOM_DEFAULT_AUDIENCES", "NEWSROOM_CATEGORIES"),
    *("NEWSROOM_CONTACTS", "NEWSROOM_PRESS_KIT", "NEWSROOM_CHECKS", "NEWSROOM_MATERIAL_RULES", "NEWSROOM_ARCHIVE"),
    *("NEWSROOM_FEEDS", "NEWSROOM_PREVIEW_DRAFTS", "NEWSROOM_EDITIONS", "NEWSROOM_EDITION", "NEWSROOM_NOW"),
    *("NEWSROOM_PUBLISH", "NEWSROOM_EMBED_HOSTS", "NEWSROOM_IMAGE_HOSTS", "NEWSROOM_ALERTS"),
    *BUILD_OPTIONS,  # parallel_render.py, kept_pages.py, search/pieces.py
    *("NEWSROOM_EDITOR", "NEWSROOM_EDITOR_PROXY"),  # the browser editor (editor_config.py; the proxy: invoke edit)
    *("NEWSROOM_LANGUAGES", "NEWSROOM_TRANSLATION_RULES"),  # languages.py
)
SYNDICATION_SETTINGS = (
    *("SYNDICATION_CHANNELS", "SYNDICATION_LEDGER", "SYNDICATION_CAP", "SYNDICATION_MAX_WAIT"),
    *("SYNDICATION_RETRIES", "SYNDICATION_BACKOFF", "SYNDICATION_TIMEOUT", "SYNDICATION_ATTENTION_DAYS"),
    "SYNDICATION_ALERT_CHANNEL",
)
KNOWN_SETTINGS = frozenset({*NEWSROOM_SETTINGS, *SYNDICATION_SETTINGS})
# The texts of each settings entry that pages and feeds show, in every language (kit/translated.py).
TRANSLATED_TEXTS = {
    "NEWSROOM_COMPANY": ("boilerplate", "tagline"),  # the tagline's own text is SITESUBTITLE
    "NEWSROOM_AUDIENCES": ("name", "description", "reader"),
    "NEWSROOM_CATEGORIES": ("name", "description"),
    "NEWSROOM_CONTACTS": ("role",),
    "NEWSROOM_PRESS_KIT": ("title", "description"),
}


def in_one_language(settings: Mapping) -> dict:
    """The settings entries that have texts (TRANSLATED_TEXTS) or alert lists (NEWSROOM_ALERTS) in other
    languages, without them, and the syndication channels without a `language` of their own: what a newsroom
    built in its default language alone (NEWSROOM_LANGUAGES None) may say, where they are refused."""

    def plain(entry):
        return {key: value for key, value in entry.items() if key != TRANSLATIONS_KEY}

    texts = {
        name: plain(settings[name])
        if isinstance(settings[name], Mapping)
        else [plain(entry) for entry in settings[name]]
        for name in (*TRANSLATED_TEXTS, "NEWSROOM_ALERTS")
        if settings.get(name)  # a setting left empty has no texts to take out
    }
    channels = settings.get("SYNDICATION_CHANNELS") or []
    if any("language" in entry for entry in channels):
        texts["SYNDICATION_CHANNELS"] = [
            {key: value for key, value in entry.items() if key != "language"} for entry in channels
        ]
    return texts


HOST = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")


@dataclass(frozen=True)
class Newsroom:
    """Everything the plugins need to know about this newsroom, as plain validated data."""

    company: Company
    audiences: tuple[Audience, ...]
    categories: tuple[Category, ...]
    contacts: tuple[Contact, ...]
    downloads: tuple[Download, ...]
    default_audiences: tuple[str, ...]
    summary_max_length: int
    title_max_length: int
    edition: str
    preview_drafts: bool
    now: datetime | None
    feeds: FeedSettings
    material: MaterialRules = field(default_factory=MaterialRules)
    archive: ArchiveSettings = field(default_factory=ArchiveSettings)
    embed_hosts: tuple[str, ...] = ()  # hosts whose https:// iframes a post may embed (sandboxed)
    image_hosts: tuple[str, ...] = ()  # hosts whose https:// images a post may show (else only the site's own)
    post_templates: tuple[str, ...] = DEFAULT_CHECKS["post_templates"]  # what `Template:` may name on a post
    page_templates: tuple[str, ...] = DEFAULT_CHECKS["page_templates"]  # ...and on a page
    alerts: AlertSettings = field(default_factory=AlertSettings)
    languages: Languages = field(default_factory=lambda: Languages((Language("en", "en"),)))
    # The build's own switches (BUILD_OPTIONS): None leaves the choice to the machine (parallel_render.py), or to
    # the search index's default (search/pieces.py).
    parallel_render: bool | None = None
    keep_pages: bool = True
    search_pages_per_piece: int | None = None

    @property
    def audience_by_slug(self) -> dict[str, Audience]:
        return {audience.slug: audience for audience in self.audiences}

    @property
    def public_audiences(self) -> tuple[Audience, ...]:
        return tuple(audience for audience in self.audiences if not audience.internal)

    def audiences_in_edition(self) -> tuple[Audience, ...]:
        """The audiences whose pages and feeds this build writes."""
        if self.edition == "internal":
            return self.audiences
        return self.public_audiences

    def category_named(self, text: str) -> Category | None:
        return self._category_by_key.get(text.strip().casefold())

    @cached_property
    def _category_by_key(self) -> dict[str, Category]:
        """Each category by its name and slug, casefolded: a post's `Category:` may name either, in any case.
        The first one wins, as in the list.
        A lookup, because every post's category is looked up a few times in a build."""
        found: dict[str, Category] = {}
        for category in self.categories:
            for key in (category.name.casefold(), category.slug.casefold()):
                found.setdefault(key, category)
        return found

    def contacts_for(self, audience_slugs: tuple[str, ...]) -> tuple[Contact, ...]:
        return tuple(c for c in self.contacts if set(c.audiences) & set(audience_slugs))

    @cached_property
    def contacts_in_edition(self) -> tuple[Contact, ...]:
        """The contacts this build may print: each of an audience whose pages it writes (audiences_in_edition).
        The public site names no internal audience, and so no contact only they have: its person's address and
        phone are for employees."""
        return self.contacts_for(tuple(audience.slug for audience in self.audiences_in_edition()))

    def post_contacts(self, contact_keys: tuple[str, ...], audience_slugs: tuple[str, ...]) -> tuple[Contact, ...]:
        """The contacts a post prints in this edition: those its `Contact:` names, else those of its audiences,
        of the audiences this edition names (a post for media and employees shows the media's on the public site)."""
        if contact_keys:
            return tuple(c for c in self.contacts_in_edition if c.key in contact_keys)
        shown = {audience.slug for audience in self.audiences_in_edition()}
        return self.contacts_for(tuple(slug for slug in audience_slugs if slug in shown))


def load_newsroom(settings: Mapping) -> Newsroom:
    """Validate the NEWSROOM_* settings and return them as a Newsroom, or raise SettingsProblems."""
    read = SettingsReader()
    read.problems += unknown_names(settings, KNOWN_SETTINGS)
    read.problems += edition_problems(settings, KNOWN_SETTINGS)
    read.problems += pelican_problems(settings)
    read.problems += invisible_characters(settings)
    # First: every entry's texts are read in each of the languages.
    folders = site_folders(settings, _slugs(settings, "NEWSROOM_AUDIENCES"), _slugs(settings, "NEWSROOM_CATEGORIES"))
    languages = read_languages(read, settings, folders)
    other_languages = tuple(language.code for language in languages.all[1:])

    def translations(entry: Mapping, where: str, setting: str):
        return read.translations(entry, where, TRANSLATED_TEXTS[setting], other_languages)

    company_raw = settings.get("NEWSROOM_COMPANY", {})
    if not isinstance(company_raw, Mapping):
        read.problem("NEWSROOM_COMPANY", f"{company_raw!r} must be a dictionary")
        company_raw = {}
    tagline = settings.get("SITESUBTITLE") if isinstance(settings.get("SITESUBTITLE"), str) else ""
    company = Company(
        name=read.text(company_raw, "name", "NEWSROOM_COMPANY"),
        legal_name=read.text(company_raw, "legal_name", "NEWSROOM_COMPANY"),
        url=read.text(company_raw, "url", "NEWSROOM_COMPANY"),
        boilerplate=read.text(company_raw, "boilerplate", "NEWSROOM_COMPANY"),
        logo=read.text(company_raw, "logo", "NEWSROOM_COMPANY", required=False),
        ticker=read.text(company_raw, "ticker", "NEWSROOM_COMPANY", required=False),
        same_as=read.strings(company_raw, "same_as", "NEWSROOM_COMPANY"),
        tagline=tagline,
        # SITESUBTITLE stays where Pelican and every theme read it; its other languages' texts are the company's.
        translations=translations({**company_raw, "tagline": tagline}, "NEWSROOM_COMPANY", "NEWSROOM_COMPANY"),
    )

    _check_company_addresses(read, company)

    audiences = [
        Audience(
            slug=read.slug(entry, "slug", where),
            name=read.text(entry, "name", where),
            description=read.text(entry, "description", where),
            internal=read.flag(entry, "internal", where),
            reader=read.text(entry, "reader", where, required=False),
            translations=translations(entry, where, "NEWSROOM_AUDIENCES"),
        )
        for where, entry in read.entries(settings, "NEWSROOM_AUDIENCES")
    ]
    if not audiences:
        read.problem("NEWSROOM_AUDIENCES", "at least one audience must be configured")
    read.unique("NEWSROOM_AUDIENCES", audiences, "slug")
    known = {audience.slug for audience in audiences}

    categories = [
        Category(
            slug=read.slug(entry, "slug", where),
            name=read.text(entry, "name", where),
            description=read.text(entry, "description", where),
            boilerplate=read.flag(entry, "boilerplate", where),
            translations=translations(entry, where, "NEWSROOM_CATEGORIES"),
        )
        for where, entry in read.entries(settings, "NEWSROOM_CATEGORIES")
    ]
    if not categories:
        read.problem("NEWSROOM_CATEGORIES", "at least one category must be configured")
    read.unique("NEWSROOM_CATEGORIES", categories, "slug")
    for category in categories:
        if category.slug in known:
            read.problem(
                "NEWSROOM_CATEGORIES",
                f"slug {category.slug!r} is also an audience slug (their pages would share a URL)",
            )

    contacts = []
    for where, entry in read.entries(settings, "NEWSROOM_CONTACTS"):
        contact = Contact(
            key=read.slug(entry, "key", where),
            name=read.text(entry, "name", where),
            role=read.text(entry, "role", where),
            email=read.text(entry, "email", where),
            phone=read.text(entry, "phone", where),
            audiences=read.strings(entry, "audiences", where),
            translations=translations(entry, where, "NEWSROOM_CONTACTS"),
        )
        for slug in set(contact.audiences) - known:
            read.problem(
                f"{where}.audiences", f"unknown audience {slug!r} (expected one of: {', '.join(sorted(known))})"
            )
        contacts.append(contact)
    read.unique("NEWSROOM_CONTACTS", contacts, "key")

    downloads = tuple(
        Download(
            title=read.text(entry, "title", where),
            path=read.text(entry, "path", where),
            description=read.text(entry, "description", where, required=False),
            translations=translations(entry, where, "NEWSROOM_PRESS_KIT"),
        )
        for where, entry in read.entries(settings, "NEWSROOM_PRESS_KIT")
    )

    default_audiences = read.strings(settings, "NEWSROOM_DEFAULT_AUDIENCES", "")
    for slug in set(default_audiences) - known:
        read.problem(
            "NEWSROOM_DEFAULT_AUDIENCES", f"unknown audience {slug!r} (expected one of: {', '.join(sorted(known))})"
        )

    checks = read.dictionary(settings, "NEWSROOM_CHECKS", DEFAULT_CHECKS)
    for key in LENGTH_LIMITS:
        checks[key] = read.whole_number(checks[key], f"NEWSROOM_CHECKS.{key}") or DEFAULT_CHECKS[key]
    for key in TEMPLATE_LISTS:
        checks[key] = read.strings(checks, key, "NEWSROOM_CHECKS")
    preview_drafts = read.flag(settings, "NEWSROOM_PREVIEW_DRAFTS", "")
    embed_hosts = _hosts(read, settings, "NEWSROOM_EMBED_HOSTS", "www.youtube-nocookie.com")
    image_hosts = _hosts(read, settings, "NEWSROOM_IMAGE_HOSTS", "media.larkspur-energy.example")

    edition = settings.get("NEWSROOM_EDITION", "public")
    if edition not in EDITIONS:
        read.problem("NEWSROOM_EDITION", f"{edition!r} is not an edition (expected one of: {', '.join(EDITIONS)})")

    now = None
    clock = settings.get("NEWSROOM_NOW")
    if clock is not None and clock != "":  # unset: the real clock; anything else is a time or a problem
        try:
            if not isinstance(clock, str):
                raise TimestampError(f"{clock!r} is not a time (expected e.g. '2026-12-05 12:00 UTC', or None)")
            now = parse_timestamp(clock)
        except TimestampError as error:
            read.problem("NEWSROOM_NOW", str(error))

    feeds = _feed_settings(read, settings)
    for audience in audiences:
        if audience.slug in RESERVED_AUDIENCE_SLUGS:
            read.problem(
                "NEWSROOM_AUDIENCES",
                f"slug {audience.slug!r} is reserved for the feeds of everything and of each category "
                "(feeds/all.*, feeds/category/*); expected another slug",
            )

    material = _material_rules(read, settings, audiences, categories)
    archive = _archive_settings(read, settings)
    alerts, alert_problems = read_alerts(
        settings.get("NEWSROOM_ALERTS"),
        {audience.slug for audience in audiences if not audience.internal},
        [(language.code, language.name) for language in languages.all] if languages.several else (),
    )
    read.problems.extend(alert_problems)
    given = {name: settings[name] for name in BUILD_OPTIONS if settings.get(name) is not None}
    switches = read.options(given, BUILD_OPTIONS, "", "the build")
    read.check()
    return Newsroom(
        company=company,
        audiences=tuple(audiences),
        categories=tuple(categories),
        contacts=tuple(contacts),
        downloads=downloads,
        default_audiences=default_audiences,
        summary_max_length=checks["summary_max_length"],
        title_max_length=checks["title_max_length"],
        edition=edition,
        preview_drafts=preview_drafts,
        now=now,
        feeds=feeds,
        material=material,
        archive=archive,
        embed_hosts=embed_hosts,
        image_hosts=image_hosts,
        post_templates=checks["post_templates"],
        page_templates=checks["page_templates"],
        alerts=alerts,
        languages=languages,
        parallel_render=switches["NEWSROOM_PARALLEL_RENDER"],
        keep_pages=switches["NEWSROOM_KEEP_PAGES"],
        search_pages_per_piece=switches["NEWSROOM_SEARCH_PAGES_PER_PIECE"],
    )


def _hosts(read: SettingsReader, settings: Mapping, name: str, example: str) -> tuple[str, ...]:
    """The host names the setting `name` lists (lower case, without scheme or path)."""
    hosts = read.strings(settings, name, "")
    for host in hosts:
        if not HOST.match(host):
            read.problem(name, f"{host!r} is not a host name (expected e.g. {example!r}, without https:// or a path)")
    return hosts


def _check_company_addresses(read: SettingsReader, company: Company) -> None:
    """The company's web addresses are links every page and feed prints (`url` in the footer, the feeds' author
    and JSON-LD; `same_as` in JSON-LD): http(s) only, so no `javascript:` reaches a feed reader, which has no
    Content-Security-Policy. The logo is an image of the site (a path in the content folder), never another site's:
    every page and feed shows it."""
    for where, address in [("url", company.url), *((f"same_as[{n}]", a) for n, a in enumerate(company.same_as))]:
        if address and not WEB_ADDRESS.match(address):
            read.problem(
                f"NEWSROOM_COMPANY.{where}", f"{address!r} must be an http(s) address, e.g. 'https://www.example.com'"
            )
    if company.logo and not LOGO.match(company.logo):
        read.problem(
            "NEWSROOM_COMPANY.logo",
            f"{company.logo!r} must be an image file's path in the content folder (SVG, PNG, GIF, JPEG or WebP), "
            "e.g. 'images/logo.svg', or '' for none",
        )


def invisible_characters(settings: Mapping) -> list[str]:
    """A problem for every text of the settings the site prints (NEWSROOM_*, SYNDICATION_* and Pelican's
    PRINTED_SETTINGS, at any depth) that holds a character nobody sees as written, as a post's header may not: a
    control character pasted from a word processor stops the feeds' XML, a right-to-left override reverses the
    company's name on every page. Line breaks are text (a boilerplate's paragraphs)."""
    found = []

    def walk(value, where: str) -> None:
        if isinstance(value, str):
            hidden = hidden_character(value.replace("\n", " "))
            if hidden is not None:
                index, character = hidden
                found.append(
                    f"{where}: holds the character {describe(character)} after "
                    f"{clipped(value[:index])!r} (expected visible text only: delete the character)"
                )
        elif isinstance(value, Mapping):
            for key, item in value.items():
                walk(item, f"{where}.{key}")
        elif isinstance(value, list | tuple):
            for number, item in enumerate(value):
                walk(item, f"{where}[{number}]")

    for name in sorted(name for name in settings if isinstance(name, str)):
        if name.startswith(("NEWSROOM_", "SYNDICATION_")) or name in PRINTED_SETTINGS:
            walk(settings[name], name)
    return found


def _slugs(settings: Mapping, *names: str) -> set[str]:
    """The slugs the entries of the settings `names` give (as written: their own checks report bad ones)."""
    entries = [entry for name in names if isinstance(settings.get(name), list | tuple) for entry in settings[name]]
    return {entry["slug"] for entry in entries if isinstance(entry, Mapping) and isinstance(entry.get("slug"), str)}


def _feed_settings(read: SettingsReader, settings: Mapping) -> FeedSettings:
    """NEWSROOM_FEEDS: item limit, WebSub hub and the authority of every feed and post id."""
    values = read.dictionary(settings, "NEWSROOM_FEEDS", DEFAULT_FEEDS)
    max_items, hub, authority = values["max_items"], values["hub"], values["id_authority"]
    if isinstance(max_items, bool) or not isinstance(max_items, int) or max_items < 1:
        read.problem("NEWSROOM_FEEDS.max_items", f"{max_items!r} must be a positive whole number")
    if not isinstance(hub, str) or (hub and not re.match(r"^https?://[^/\s]+/?\S*$", hub)):
        read.problem("NEWSROOM_FEEDS.hub", f"{hub!r} must be the hub's http(s) URL, or '' for no WebSub hub")
    if not isinstance(authority, str) or not TAG_AUTHORITY.match(authority):
        read.problem(
            "NEWSROOM_FEEDS.id_authority",
            f"{authority!r} is not a tag URI authority (expected a domain or email address and a date it was "
            "yours, e.g. 'newsroom.example.com,2026'; every feed id contains it, so never change it once set)",
        )
    image = values["image"]
    if not isinstance(image, str) or (image and not FEED_IMAGE.match(image)):
        read.problem(
            "NEWSROOM_FEEDS.image",
            f"{image!r} must be a GIF, JPEG or PNG file's path in the content folder (RSS 2.0 takes no other "
            "format), e.g. 'images/logo-feed.png', or '' for none",
        )
    elif image and settings.get("PATH") and not (Path(settings["PATH"]) / image).is_file():
        read.problem("NEWSROOM_FEEDS.image", f"{image!r} is not a file in the content folder {settings['PATH']!r}")
    for name in PELICAN_FEED_SETTINGS:
        if settings.get(name):
            read.problem(name, f"{settings[name]!r} must be None (the newsroom writes its own feeds: NEWSROOM_FEEDS)")
    return FeedSettings(
        max_items=max_items, hub=hub, id_authority=authority, image=image if isinstance(image, str) else ""
    )


def _material_rules(read: SettingsReader, settings: Mapping, audiences: list, categories: list) -> MaterialRules:
    """NEWSROOM_MATERIAL_RULES: what `invoke check` demands of every `Material: yes` post."""
    where = "NEWSROOM_MATERIAL_RULES"
    values = read.dictionary(settings, where, DEFAULT_MATERIAL_RULES)
    public = {audience.slug for audience in audiences if not audience.internal}
    slugs = read.strings(values, "audiences", where)
    for slug in slugs:
        if slug not in public:
            read.problem(
                f"{where}.audiences",
                f"{slug!r} is not a public audience (expected some of: {', '.join(sorted(public))}; "
                "material news is public by definition)",
            )
    known_categories = {category.slug for category in categories}
    allowed = read.strings(values, "categories", where)
    for slug in allowed:
        if slug not in known_categories:
            read.problem(
                f"{where}.categories",
                f"unknown category slug {slug!r} (expected some of: {', '.join(sorted(known_categories))}, "
                "or [] for any)",
            )
    return MaterialRules(
        audiences=slugs,
        categories=allowed,
        require_contact=read.flag(values, "require_contact", where),
        require_syndication=read.flag(values, "require_syndication", where),
    )


def _archive_settings(read: SettingsReader, settings: Mapping) -> ArchiveSettings:
    """NEWSROOM_ARCHIVE: the register of published posts and how long the archive keeps every post."""
    values = read.dictionary(settings, "NEWSROOM_ARCHIVE", DEFAULT_ARCHIVE)
    register = read.text(values, "register", "NEWSROOM_ARCHIVE")
    years = values["retention_years"]
    if isinstance(years, bool) or not isinstance(years, int) or years < 1:
        read.problem(
            "NEWSROOM_ARCHIVE.retention_years",
            f"{years!r} must be a whole number of years, at least 1 (EU MAR asks for 5)",
        )
        years = DEFAULT_RETENTION_YEARS
    return ArchiveSettings(register=register, retention_years=years)
