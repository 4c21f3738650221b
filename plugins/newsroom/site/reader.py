"""The Markdown reader, taught the newsroom's metadata: zoned timestamps, audience lists, known categories."""

from __future__ import annotations

from functools import partial

from markdown import Markdown
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, MarkdownReader
from pelican.urlwrappers import Category as PelicanCategory
from pelican.urlwrappers import URLWrapper

from newsroom.checks.checked_texts import ChangedDuringBuild, checked_texts
from newsroom.checks.sources import BOM, unreadable
from newsroom.kit.paths import relative_posix
from newsroom.kit.regular_files import read_content_text
from newsroom.model.audiences import split_list_field
from newsroom.model.dates import parse_timestamp
from newsroom.model.frontmatter import joined
from newsroom.model.rendering import own_depth, take_rendered
from newsroom.model.sanitize import clean_html

LIST_FIELDS = ("audience", "contact")
MULTILINE_FIELDS = ("correction",)
OWN_FIELDS = frozenset({"date", "modified", "category", *LIST_FIELDS, *MULTILINE_FIELDS})
NAMED_FIELDS = frozenset({"tags", "author", "authors"})  # Pelican's own, each name one object (`_shared`)
# The fields whose value lines are a list to both readings (Pelican takes tags and authors one per line too).
LINE_LISTS = frozenset({*LIST_FIELDS, *MULTILINE_FIELDS, "tags", "authors"})


class NewsroomMarkdownReader(MarkdownReader):
    """Pelican's MarkdownReader with the field handling the content checks promise, and every body sanitised."""

    def read(self, source_path):
        # Only the text the content checks checked is ever published (checked_texts.py): a file changed since, or
        # one they never saw, stops the build here, before any of its text is converted.
        relative = relative_posix(source_path, self.settings["PATH"])
        checked = checked_texts(self.settings)
        try:  # opened as the checks open it (kit/regular_files.py): never through a link, never a FIFO
            text = read_content_text(self.settings["PATH"], relative).removeprefix(BOM)
        except OSError as error:
            raise ChangedDuringBuild(checked.line(relative, unreadable(error, checked.shown_root))) from None
        except UnicodeDecodeError:
            text = None  # not UTF-8 now: not the text the checks read
        digest = checked.vouch(relative, text)
        # As MarkdownReader.read leaves things for _parse_metadata, which converts formatted fields (Summary).
        self._source_path = source_path
        converted = self._take_converted(relative, digest)
        if converted is not None:
            return converted
        # A text the checks had no need to convert (clean_bodies.py): converted here, from the text checked, never
        # from the file read again. Every post and page passes the one allowlist before any template, feed or
        # index sees it; the checks have told the author about anything it removes.
        self._md = Markdown(**self.settings["MARKDOWN"])
        with own_depth():  # the depth the checks gave it: what converted there converts here (rendering.py)
            content = self._md.convert(text)
        metadata = self._parse_metadata(self._md.Meta) if hasattr(self._md, "Meta") else {}
        newsroom = self.settings["NEWSROOM"]
        return clean_html(content, newsroom.embed_hosts, newsroom.image_hosts), metadata

    def _take_converted(self, relative: str, digest: bytes):
        """Sanitised content and metadata from the checks' conversion of the text whose digest is `digest`
        (rendering.py), if they made one: the same Markdown and sanitiser, run the same way, so the same HTML as
        converting and sanitising it here."""
        rendered = take_rendered(self.settings, relative)
        if rendered is None or rendered.failure is not None or rendered.digest != digest:
            return None  # a failure stops the build in the checks first; another text is never the checked one
        self._md = self._fields_markdown()
        return rendered.clean, self._parse_metadata(rendered.meta)

    def _fields_markdown(self) -> Markdown:
        """One Markdown for the formatted fields of every file taken from the checks (making one per file, as
        MarkdownReader.read does, cost 0.4 ms each: 2 s at 5,000 posts). _parse_metadata resets it before each
        field, and takes its `meta` preprocessor out first, which on this reused instance is gone after the
        first file: hence a registry that lets it go quietly."""
        markdown = self.__dict__.get("_fields")
        if markdown is None:
            markdown = self.__dict__["_fields"] = Markdown(**self.settings["MARKDOWN"])
            registry = markdown.preprocessors
            registry.deregister = partial(type(registry).deregister, registry, strict=False)
        return markdown

    def _parse_metadata(self, meta):
        """Continuation lines, as the checks read them (frontmatter.joined): one text, or for a list field one item
        per line. Pelican keeps only the first line of a field it allows once (a `Date:` whose zone is on the next
        line would lose it, with a warning that stops the build), and passes the others on as a list."""
        whole, rest = {}, {}
        for name, values in meta.items():
            key = name.lower()
            if len(values) > 1 and key in LINE_LISTS and not DUPLICATES_DEFINITIONS_ALLOWED.get(key, True):
                whole[key] = values  # tags, authors: Pelican would keep the first line alone
            elif len(values) > 1 and key not in LINE_LISTS and key not in self.settings["FORMATTED_FIELDS"]:
                rest[name] = [joined(values)]
            else:
                rest[name] = values
        output = super()._parse_metadata(rest)
        output.update({key: self.process_metadata(key, values) for key, values in whole.items()})
        return output

    def process_metadata(self, name, value):
        # A field continued over several lines arrives here joined already (_parse_metadata), but a list field.
        if name in NAMED_FIELDS:
            return self._shared(super().process_metadata(name, value))
        if name not in OWN_FIELDS:  # most fields: one set lookup (Pelican calls this ~10 times per post)
            return super().process_metadata(name, value)
        # The content checks have already rejected anything these parsers would refuse.
        if name in ("date", "modified"):
            return parse_timestamp(value)
        if name in LIST_FIELDS:
            return split_list_field(value)
        if name in MULTILINE_FIELDS:
            return (value,) if isinstance(value, str) else tuple(value)
        return self._category(value)  # the one field left in OWN_FIELDS

    def _shared(self, processed):
        """One Tag or Author object per name for the whole build, as for categories (`_category`): Pelican makes
        one per post that names it, and works out each one's slug (its slugify: a fifth of reading a post)."""
        made = self.__dict__.setdefault("_named", {})
        if isinstance(processed, list):
            return [made.setdefault((type(each), each.name), each) for each in processed]
        if isinstance(processed, URLWrapper):
            return made.setdefault((type(processed), processed.name), processed)
        return processed  # nothing to share (an empty field Pelican discards)

    def _category(self, value):
        # One Category object per configured category for the whole build (Pelican compares them by slug),
        # remembered by the text as written: a newsroom has a few categories and thousands of posts.
        made = self.__dict__.setdefault("_categories", {})
        if value not in made:
            configured = self.settings["NEWSROOM"].category_named(value)
            if configured is None:
                return super().process_metadata("category", value)
            same = next((c for c in made.values() if c.slug == configured.slug), None)
            if same is None:
                same = PelicanCategory(configured.name, self.settings)
                same.slug = configured.slug  # the configured slug, not one re-derived from the name
            made[value] = same
        return made[value]
