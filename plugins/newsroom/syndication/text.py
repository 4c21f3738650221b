"""Fitting a post into a platform's limit: counted the platform's way, cut only where a reader won't notice.

Cuts happen between graphemes (never inside an emoji or a letter with its accents), never inside a link,
preferably at a word boundary, and the link to the post is always kept. Where a text has links is decided here,
once (`links`), for the cuts, the counts and Bluesky's link facets alike.
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import regex

from newsroom.kit.errors import NewsroomError


@functools.cache
def twitter_text():
    """The twitter-text package, loaded on first use: importing it compiles its URL and emoji expressions (0.15 s
    and 15 MB), which every build would pay for just to validate the channel settings, and only a syndication run
    counts a post. It reads its emoji table with pkg_resources, which warns that it is deprecated."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        import twitter_text as package
    return package


# A link as written: an http(s) scheme in any case (schemes are case-insensitive, RFC 3986: word processors write
# "Https://" at a sentence's start) up to the next space; `link_end` then leaves out the sentence around it.
URL = regex.compile(r"https?://\S+", regex.IGNORECASE)
# What a link needs to be one: a host after the scheme. "https://" alone (a title about moving "from http:// to
# https://") opens nothing, and AT Protocol's uri format (`\w+:(//)?[^\s/]\S*`) refuses it in a link facet.
HOSTED = regex.compile(r"https?://[^\s/?#]\S*", regex.IGNORECASE)
SENTENCE_MARKS = ".,;:!?\"'…»«“”‘’"
CLOSERS = {")": "(", "]": "["}
GRAPHEME = regex.compile(r"\X")
# Unicode's GB9c joins a consonant to an Indic conjunct: Consonant [Extend Linker]* Linker [Extend Linker]* ×
# Consonant (क्क is one grapheme). The `regex` module's \X joins a consonant after any virama, even with no
# consonant starting the conjunct (का्क: the vowel sign ा is no Extend), where ICU, and so Bluesky's PDS, breaks.
LINKER = regex.compile(r"\p{InCB=Linker}")
CONSONANT = regex.compile(r"\p{InCB=Consonant}")
EXTEND = regex.compile(r"\p{InCB=Extend}")
PREPEND = regex.compile(r"\p{Grapheme_Cluster_Break=Prepend}")  # GB9b: Prepend × anything, a consonant too
ELLIPSIS = "…"

Measure = Callable[[str], int]


class DoesNotFit(NewsroomError, ValueError):
    """Even the bare link is longer than the platform allows."""


def graphemes(text: str) -> list[str]:
    """`text`'s graphemes (extended grapheme clusters) as Unicode's rules and ICU split them."""
    return [part for cluster in GRAPHEME.findall(text) for part in _split_at_false_conjuncts(cluster)]


def _split_at_false_conjuncts(cluster: str) -> list[str]:
    """`cluster` split before every consonant that \\X joined but GB9c does not: nothing else joins a consonant
    to what comes before it but a Prepend (GB9b), so a break there is the one rule \\X gets wrong.

    One walk, keeping how far the text before each character goes into a conjunct (GB9c's left side: Consonant
    [Extend Linker]* Linker [Extend Linker]*): only the last consonant can start it, so that is all there is to
    keep. Searching the text so far again at every consonant made a long conjunct chain quadratic."""
    if not LINKER.search(cluster):
        return [cluster]
    parts, start, conjunct = [], 0, _OUTSIDE
    for position, character in enumerate(cluster):
        if CONSONANT.match(character):
            if position and conjunct != _LINKED and not PREPEND.match(cluster[position - 1]):
                parts.append(cluster[start:position])
                start = position
            conjunct = _CONSONANT
        elif LINKER.match(character):
            conjunct = _LINKED if conjunct != _OUTSIDE else _OUTSIDE
        elif not EXTEND.match(character):
            conjunct = _OUTSIDE
    return [*parts, cluster[start:]]


# How far the text so far goes into a GB9c conjunct: not at all, a consonant with Extends after it, or that and a
# Linker (a consonant after it joins it).
_OUTSIDE, _CONSONANT, _LINKED = range(3)


def links(text: str) -> list[tuple[int, int]]:
    """Where `text` has links: (start, end) of each, the punctuation that closes the sentence around it left out,
    and only those with a host. The one answer for where not to cut, what to count as a URL and what to link."""
    found = []
    for match in URL.finditer(text):
        end = match.start() + len(link_end(match.group(0)))
        if HOSTED.fullmatch(text, match.start(), end):
            found.append((match.start(), end))
    return found


def link_end(candidate: str) -> str:
    """The link in `candidate` (`https://` up to the next space) without the punctuation that closes the sentence
    around it. Bluesky's client drops one `.,;:!?`, then a `)` the link did not open; we go on while the end is a
    mark no link ends with (quotes, an ellipsis, another sentence mark, a bracket it did not open), so a link
    never carries `).` or `",`, and never reaches past what the client would link."""
    while candidate:
        last = candidate[-1]
        if last in SENTENCE_MARKS or (last in CLOSERS and candidate.count(CLOSERS[last]) < candidate.count(last)):
            candidate = candidate[:-1]
        else:
            return candidate
    return candidate


