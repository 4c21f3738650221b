"""The browser editor's configuration (Decap CMS's config.yml), generated from the newsroom's settings.

Audiences, categories, contacts, channels, the length limits and the time zone all come from the settings, so
the editor can never offer a choice the checks would refuse. The field hints are the guide's own words
(fields.py). Pure: settings in, a plain dictionary out; `editor_site` writes it into the internal edition.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import available_timezones

from newsroom.checks.rules import FILE_LIKE, SAFE_NAME
from newsroom.kit.settings import SettingsReader
from newsroom.model.fields import POST_FIELDS
from newsroom.model.file_names import LONGEST_SLUG
from newsroom.model.settings import Newsroom

FORMAT = "newsroom-header"  # registered by editor/admin/newsroom-editor.js
POSTS_FOLDER = "content/posts"
MEDIA_FOLDER = "content/images"
PUBLIC_FOLDER = "{static}/images"  # how a post names an image: Image: {static}/images/photo.jpg
TIME_FORMAT = "YYYY-MM-DD HH:mm"  # the Date header's date and time; the zone is its own field
STATUSES = ("published", "draft", "hidden")
REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
BUILD_KEY = "newsroom_editor"  # where a build keeps the validated EditorSettings (site/validated.py)
DEFAULT_EDITOR = {"repo": "", "branch": "main", "base_url": "", "auth_endpoint": ""}


@dataclass(frozen=True)
class EditorSettings:
    """Where the editor's pull requests go (GitHub) and, optionally, the OAuth service that signs people in."""

    repo: str
    branch: str
    base_url: str = ""
    auth_endpoint: str = ""


def editor_settings(settings: Mapping) -> EditorSettings | None:
    """NEWSROOM_EDITOR validated, or None when the newsroom has no editor. Raises SettingsProblems."""
    if settings.get("NEWSROOM_EDITOR") is None:
        return None
    read = SettingsReader()
    values = read.dictionary(settings, "NEWSROOM_EDITOR", DEFAULT_EDITOR)
    if not isinstance(values["repo"], str) or not REPO.match(values["repo"]):
        read.problem("NEWSROOM_EDITOR.repo", f"{values['repo']!r} is not a GitHub repository (expected 'owner/name')")
    if not isinstance(values["branch"], str) or not values["branch"].strip():
        read.problem("NEWSROOM_EDITOR.branch", f"{values['branch']!r} must name the branch posts are merged into")
    if values["base_url"] and not str(values["base_url"]).startswith("https://"):
        read.problem(
            "NEWSROOM_EDITOR.base_url", f"{values['base_url']!r} must be the OAuth service's https:// address, or ''"
        )
    read.check()
    return EditorSettings(**{key: str(values[key]) for key in DEFAULT_EDITOR})


@dataclass(frozen=True)
class LocalProxy:
    """The local git proxy `invoke edit` runs: its address, and the checked-out branch posts branch off."""

    url: str
    branch: str


def editor_config(
    newsroom: Newsroom,
    settings: Mapping,
    editor: EditorSettings,
    proxy: LocalProxy | None = None,
    *,
    channels: Sequence[str] = (),
) -> dict:
    """Decap CMS's configuration for this newsroom; with `proxy`, for `invoke edit` on this machine. `channels`
    are the names of the validated syndication channels a post may give a text of its own."""
    branch = proxy.branch if proxy else editor.branch
    backend = {"name": "github", "repo": editor.repo, "branch": branch, "squash_merges": True}
    if editor.base_url:
        backend["base_url"] = editor.base_url
    if editor.auth_endpoint:
        backend["auth_endpoint"] = editor.auth_endpoint
    config = {
        "backend": backend,
        # Every post is a branch and a pull request (draft, in review, ready): nothing is saved to the
        # main branch directly, and the checks run on the pull request.
        "publish_mode": "editorial_workflow",
        "media_folder": MEDIA_FOLDER,
        "public_folder": PUBLIC_FOLDER,
        "slug": {"encoding": "ascii", "clean_accents": True},
        "collections": [_posts(newsroom, settings, channels)],
    }
    if proxy:
        # Used only when the editor is opened on this machine (Decap checks the page's host name).
        config["local_backend"] = {"url": proxy.url, "allowed_hosts": ["127.0.0.1", "localhost"]}
    return config


