"""A post's card on the listings (partials/post_card.html), rendered once per post and page language however many
listings show it: a post is on its category's, its audiences', each of its topics' and the home page's.

The card template sees only what makes a card: the post and the heading level (the macro's arguments), the page's
language and what is the same on every page of the build in that language (the settings, `audience_articles`),
never a listing's own variables. So a card is a pure function of its key, and a listing in another language or
another SITEURL (relative URLs change with a page's depth) gets a card of its own.

The heading level is the one thing two listings in the same language give the same card differently (a topic's
listing heads its cards `<h2>`, an audience's `<h3>`). So a card is rendered once with a mark in the level's place,
and the level is put in where the card is printed: one card per post rather than one per level. The mark is drawn
at random for each build, so no text of a post or setting can be taken for it; the card template prints
`heading_level`, and must not compute with it. The card waits in the build's text store (text_store.py).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from jinja2 import pass_context
from markupsafe import Markup

from newsroom.site.page_reads import remembered
from newsroom.site.text_store import held_text, hold
from newsroom.site.translations import page_language

CARD_TEMPLATE = "partials/post_card.html"
# Where the build keeps its cards (lower case: not a setting anyone writes).
POST_CARDS = "newsroom_post_cards"
# What a card sees of the page besides the settings (upper case): the audiences of the page's edition.
EDITION_VARIABLES = ("audience_articles",)


@dataclass
class PostCards:
    """One build's cards, and the card template made once for each set of variables its cards see."""

    # (language code, SITEURL, the edition's audience_articles by identity) -> the template's module
    templates: dict = field(default_factory=dict)
    cards: dict = field(default_factory=dict)  # (those three, post) -> its HTML, `level` where the heading level goes
    level: str = field(default_factory=lambda: f"\0{secrets.token_hex(8)}\0")


@pass_context
def post_card(context, post, heading_level: int = 3) -> Markup:
    """The card of `post` on the listing being written."""
    language = page_language(context)
    built = context.get(POST_CARDS)
    if built is None:  # the theme rendered outside a newsroom build: nothing to remember the cards in
        return Markup(_card_template(context, language).card(post, heading_level))
    # The build keeps each edition's audience_articles until it ends, so its id() names it while the cards live.
    seen = (getattr(language, "code", None), context["SITEURL"], id(context.get("audience_articles")))
    key = (*seen, post)
    template = built.templates.get(seen)
    if template is None:
        template = built.templates[seen] = _card_template(context, language)
    # remembered: every listing that prints the card has read what making it read (page_reads.py)
    card = remembered(built.cards, key, lambda: hold(str(template.card(post, built.level))))
    return Markup(held_text(card).replace(built.level, str(heading_level)))


def _card_template(context, language):
    """The card template with the variables every card on a page in `language` sees, and nothing else."""
    every = context.get_all()
    seen = {name: value for name, value in every.items() if name.isupper() or name in EDITION_VARIABLES}
    return context.environment.get_template(CARD_TEMPLATE).make_module({**seen, "page_language": language})


GLOBALS = {"post_card": post_card}
