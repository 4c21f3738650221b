"""Counting as each platform counts, over a generated corpus of hostile texts: emoji and ZWJ sequences, flags,
CJK, right-to-left scripts, and links followed by `).`, `",`, `…`, with `#fragment`s and `?query=a,b`. Every
rendered message fits its platform's limit as the platform counts it; Mastodon's instance and the reference
Bluesky PDS accept every one; every Bluesky facet's byte range is checked against the UTF-8 text."""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import time
from datetime import UTC, datetime

import pytest
import regex
import requests
from channel_runs import make_channel
from servers.bluesky_pds import NODE_BIN, start_pds
from servers.mastodon import MastodonServer

from conftest import fastest
from newsroom.syndication.channel import Attempt
from newsroom.syndication.channels.bluesky import MAX_BYTES, MAX_GRAPHEMES
from newsroom.syndication.channels.threads import TEXT_LIMIT, threads_length
from newsroom.syndication.channels.x import weighted_length
from newsroom.syndication.engine import attempt_key
from newsroom.syndication.published import PublishedPost
from newsroom.syndication.text import (
    CONSONANT,
    GRAPHEME,
    LINKER,
    PREPEND,
    fit,
    grapheme_count,
    graphemes,
    mastodon_length,
    utf8_length,
    within,
)

WORDS = [
    "wind", "Kessler Ridge", "résumé", "naïve", "風力発電所", "电网", "재생에너지", "שלום", "مزرعة الرياح", "Ελλάδα",
    "👨‍👩‍👧‍👦", "🏳️‍🌈", "👍🏽", "🇫🇷", "1️⃣", "🌬️", "e\u0301", "…", "—", "«quoted»", "“curly”", "(aside)", "#Wind",
    "#風力", "#2026", "@press", "MW", "Q3", "\u200f", "x" * 30,
]  # fmt: skip
LINKS = [
    "https://example.org/reports/x.pdf",
    "https://www.larkspur-energy.com/news/2026/q3-results/",
    "https://example.org/page#fragment",
    "https://example.org/search?query=a,b&lang=fr",
    "https://example.org/wiki/Wind_(energy)",
    "https://news.example/ü/風",
    "http://example.org/a/b/c/" + "d" * 60,
]
AFTER_LINKS = ["", ").", '",', "…", ".", ",", "!", ")", "?", ":", "»", "”."]
HANDLE, PASSWORD = "counting.test", "app-password-5678"


def corpus(count: int, seed: int = 13) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(5, 90)):
            if rng.random() < 0.15:
                before = rng.choice(["", "(", "(see ", "« ", '"'])
                parts.append(before + rng.choice(LINKS) + rng.choice(AFTER_LINKS))
            else:
                parts.append(rng.choice(WORDS))
        texts.append(" ".join(parts))
    return texts


def post(text: str, number: int = 1) -> PublishedPost:
    return PublishedPost(
        id=f"corpus-{number}",
        title="Corpus",
        url=f"https://www.larkspur-energy.com/news/2026/corpus-{number}/",
        summary="",
        published=datetime(2026, 1, 1, tzinfo=UTC),
        audiences=("media",),
        category="News",
        texts={"": text},
    )


CORPUS = corpus(120)


def test_the_corpus_is_hostile_enough_to_matter():
    """Without trailing punctuation and long texts, the tests below could not fail."""
    joined = "\n".join(CORPUS)
    assert all(f"{link}{after}" in joined for link in LINKS[:2] for after in (").", '",', "…"))
    assert sum(grapheme_count(text) > 500 for text in CORPUS) > 20  # many must be cut to fit


def test_mastodon_messages_fit_as_its_instance_counts_and_are_all_accepted():
    with MastodonServer(token="t") as server:
        channel = make_channel("mastodon", {"token": "t"}, base_url=server.url, hashtags=False)
        channel.start()
        for number, text in enumerate(CORPUS):
            message = channel.render(post(text, number))
            assert message.length == mastodon_length(message.text) <= 500, message.text
            channel.publish(message, Attempt(key=f"nr-{number}", started_at="2026-01-01T00:00:00+00:00"))
        assert len(server.statuses) == len(CORPUS)  # the instance refused none (422 would have raised)


