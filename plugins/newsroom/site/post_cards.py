"""A post's card on the listings (partials/post_card.html), rendered once per post and page language however many
listings show it: a post is on its category's, its audiences', each of its topics' and the home page's.

The card is a shared partial (shared_partials.py): its template sees the post and the heading level (the macro's
arguments), the page's language and what is the same on every page of the build in that language (the settings,
`audience_articles`), never a listing's own variables.

The heading level is the one thing two listings in the same language give the same card differently (a topic's
listing heads its cards `<h2>`, an audience's `<h3>`). So a card is rendered once with the build's mark in the
level's place, and the level is put in where the card is printed: one card per post rather than one per level. The
card template prints `heading_level`, and must not compute with it. The card waits in the build's text store
(text_store.py): there are thousands.
"""

from __future__ import annotations

from jinja2 import pass_context
from markupsafe import Markup

from newsroom.site.shared_partials import SHARED_PARTIALS, shared
from newsroom.site.text_store import held_text, hold

CARD_TEMPLATE = "partials/post_card.html"
# What a card sees of the page besides the settings (upper case) and the page's language.
EDITION_VARIABLES = ("audience_articles",)


@pass_context
def post_card(context, post, heading_level: int = 3) -> Markup:
    """The card of `post` on the listing being written."""
    built = context.get(SHARED_PARTIALS)
    if built is None:  # the theme rendered outside a newsroom build
        return Markup(
            shared(context, CARD_TEMPLATE, EDITION_VARIABLES, post, lambda card: card.card(post, heading_level))
        )
    card = shared(context, CARD_TEMPLATE, EDITION_VARIABLES, post, lambda card: hold(str(card.card(post, built.mark))))
    return Markup(held_text(card).replace(built.mark, str(heading_level)))


GLOBALS = {"post_card": post_card}
