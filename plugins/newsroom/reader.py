"""The Markdown reader, taught the newsroom's metadata: zoned timestamps, audience lists, known categories."""

from __future__ import annotations

from pelican.readers import MarkdownReader
from pelican.urlwrappers import Category as PelicanCategory

from .audiences import split_list_field
from .dates import parse_timestamp

LIST_FIELDS = ("audience", "contact")
MULTILINE_FIELDS = ("correction",)


class NewsroomMarkdownReader(MarkdownReader):
    """Pelican's MarkdownReader with the field handling the content checks promise."""

    def process_metadata(self, name, value):
        # The content checks have already rejected anything these parsers would refuse.
        if name in ("date", "modified"):
            return parse_timestamp(value if isinstance(value, str) else " ".join(value))
        if name in LIST_FIELDS:
            return split_list_field(value)
        if name in MULTILINE_FIELDS:
            return (value,) if isinstance(value, str) else tuple(value)
        if name == "category":
            return self._category(value)
        return super().process_metadata(name, value)

    def _category(self, value):
        configured = self.settings["NEWSROOM"].category_named(value)
        if configured is None:
            return super().process_metadata("category", value)
        # One Category object per configured category for the whole build (Pelican compares them by slug).
        made = self.__dict__.setdefault("_categories", {})
        if configured.slug not in made:
            category = PelicanCategory(configured.name, self.settings)
            category.slug = configured.slug  # the configured slug, not one re-derived from the name
            made[configured.slug] = category
        return made[configured.slug]