def test_x_and_threads_messages_fit_as_they_count():
    x = make_channel("x", dict.fromkeys(("consumer_key", "consumer_secret", "access_token", "access_token_secret"), "s"), handle="larkspur")  # fmt: skip
    threads = make_channel("threads", {"token": "t"}, user_id="1", handle="larkspur")
    for number, text in enumerate(CORPUS):
        assert weighted_length(x.render(post(text, number)).text) <= 280
        try:
            message = threads.render(post(text, number))
        except ValueError as error:  # more than five links: refused before anything is sent, never cut wrong
            assert "at most 5 links" in str(error)
            continue
        assert threads_length(message.text) <= TEXT_LIMIT


def check_facets(text: str, facets: list[dict]) -> None:
    """Each facet's bytes are exactly its link or tag; links never end in a sentence's punctuation; none overlap."""
    data = text.encode("utf-8")
    spans = []
    for facet in facets:
        start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
        covered = data[start:end].decode("utf-8")  # raises if a range splits a character
        [feature] = facet["features"]
        if feature["$type"].endswith("#link"):
            uri = feature["uri"]
            assert covered == uri and uri[-1] not in ".,;:!?\"'…»”", covered
            assert not uri.endswith(")") or uri.count("(") >= uri.count(")"), covered  # only a bracket it opened
        else:
            assert covered in (f"#{feature['tag']}", f"＃{feature['tag']}") and data[start - 1 : start] in (b"", b" ")
        spans.append((start, end))
    spans.sort()
    assert all(previous[1] <= following[0] for previous, following in itertools.pairwise(spans)), spans


# Indic conjuncts (Unicode's GB9c): a consonant joins the grapheme before it only after a virama that follows a
# consonant, with nothing between them but marks that extend it (a nukta, a ZWJ). A vowel sign ends the conjunct.
CONJUNCTS = {
    "\u0915\u094d\u0915": 1,  # क्क: one conjunct
    "\u0915\u093c\u094d\u200d\u0915": 1,  # with a nukta and a ZWJ: still one
    "\u0915\u093e\u094d\u0915": 2,  # का्क: the vowel sign ends it; the virama joins nothing
    "\u0915\u093e\u094d" * 5: 5,
    "a\u094d\u0915": 2,  # no consonant before the virama
    "\u0995\u09cd\u0995\u09bf\u09cd\u0995": 2,  # Bengali: ক্কি্, then ক
    "\u0d15\u0d4d\u0d15\u0d4d\u0d15": 1,  # Malayalam, two links
    "\u0600\u0915": 1,  # a prepended mark joins whatever follows, a consonant too
}


def test_graphemes_are_counted_as_the_pds_counts_them():
    """The PDS counts a post's graphemes with ICU (Intl.Segmenter in its Node runtime) and refuses one over 300:
    our count must be its count, or a text we fitted is refused for good."""
    script = "const s = new Intl.Segmenter(); process.stdout.write(JSON.stringify("
    script += "JSON.parse(require('fs').readFileSync(0, 'utf8')).map(t => [...s.segment(t)].map(g => g.segment))))"
    texts = list(CONJUNCTS)
    answer = subprocess.run([NODE_BIN, "-e", script], input=json.dumps(texts), capture_output=True, text=True)
    assert answer.returncode == 0, answer.stderr
    assert [graphemes(text) for text in texts] == json.loads(answer.stdout)
    assert [len(graphemes(text)) for text in texts] == list(CONJUNCTS.values())


def _split_by_searching_again(cluster: str) -> list[str]:
    """The split as first written: GB9c's left side searched again at every consonant (quadratic in a chain)."""
    conjunct = regex.compile(
        r"\p{InCB=Consonant}[\p{InCB=Extend}\p{InCB=Linker}]*\p{InCB=Linker}[\p{InCB=Extend}\p{InCB=Linker}]*\Z"
    )
    if not LINKER.search(cluster):
        return [cluster]
    parts, start = [], 0
    for position in range(1, len(cluster)):
        if (
            CONSONANT.match(cluster[position])
            and not PREPEND.match(cluster[position - 1])
            and not conjunct.search(cluster[start:position])
        ):
            parts.append(cluster[start:position])
            start = position
    return [*parts, cluster[start:]]


