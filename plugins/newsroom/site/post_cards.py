"""A post's card on the listings (partials/post_card.html), rendered once per post and page language however many
listings show it: a post is on its category's, its audiences', each of its topics' and the home page's.

The card template sees only what makes a card: the post (`post`), the heading level, the page's language and what
is the same on every page of the build in that language (the settings, `audience_articles`), never the listing's
own variables. So a card is a pure function of its key, and a listing in another language, a heading of another
level or another SITEURL (relative URLs change with a page's depth) gets a card of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jinja2 import pass_context
from markupsafe import Markup

from newsroom.site.translations import page_language

CARD_TEMPLATE = "partials/post_card.html"
# Where the build keeps its cards (lower case: not a setting anyone writes).
POST_CARDS = "newsroom_post_cards"
# What a card sees of the page besides the settings (upper case): the audiences of the page's edition.
EDITION_VARIABLES = ("audience_articles",)


@dataclass
class PostCards:
    """One build's cards, and what their template sees, by language and SITEURL."""

    cards: dict = field(default_factory=dict)  # (post, language code, heading level, SITEURL) -> Markup
    seen: dict = field(default_factory=dict)  # (language code, SITEURL) -> the card template's variables


@pass_context
def post_card(context, post, heading_level: int = 3) -> Markup:
    """The card of `post` on the listing being written."""
    built = context.get(POST_CARDS)
    if built is None:  # the theme rendered outside a newsroom build: nothing to remember the cards in
        return _render(context, _seen(context, page_language(context)), post, heading_level)
    language = page_language(context)
    code, siteurl = getattr(language, "code", None), context["SITEURL"]
    key = (post, code, heading_level, siteurl)
    card = built.cards.get(key)
    if card is None:
        seen = built.seen.get((code, siteurl))
        if seen is None:
            seen = built.seen[code, siteurl] = _seen(context, language)
        card = built.cards[key] = _render(context, seen, post, heading_level)
    return card


def _seen(context, language) -> dict:
    """The variables of every card on a page in `language`: the settings, the edition's audiences, the language."""
    every = context.get_all()
    seen = {name: value for name, value in every.items() if name.isupper() or name in EDITION_VARIABLES}
    return {**seen, "page_language": language}


def _render(context, seen: dict, post, heading_level: int) -> Markup:
    template = context.environment.get_template(CARD_TEMPLATE)
    return Markup(template.render({**seen, "post": post, "heading_level": heading_level}))


GLOBALS = {"post_card": post_card}
