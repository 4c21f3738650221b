"""The posts of each tag, category and author as lists whose `in` is a lookup, not a walk.

Before writing a tag's (category's, author's) pages Pelican picks that tag's posts out of all posts in date
order: `[post for post in dates if post in tag_posts]`, a walk along the tag's list for every post of the site.
At 5,000 posts that is 0.84 s for the 26 tags and categories; the newsroom pays it in both render processes and
again for each language's edition of the listings (and for its plan), so up to six times a build. A PostList
answers `in` from the identities of its posts (Pelican's posts compare by identity: Content has no __eq__), and
is frozen, so the answer cannot go stale: anything that tried to change a list after it was made would fail
loudly instead of being answered from an old set.

Pelican asks one list about every post in a row, then the next list. So the identities are made for the list being
asked and kept until another list is asked, not kept for every list: at 5,000 posts the lists of every tag,
category, author and language edition held 3.2 MB of identities in each render process until the build's end.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable


class PostList(list):
    """A list of posts that cannot change, with `post in posts` in constant time (after the first, for a row of
    questions to one list)."""

    def __contains__(self, post) -> bool:
        global _asked
        asked, identities = _asked
        if asked() is not self:
            identities = frozenset(map(id, self))
            _asked = (weakref.ref(self), identities)  # not kept alive by it: a later list may reuse its address
        return id(post) in identities

    def __reduce__(self):
        # Its posts: the identities are this process's addresses, made again from them (kept_pages.py compares
        # pickled values between builds).
        return (PostList, (list(self),))

    def _frozen(self, *args, **kwargs):
        raise TypeError("a PostList does not change (post_lists.py): make a new one")

    append = extend = insert = remove = pop = clear = sort = reverse = _frozen
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _frozen


# The list last asked, and its posts' identities.
_asked: tuple[Callable[[], PostList | None], frozenset[int]] = (lambda: None, frozenset())


def posts_by_group(groups) -> list:
    """[(group, posts)] with each group's posts as a PostList (from a dict or a list of pairs)."""
    pairs = groups.items() if hasattr(groups, "items") else groups
    return [(group, PostList(posts)) for group, posts in pairs]


def freeze_post_lists(generator) -> None:
    """article_generator_finalized: the article generator's tags, categories and authors as PostLists, in the
    generator and in the context Pelican gave the templates (which holds them as lists of pairs)."""
    generator.tags = dict(posts_by_group(generator.tags))
    generator.categories = posts_by_group(generator.categories)
    generator.authors = posts_by_group(generator.authors)
    for name in ("tags", "categories", "authors"):
        if name in generator.context:
            generator.context[name] = posts_by_group(getattr(generator, name))
