"""What each feed is called and says it carries, in one language: the catalogue's phrases (model/wording.py)
around the settings' names and descriptions of its audience and category."""

from __future__ import annotations

from collections.abc import Sequence

from newsroom.model import wording as phrases
from newsroom.model.audiences import Audience
from newsroom.model.categories import Category
from newsroom.model.wording import Wording


def feed_texts(
    site: str, words: Wording, audience: Audience | None, category: Category | None, everyone: Sequence[Audience]
) -> tuple[str, str]:
    """(title, description) of the feed of `audience` and `category` (None: every audience, every category);
    `everyone`: the audiences of the feed of everything."""
    if audience is not None:
        who = words.text(audience, "name").lower()
        if category is None:
            about = words.text(audience, "description")
            return (
                words.say(phrases.AUDIENCE_NEWS, site=site, audience=who),
                words.say(phrases.AUDIENCE_NEWS_ABOUT, site=site, audience=who, description=about),
            )
        name, about = words.text(category, "name"), words.text(category, "description")
        return (
            words.say(phrases.AUDIENCE_CATEGORY_NEWS, site=site, audience=who, category=name),
            words.say(phrases.AUDIENCE_CATEGORY_NEWS_ABOUT, site=site, audience=who, category=name, description=about),
        )
    if category is not None:
        name, about = words.text(category, "name"), words.text(category, "description")
        return (
            words.say(phrases.CATEGORY_NEWS, site=site, category=name),
            words.say(phrases.CATEGORY_NEWS_ABOUT, site=site, category=name, description=about),
        )
    names = [words.text(audience, "name").lower() for audience in everyone]
    listed = words.say(phrases.LAST_OF_LIST, others=", ".join(names[:-1]), last=names[-1]) if len(names) > 1 else ""
    return (
        words.say(phrases.ALL_NEWS, site=site),
        words.say(phrases.ALL_NEWS_ABOUT, site=site, audiences=listed or "".join(names)),
    )