def grapheme_count(text: str, url_weight: int | None = None) -> int:
    """Graphemes, with every link counted as `url_weight` when the platform shortens links (Mastodon: 23)."""
    if url_weight is None:
        return len(graphemes(text))
    total, position = 0, 0
    for start, end in links(text):
        total += len(graphemes(text[position:start])) + url_weight
        position = end
    return total + len(graphemes(text[position:]))


def mastodon_length(text: str, url_weight: int = 23) -> int:
    """Mastodon's count (StatusLengthValidator): graphemes, with every URL its twitter-text extractor finds
    (`extract_url_without_protocol: false`) counted as `url_weight`. That extractor leaves trailing
    punctuation such as `).` or `",` outside the URL, so it counts as text. (Mastodon also counts a remote
    mention `@user@domain` as `@user`; counting it in full errs on the short side, never the long one.)"""
    total, position = 0, 0
    for url in twitter_text().extract_urls_with_indices(text, extract_urls_without_protocol=False):
        start, end = url["indices"]
        total += len(graphemes(text[position:start])) + url_weight
        position = end
    return total + len(graphemes(text[position:]))


def utf8_length(text: str) -> int:
    return len(text.encode("utf-8"))


def utf16_length(text: str) -> int:
    """Characters as Java and JavaScript count them (UTF-16 code units): an emoji counts 2, never less."""
    return len(text.encode("utf-16-le")) // 2


def within(*measures: tuple[Measure, int]) -> Callable[[str], bool]:
    """A test that a text fits every (measure, limit) pair, e.g. Bluesky's 300 graphemes and 3000 bytes."""
    return lambda text: all(measure(text) <= limit for measure, limit in measures)


@dataclass(frozen=True)
class Fitted:
    text: str
    shortened: bool


def fit(
    title: str, body: str, link: str, fits: Callable[[str], bool], *, tail: str = "", separator: str = "\n\n"
) -> Fitted:
    """Compose 'title, body, link, tail' and shorten it until `fits`: drop the tail, then trim the body,
    then the title. The link is never touched. Raise DoesNotFit when the link alone does not fit."""

    def compose(lead: str, middle: str, end: str) -> str:
        text = separator.join(part for part in (lead, middle, link) if part)
        return f"{text} {end}" if end else text

    full = compose(title, body, tail)
    if fits(full):
        return Fitted(full, shortened=False)
    if fits(compose(title, body, "")):
        return Fitted(compose(title, body, ""), shortened=True)
    if body:
        trimmed = _trim(body, lambda candidate: fits(compose(title, candidate, "")))
        if trimmed:
            return Fitted(compose(title, trimmed, ""), shortened=True)
    if title:
        trimmed = _trim(title, lambda candidate: fits(compose(candidate, "", "")))
        if trimmed:
            return Fitted(compose(trimmed, "", ""), shortened=True)
    if fits(link):
        return Fitted(link, shortened=True)
    raise DoesNotFit(f"the link alone ({link}) is longer than the platform allows")


def _trim(text: str, fits: Callable[[str], bool]) -> str:
    """The longest prefix of `text` plus an ellipsis that fits, cut at a safe place; '' if none does."""
    cuts = _safe_cuts(text)
    low, high, best = 0, len(cuts) - 1, ""
    while low <= high:  # the fit is monotonic in the cut position: binary search over safe cut points
        middle = (low + high) // 2
        candidate = text[: cuts[middle]].rstrip() + ELLIPSIS
        if fits(candidate):
            best, low = candidate, middle + 1
        else:
            high = middle - 1
    if not best:
        return ""
    # Prefer ending at a word boundary when one is close enough not to waste much room.
    cut = len(best) - len(ELLIPSIS)
    space = text.rfind(" ", 0, cut)
    if space > cut * 0.6 and space in cuts:
        return text[:space].rstrip(" ,;:-–—") + ELLIPSIS
    return best


def _safe_cuts(text: str) -> list[int]:
    """Offsets where the text may be cut: grapheme boundaries that are not inside a link."""
    inside_url = set()
    for start, end in links(text):
        inside_url.update(range(start + 1, end))
    offsets, position = [], 0
    for grapheme in graphemes(text):
        position += len(grapheme)
        if position not in inside_url:
            offsets.append(position)
    # A cut right before a URL would strand a half sentence; that is fine, as the URL is dropped whole.
    return [offset for offset in offsets if offset < len(text)]


def hashtag(tag: str) -> str:
    """'quarterly results' -> '#QuarterlyResults'; '' when nothing usable is left."""
    words = re.findall(r"\w+", tag)
    joined = "".join(word[:1].upper() + word[1:] for word in words)
    return f"#{joined}" if joined and not joined.isdigit() else ""


def hashtags(tags: Iterable[str]) -> str:
    """A post's tags as hashtags, space-separated, leaving out tags that make no hashtag."""
    return " ".join(filter(None, map(hashtag, tags)))