def config_text(config: dict) -> str:
    """config.yml's text. JSON is YAML, so the file needs no YAML writer and reads the same in both."""
    return json.dumps(config, indent=2, ensure_ascii=False) + "\n"


def _hint(name: str) -> str:
    spec = next(spec for spec in POST_FIELDS if spec.name == name)
    return f"{spec.meaning} Example: {spec.example}"


def _zoned(name: str, label: str, zones: list[str], default_zone: str, required: bool) -> dict:
    """A date and time plus its IANA zone: the header keeps the zone (`2026-10-29 16:05 America/New_York`)."""
    # No default time: Decap's "now" is the browser's clock in the browser's zone, which need not be the zone
    # chosen beside it. The person picks the time, and the zone it is in.
    time = {"name": "time", "label": "Date and time", "widget": "datetime", "format": TIME_FORMAT}
    return {
        "name": name,
        "label": label,
        "widget": "object",
        "collapsed": False,
        "required": required,
        "hint": _hint(label),
        "fields": [
            {**time, "required": required},
            {
                "name": "zone",
                "label": "Time zone",
                "widget": "select",
                "options": zones,
                "default": default_zone,
                "required": required,
            },
        ],
    }


def _dated_notes(name: str, label: str, text_label: str, zones: list[str], default_zone: str, **extra) -> dict:
    """`time | text` lines (Correction, Withdrawn): each item a time, its zone and the text."""
    return {
        "name": name,
        "label": label,
        "widget": "list",
        "required": False,
        "default": [],  # a new post starts without any (Decap would otherwise add one empty item)
        "hint": _hint(label),
        "summary": "{{fields.time}} {{fields.zone}} | {{fields.text}}",
        "fields": [
            {"name": "time", "label": "Date and time", "widget": "datetime", "format": TIME_FORMAT},
            {"name": "zone", "label": "Time zone", "widget": "select", "options": zones, "default": default_zone},
            {"name": "text", "label": text_label, "widget": "string"},
        ],
        **extra,
    }


def _limit(max_length: int, field: str) -> list[str]:
    # One line, at most `max_length` characters: the checks' rule (NEWSROOM_CHECKS), said in the same words.
    return [f"^.{{1,{max_length}}}$", f"{field}: at most {max_length} characters, on one line (NEWSROOM_CHECKS)"]


def slug_rule() -> list[str]:
    """The Slug field's pattern: the checks' own rule for a slug (checks/rules.py SAFE_NAME and FILE_LIKE,
    model/file_names.py LONGEST_SLUG) as one regular expression that Python and JavaScript read alike. The
    editor makes a new post's Id from the slug, and refuses a title whose slug would not match it either."""
    # SAFE_NAME's characters are ASCII, so LONGEST_SLUG's bytes are as many characters.
    rule = f"^(?=.{{1,{LONGEST_SLUG}}}$)(?!.*{FILE_LIKE.pattern})" + SAFE_NAME.pattern.removeprefix("^")
    return [
        rule,
        f"Slug: letters, digits, '-', '_' and single dots, no spaces, at most {LONGEST_SLUG} characters, not ending "
        "like a file's name (e.g. q3-2026-results)",
    ]


