"""Parts of a page that come out the same on thousands of pages, rendered once and printed on each: a post's card
on the listings (post_cards.py), and the site's header and footer (site_frame.py).

A shared partial is a macro in a template of its own, made into a module that sees only what is the same on every
page of the build in one language and edition: the settings (upper-case names), the edition's variables that
partial names (its `edition_variables`, e.g. `audience_articles`), and the page's language. Never a page's own
variables (`article`, `articles_page`, `tag`…): to the module they are undefined. So what a macro of it renders is
a pure function of the module's key (template, language, SITEURL, the edition's values) and the macro's
arguments, and is remembered under those. A page's SITEURL is in the key because relative URLs change it with
the page's depth; the edition's values by identity, because a language's edition of the listings has its own.

What rendering a value read counts as read by every page that prints it (`remembered`, page_reads.py), so a page
kept between builds (kept_pages.py) is rendered again when a card it prints would change.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from newsroom.site.page_reads import remembered
from newsroom.site.translations import page_language

# Where the build keeps its shared partials (lower case: not a setting anyone writes).
SHARED_PARTIALS = "newsroom_shared_partials"


@dataclass
class SharedPartials:
    """One build's modules and what their macros rendered."""

    # (template, language code, SITEURL, ids of the edition's values) -> (module, those values). The values are
    # held with the module so that no id in a key can be reused by another object while the build lasts.
    modules: dict = field(default_factory=dict)
    outputs: dict = field(default_factory=dict)  # (the module's key, the call's key) -> what the call gave
    # A mark drawn at random for each build, for what a page puts in where it prints a value (a card's heading
    # level): no text of a post or setting can be taken for it.
    mark: str = field(default_factory=lambda: f"\0{secrets.token_hex(8)}\0")

    def made_from(self, template: str) -> list:
        """Every value rendered from `template` so far, in the order made."""
        return [value for ((name, *_), _), (value, _, _) in self.outputs.items() if name == template]


def shared(context, template: str, edition_variables: tuple[str, ...], call_key, call: Callable) -> object:
    """What `call(module)` gives for the page being written, rendered once per module and `call_key` in a build.

    `call_key` must name everything the call passes the module's macros (they see nothing else of the page)."""
    language = page_language(context)
    built = context.get(SHARED_PARTIALS)
    if built is None:  # the theme rendered outside a newsroom build: nothing to remember the partial in
        return call(_module(context, template, edition_variables, language))
    edition = tuple(context.get(name) for name in edition_variables)
    seen = (template, getattr(language, "code", None), context["SITEURL"], *map(id, edition))
    if seen not in built.modules:
        built.modules[seen] = (_module(context, template, edition_variables, language), edition)
    module = built.modules[seen][0]
    return remembered(built.outputs, (seen, call_key), lambda: call(module))


def _module(context, template: str, edition_variables: tuple[str, ...], language):
    """The template as a module, with the variables every page in `language` of this edition sees, and nothing
    else."""
    every = context.get_all()
    seen = {name: value for name, value in every.items() if name.isupper() or name in edition_variables}
    return context.environment.get_template(template).make_module({**seen, "page_language": language})