# Consonants, viramas and other linkers, a nukta, ZWJ and ZWNJ, vowel signs, a combining accent, a prepended mark,
# in Devanagari, Bengali and Malayalam, with Latin letters and spaces between them.
INDIC_PIECES = [*"\u0915\u0916\u0995\u0d15\u094d\u09cd\u0d4d\u0d3b\u093c\u200d\u200c\u093e\u093f\u0301\u0600", "a", " "]


def test_graphemes_split_conjuncts_as_the_search_they_replaced_did():
    """The one walk that splits at a consonant GB9c does not join gives the very graphemes of the search at
    every consonant it replaced, on random Indic text (ICU agrees with both on CONJUNCTS above)."""
    rng = random.Random(9)
    for _ in range(5000):
        text = "".join(rng.choice(INDIC_PIECES) for _ in range(rng.randint(1, 24)))
        expected = [part for cluster in GRAPHEME.findall(text) for part in _split_by_searching_again(cluster)]
        assert graphemes(text) == expected, text


def test_counting_and_fitting_a_long_conjunct_chain_grows_linearly():
    """GB9c makes a chain of conjuncts ("क्क्क्…") one grapheme cluster; a Syndicate-Text may hold thousands of
    characters, and fit() counts it a dozen times for each channel. Four times the chain must cost about four
    times as much (sixteen when each consonant searched the chain so far again)."""
    graphemes("\u0915\u094d" * 100)  # the regex module's tables load on first use
    short, long = "\u0915\u094d" * 1500, "\u0915\u094d" * 6000
    ratio = fastest(lambda: graphemes(long)) / fastest(lambda: graphemes(short))
    assert ratio < 8, f"four times the chain took {ratio:.1f} times as long"
    fits = within((grapheme_count, MAX_GRAPHEMES), (utf8_length, MAX_BYTES))
    started = time.perf_counter()
    fitted = fit("Larkspur opens Kessler Ridge", long, "https://news.example/p/", fits)
    assert fits(fitted.text) and time.perf_counter() - started < 2.0


@pytest.fixture(scope="module")
def pds(tmp_path_factory):
    with start_pds(tmp_path_factory.mktemp("pds")) as server:
        server.create_account(HANDLE, PASSWORD)
        yield server


def test_bluesky_messages_fit_carry_exact_facets_and_the_pds_stores_them_as_sent(pds):
    channel = make_channel("bluesky", {"app_password": PASSWORD}, base_url=pds.url, handle=HANDLE, hashtags=False)
    channel.start()
    sent = {}
    for number, text in enumerate(CORPUS):
        message = channel.render(post(text, number))
        assert grapheme_count(message.text) <= MAX_GRAPHEMES and len(message.text.encode()) <= MAX_BYTES
        check_facets(message.text, message.extras["facets"])
        if number % 4 == 0:  # a quarter of the corpus goes to the PDS (each post costs a repository commit)
            key = attempt_key(f"corpus-{number}", "bluesky", 0)
            receipt = channel.publish(message, Attempt(key=key, started_at="2026-01-01T00:00:00+00:00"))
            sent[receipt.url.rsplit("/", 1)[1]] = message
    listed = requests.get(
        f"{pds.url}/xrpc/com.atproto.repo.listRecords",
        params={"repo": channel.did, "collection": "app.bsky.feed.post", "limit": 100},
        timeout=10,
    ).json()["records"]
    stored = {item["uri"].rsplit("/", 1)[1]: item["value"] for item in listed}
    assert set(stored) == set(sent)
    for rkey, message in sent.items():
        assert stored[rkey]["text"] == message.text
        check_facets(stored[rkey]["text"], stored[rkey].get("facets", []))
