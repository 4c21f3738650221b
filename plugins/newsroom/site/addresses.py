"""A post's or page's address (`url`, `save_as`), worked out once the build has fixed what it depends on.

Pelican's Content works out `url` and `save_as` on every access: the URL pattern of its settings formatted with a
fresh mapping of the post's slug, category, date and language. A build asks about ten times per post (the writer,
listings, feeds, links, each language's alternates, the manifest), in both render processes: some 2 s of CPU at
5,000 posts in two languages. A post's addresses are the ones the content checks worked out and vetted, kept on
it as Pelican makes it (`keep`, site/plugin.py's keep_checked_addresses); a page's, and a post's the checks could
not say, are kept once the plugin has described it (its language, hence its folder, included: `remember`).
Content's `url` and `save_as` give back what was kept; on an object nobody kept them for, Pelican's own working
out, as before.

Pelican has its own way to fix an address, `override_url` and `override_save_as` (what a post's `URL:` and
`Save_as:` metadata set), but that is not only a memo: the writer lets a page with `override_save_as` write over
a file another page wrote (its refusal of two pages in one file would no longer guard the posts), and such a page
is rendered by the first render process alone (parallel_render.py).
"""

from __future__ import annotations

from pelican.contents import Content

KEYS = ("url", "save_as")
KEPT_AS = tuple(f"newsroom_{key}" for key in KEYS)  # where an object keeps them, in its __dict__


class _Address:
    """Content.url or Content.save_as: the address `remember` kept, else Pelican's working out of it."""

    def __init__(self, key: str):
        self.key, self.kept = key, KEPT_AS[KEYS.index(key)]

    def __get__(self, content, owner=None):
        if content is None:
            return self
        kept = content.__dict__.get(self.kept)
        return content.get_url_setting(self.key) if kept is None else kept

    def __set__(self, content, value) -> None:
        # As Pelican's property: an address is set through its metadata (URL:, Save_as:) or `keep`.
        raise AttributeError(f"property {self.key!r} of {type(content).__name__!r} object has no setter")


def install() -> None:
    """Put the remembering properties on Pelican's Content, once per process (they change nothing until an
    address is remembered)."""
    for key in KEYS:
        if not isinstance(Content.__dict__.get(key), _Address):
            setattr(Content, key, _Address(key))


def remember(content) -> None:
    """Keep the post's or page's addresses as they are now: call once nothing they depend on (its metadata, its
    language's folder) will change. An address kept already is kept as it was."""
    if not is_kept(content):
        keep(content, content.url, content.save_as)


def is_kept(content) -> bool:
    return KEPT_AS[0] in content.__dict__


def keep(content, url: str, save_as: str) -> None:
    """Give the post or page these addresses from now on."""
    content.__dict__.update(zip(KEPT_AS, (url, save_as), strict=True))
