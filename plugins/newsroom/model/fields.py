"""Every metadata field a post may carry: the one list the checks, the scaffold and the guide share."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from newsroom.model.frontmatter import REPEATABLE


@dataclass(frozen=True)
class FieldSpec:
    name: str
    required: bool
    meaning: str
    example: str


POST_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("Title", True, "Headline, plain text.", "Larkspur Energy reports third-quarter 2026 results"),
    FieldSpec(
        "Id",
        False,
        "Permanent identifier; never change it once published (feeds and syndication key on it). "
        "Defaults to the file's path under content/.",
        "2026-10-29-q3-results",
    ),
    FieldSpec(
        "Date",
        True,
        "Publication time with time zone. A future time is an embargo: "
        "the post stays out of every public file until then.",
        "2026-10-29 16:05 America/New_York",
    ),
    FieldSpec(
        "Modified", False, "Time of the last substantive update, with time zone.", "2026-10-30 09:00 America/New_York"
    ),
    FieldSpec("Audience", True, "Who it is for, comma-separated or one per line.", "investors, media"),
    FieldSpec("Category", True, "Kind of post, by name or slug.", "Press releases"),
    FieldSpec("Tags", False, "Topics, comma-separated.", "earnings, quarterly results"),
    FieldSpec(
        "Summary",
        True,
        "One or two plain-text sentences for listings, feeds and social posts.",
        "Revenue rose 12% to $1.9 billion; full-year guidance raised.",
    ),
    FieldSpec("Image", False, "Lead image.", "{static}/images/q3-results.jpg"),
    FieldSpec(
        "Image-Alt",
        False,
        "Text alternative for the lead image (required with Image).",
        "Chart of quarterly revenue, 2024 to 2026",
    ),
    FieldSpec("Image-Credit", False, "Credit line for the lead image.", "Photo: Larkspur Energy"),
    FieldSpec(
        "Contact", False, "Contact keys to show instead of the audiences' default contacts.", "investor-relations"
    ),
    FieldSpec(
        "Correction",
        False,
        "A dated correction note, 'time | text'; one per line.",
        "2026-10-30 09:00 America/New_York | The dividend is $0.24 per share, not $0.42.",
    ),
    FieldSpec(
        "Material",
        False,
        "yes for material (price-sensitive) news: it must meet the rules in NEWSROOM_MATERIAL_RULES, is listed on "
        "the regulatory news page and goes to every disclosure channel at once.",
        "yes",
    ),
    FieldSpec(
        "Withdrawn",
        False,
        "Withdraws a published post, 'time | reason': its page and feed items then show only this notice. "
        "Published posts are never deleted.",
        "2026-11-02 10:00 America/New_York | Withdrawn at the request of the court.",
    ),
    FieldSpec("Status", False, "published (default), draft or hidden.", "draft"),
    FieldSpec("Slug", False, "Last part of the URL; defaults to one made from the title.", "q3-2026-results"),
    FieldSpec("Author", False, "Byline; defaults to the company.", "Larkspur Energy Communications"),
    FieldSpec(
        "Syndicate", False, "yes (default) or no: whether the post is announced on social and email channels.", "no"
    ),
    FieldSpec(
        "Syndicate-Text",
        False,
        "Text to post instead of title and summary, on every channel (the link is added).",
        "Our Q3 results are out: revenue up 12%.",
    ),
    FieldSpec(
        "Syndicate-Text-<channel>",
        False,
        "Text for one channel only, by its name in publishconf.py.",
        "Q3: revenue +12%, guidance raised. #LRKS",
    ),
)

# Fields whose name ends with a free part, such as the channel in Syndicate-Text-mastodon.
FIELD_PREFIXES = ("syndicate-text-",)

# Pelican's own fields, accepted so that nobody is told a standard field is unknown. Not `Save_as` or `URL`:
# they would let one post write over any file of the site (a feed, another post, the home page). Nor
# `Translation`: the versions of a post are told apart by `Lang:` alone, and `Translation: true` on the
# default language's version made Pelican take the other for the original, off every listing of that language.
PELICAN_FIELDS = ("authors", "lang", "template")

# The only field a post may give more than once (one line per correction). Any other field given twice is an
# error: Pelican would keep one of the values, or fail on the pair.
MAY_REPEAT = REPEATABLE


@cache  # called for every field of every post
def known_field_names() -> frozenset[str]:
    return frozenset(spec.name.lower() for spec in POST_FIELDS if "<" not in spec.name) | frozenset(PELICAN_FIELDS)


# The fields a page (content/pages: about, subscribe…) may carry. A page is for every reader of every edition
# from the moment it is committed: a post's Audience or Date would be read as "internal" or "embargoed" by its
# author and mean nothing to Pelican, and Save_as or URL would let it write over any file of the site.
PAGE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("Title", True, "The page's title, plain text.", "About Larkspur Energy"),
    FieldSpec("Slug", False, "The page's address; defaults to one made from the title.", "about"),
    FieldSpec("Id", False, "Links the page's language versions; defaults to its path under content/.", "pages/about"),
    FieldSpec("Lang", False, "The page's language, when it is a version of another page.", "fr"),
    FieldSpec("Template", False, "A template of the theme for pages such as subscribe or contacts.", "subscribe"),
    FieldSpec("Summary", False, "One plain-text sentence describing the page.", "Who we are and what we do."),
    FieldSpec("Status", False, "published (default), draft or hidden: a draft or hidden page is not written.", "draft"),
)


@cache
def page_field_names() -> frozenset[str]:
    return frozenset(spec.name.lower() for spec in PAGE_FIELDS)


def is_known_field(name: str) -> bool:
    return name in known_field_names() or any(name.startswith(p) and len(name) > len(p) for p in FIELD_PREFIXES)