def _posts(newsroom: Newsroom, settings: Mapping, channels: Sequence[str]) -> dict:
    default_zone = str(settings.get("TIMEZONE") or "UTC")
    zones = sorted(available_timezones() | {"UTC", default_zone})
    fields = [
        # newsroom-title (newsroom-editor.js) refuses a title that gives no Id the checks take, and asks for a Slug.
        {"name": "title", "label": "Title", "widget": "newsroom-title", "hint": _hint("Title"),
         "pattern": _limit(newsroom.title_max_length, "Title")},
        {"name": "id", "label": "Id", "widget": "newsroom-id", "required": False, "hint": _hint("Id")},
        _zoned("date", "Date", zones, default_zone, required=True),
        {"name": "audience", "label": "Audience", "widget": "select", "multiple": True, "min": 1,
         "hint": "Who it is for: one or more. A post only for internal audiences never reaches the public site.",
         "options": [{"label": a.name + (" (internal)" if a.internal else ""), "value": a.slug}
                     for a in newsroom.audiences]},
        {"name": "category", "label": "Category", "widget": "select", "hint": "Kind of post.",
         "options": [{"label": c.name, "value": c.name} for c in newsroom.categories]},
        {"name": "tags", "label": "Tags", "widget": "string", "required": False, "hint": _hint("Tags")},
        {"name": "summary", "label": "Summary", "widget": "text", "hint": _hint("Summary"),
         "pattern": _limit(newsroom.summary_max_length, "Summary")},
        {"name": "image", "label": "Image", "widget": "object", "required": False, "collapsed": False,
         "hint": _hint("Image"),
         "fields": [
             {"name": "src", "label": "Image", "widget": "image", "required": False, "choose_url": False},
             {"name": "alt", "label": "Image-Alt", "widget": "newsroom-alt", "required": False,
              "hint": _hint("Image-Alt")},
             {"name": "credit", "label": "Image-Credit", "widget": "string", "required": False,
              "hint": _hint("Image-Credit")},
         ]},
        {"name": "contact", "label": "Contact", "widget": "select", "multiple": True, "required": False,
         "hint": "Contacts to show instead of the audiences' usual ones (leave empty for those).",
         "options": [{"label": f"{c.name}, {c.role} ({c.key})", "value": c.key} for c in newsroom.contacts]},
        {"name": "material", "label": "Material", "widget": "boolean", "required": False, "default": False,
         "hint": _hint("Material")},
        _dated_notes("correction", "Correction", "What was corrected", zones, default_zone),
        _dated_notes("withdrawn", "Withdrawn", "Why it was withdrawn", zones, default_zone, max=1),
        _zoned("modified", "Modified", zones, default_zone, required=False),
        {"name": "status", "label": "Status on the site", "widget": "select", "options": list(STATUSES),
         "default": "published", "required": False,
         "hint": "published: appears when the pull request is merged (and its Date has come); draft or hidden: "
                 "stays off the site even after merging."},
        {"name": "slug", "label": "Slug", "widget": "string", "required": False, "hint": _hint("Slug"),
         "pattern": slug_rule()},
        {"name": "author", "label": "Author", "widget": "string", "required": False, "hint": _hint("Author")},
        {"name": "no_syndication", "label": "Syndicate: no", "widget": "boolean", "required": False,
         "default": False,
         "hint": "Keep this post off every social and email channel (writes `Syndicate: no`)."},
        {"name": "syndicate_text", "label": "Syndicate-Text", "widget": "string", "required": False,
         "hint": _hint("Syndicate-Text")},
    ]  # fmt: skip
    if channels:
        fields.append(
            {
                "name": "syndicate_texts",
                "label": "Syndicate-Text per channel",
                "widget": "list",
                "required": False,
                "default": [],
                "hint": _hint("Syndicate-Text-<channel>"),
                "summary": "{{fields.channel}}: {{fields.text}}",
                "fields": [
                    {"name": "channel", "label": "Channel", "widget": "select", "options": list(channels)},
                    {"name": "text", "label": "Text", "widget": "string"},
                ],
            }
        )
    fields.append(
        # Markdown as written, never re-serialised by the rich-text editor: the story's bytes change only where
        # the person typed, so the review diff stays clean. The preview pane shows how it will look.
        {"name": "body", "label": "Story", "widget": "markdown", "modes": ["raw"],
         "hint": "Markdown: `## Heading`, `**bold**`, `- lists`, `[links](https://…)`, "
                 "`![what the image shows]({static}/images/photo.jpg)`."}
    )  # fmt: skip
    return {
        "name": "posts",
        "label": "Posts",
        "label_singular": "Post",
        "folder": POSTS_FOLDER,
        # content/posts/<year>/<Id>.md, as `invoke new` names them; newsroom-editor.js sets both on first save.
        "path": "{{_folder}}/{{slug}}",
        "slug": "{{fields.id}}",
        # Images go to content/images/ whatever folder the post is in (Decap would put them beside the post).
        "media_folder": f"/{MEDIA_FOLDER}",
        "public_folder": PUBLIC_FOLDER,
        "extension": "md",
        "format": FORMAT,
        "create": True,
        "identifier_field": "title",
        "summary": "{{title}}",
        "sortable_fields": ["title"],
        "fields": fields,
    }
