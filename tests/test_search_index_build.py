"""The production build's search index: the same files for the same content, whether Pagefind reads the pages while
Pelican renders them or after, from a cold build or a cached rebuild; and a failure is one clear line."""

from __future__ import annotations

import gzip
import json
import random
import threading
from pathlib import Path

import cbor2
import pytest
from test_build_cache import differing_files, fresh_checkout
from test_search import fragments

from newsroom.checks.checked_texts import ChangedDuringBuild, CheckedTexts, keep_checked_texts
from newsroom.checks.clean_bodies import FILE_NAME
from newsroom.checks.rules import Source
from newsroom.model.rendering import MarkdownRenderer, Rendered, keep_for_reader, text_digest
from newsroom.model.settings import load_newsroom
from newsroom.search.bundle import ENTRY, SIGNATURE, make_deterministic
from newsroom.search.index import BUNDLE_DIR, SearchIndexer, index_site
from newsroom.search.pagefind import PagefindService
from newsroom.site.build import BuildFailed, build_and_index
from newsroom.site.reader import NewsroomMarkdownReader

NOW = "2026-11-26 12:00 UTC"
CATEGORIES = ["News", "Press releases", "Insights", "Events", "Policy notices", "Regulatory filings"]
AUDIENCES = ["investors", "media", "regulators", "communities"]


def many_posts(site, count: int = 18) -> None:
    """Posts over several years, categories and audiences: each search filter gets many values, whose order
    Pagefind itself leaves to chance."""
    for number in range(count):
        site.post(f"post-{number}", f"Body of post {number} about wind, solar and storage.", **post_fields(number))


def post_fields(number: int) -> dict:
    return {
        "Title": f"Post number {number}",
        "Date": f"{2018 + number % 8}-0{1 + number % 9}-1{number % 9} 09:00 America/New_York",
        "Category": CATEGORIES[number % len(CATEGORIES)],
        "Audience": ", ".join(AUDIENCES[: 1 + number % len(AUDIENCES)]),
        "Tags": "wind, solar" if number % 2 else "storage",
    }


def production_build(site, name: str, **overrides) -> Path:
    settings = site.settings(NEWSROOM_NOW=NOW, OUTPUT_PATH=str(site.root / name), **overrides)
    build_and_index(settings)
    return Path(settings["OUTPUT_PATH"])


def cold(site, name: str, **overrides) -> Path:
    return production_build(site, name, CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False, **overrides)


def test_two_builds_of_the_same_content_write_the_same_search_index_files(site):
    many_posts(site)
    first, second = cold(site, "first"), cold(site, "second")
    assert len(fragments(first)) == 18
    assert differing_files(first / BUNDLE_DIR, second / BUNDLE_DIR) == []
    assert differing_files(first, second) == []  # and so an unchanged site deploys nothing


def test_indexing_while_pelican_renders_gives_the_same_output_as_indexing_after_it(site):
    many_posts(site)
    alongside = cold(site, "alongside")
    after = site.settings(NEWSROOM_NOW=NOW, OUTPUT_PATH=str(site.root / "after"), CACHE_CONTENT=False)
    build_and_index(after, index_while_rendering=False)
    assert differing_files(alongside, Path(after["OUTPUT_PATH"])) == []


def test_a_cached_rebuild_after_one_edited_post_equals_a_cold_build_search_index_included(site):
    many_posts(site)
    production_build(site, "first")  # writes the content cache, as the CI run before this one did
    fresh_checkout(site.content)
    site.post("post-3", "An edited body with EDITEDMARKER.", **post_fields(3))
    rebuilt = production_build(site, "rebuilt")
    reference = cold(site, "cold")
    assert any("EDITEDMARKER" in fragment["content"] for fragment in fragments(rebuilt))
    assert differing_files(rebuilt, reference) == []


def test_one_edited_post_changes_only_the_search_files_that_hold_it(site):
    many_posts(site)
    before = cold(site, "before")
    site.post("post-3", "An edited body with EDITEDMARKER.", **post_fields(3))
    after = cold(site, "after")
    changed = differing_files(before / BUNDLE_DIR, after / BUNDLE_DIR)
    fragments_changed = [name for name in changed if name.startswith("fragment/")]
    assert len(fragments_changed) == 2  # the post's old fragment goes, its new one comes; the 17 others stay
    assert not [name for name in changed if name.startswith("filter/")]  # same years, categories, audiences


def pagefind_like_bundle(order: random.Random) -> dict[str, bytes]:
    """A bundle as Pagefind writes it, with its filters' values (and filters) in the order `order` draws."""

    def encode(value) -> bytes:
        return gzip.compress(SIGNATURE + cbor2.dumps(value))

    filters = {"year": {"2024": [0, 2], "2025": [1], "2026": [3]}, "category": {"News": [0, 1], "Events": [2, 3]}}
    files, listed = {}, []
    for number, (name, values) in enumerate(order.sample(list(filters.items()), len(filters))):
        filter_hash = f"en_{number}{order.randrange(10**6):06d}"
        files[f"filter/{filter_hash}.pf_filter"] = encode(
            [name, order.sample(list(map(list, values.items())), len(values))]
        )
        listed.append([name, filter_hash])
    meta = ["1.5.2", [["en_aaaaaaa", 10]], [["a", "z", "en_bbbbbbb"]], listed, [], ["title"]]
    meta_hash = f"en_{order.randrange(10**10):010d}"
    files[f"pagefind.{meta_hash}.pf_meta"] = encode(meta)
    files[ENTRY] = f'{{"version":"1.5.2","languages":{{"en":{{"hash":"{meta_hash}","page_count":4}}}}}}'.encode()
    files["fragment/en_aaaaaaa.pf_fragment"] = gzip.compress(b'pagefind_dcd{"url":"/a/"}')
    return files


def decode(content: bytes):
    return cbor2.loads(gzip.decompress(content).removeprefix(SIGNATURE))


@pytest.mark.parametrize("seed", range(6))
def test_filter_values_in_any_order_give_one_bundle(seed):
    drawn, reference = pagefind_like_bundle(random.Random(seed)), pagefind_like_bundle(random.Random(1000))
    assert drawn != reference
    assert make_deterministic(drawn) == make_deterministic(reference)
    bundle = make_deterministic(drawn)
    filters = dict(decode(content) for name, content in bundle.items() if name.startswith("filter/"))
    assert filters == {  # values in order, each with its own pages
        "year": [["2024", [0, 2]], ["2025", [1]], ["2026", [3]]],
        "category": [["Events", [2, 3]], ["News", [0, 1]]],
    }


def test_the_rewritten_bundle_names_exactly_the_files_it_holds():
    bundle = make_deterministic(pagefind_like_bundle(random.Random(3)))
    meta_hash = json.loads(bundle[ENTRY])["languages"]["en"]["hash"]
    meta = decode(bundle[f"pagefind.{meta_hash}.pf_meta"])
    assert [name for name, _ in meta[3]] == ["category", "year"]
    named = sorted(f"filter/{filter_hash}.pf_filter" for _, filter_hash in meta[3])
    assert named == sorted(name for name in bundle if name.startswith("filter/"))
    assert len([name for name in bundle if name.endswith(".pf_meta")]) == 1
    assert make_deterministic(bundle) == bundle  # already canonical: nothing to change


def two_language_bundle(languages_order: list[str]) -> dict[str, bytes]:
    """A bundle with an English and a French index, pagefind-entry.json listing them in `languages_order` (Pagefind
    keeps them in a hash map: the order changes from run to run)."""
    files = pagefind_like_bundle(random.Random(5))
    english = json.loads(files[ENTRY])["languages"]["en"]
    meta = files[f"pagefind.{english['hash']}.pf_meta"]
    french = {"hash": "fr_0123456789", "page_count": 1}
    files["pagefind.fr_0123456789.pf_meta"] = gzip.compress(
        SIGNATURE + cbor2.dumps([*decode(meta)[:3], [], [], ["title"]])
    )
    by_code = {"en": english, "fr": french}
    entry = {"version": "1.5.2", "languages": {code: by_code[code] for code in languages_order}}
    files[ENTRY] = json.dumps(entry, separators=(",", ":")).encode()
    return files


def test_languages_listed_in_any_order_give_one_bundle():
    one, other = two_language_bundle(["en", "fr"]), two_language_bundle(["fr", "en"])
    assert one[ENTRY] != other[ENTRY]
    assert make_deterministic(one) == make_deterministic(other)
    assert list(json.loads(make_deterministic(other)[ENTRY])["languages"]) == ["en", "fr"]


@pytest.mark.parametrize("asked_early", [False, True], ids=["at-the-end", "after-an-early-index"])
def test_a_page_rewritten_after_pagefind_read_it_is_indexed_as_it_ends(site, asked_early):
    site.post("results", "Revenue rose on FIRSTWORDING.", Title="Quarterly results")
    output = site.build(NEWSROOM_NOW=NOW)
    page = output / "news/2026/quarterly-results/index.html"
    indexer = SearchIndexer(output)
    for path in sorted(output.rglob("*.html")):
        indexer.page_written(path)
    if asked_early:  # the early index holds the first wording: it must not be the one written
        indexer.index_ahead()
    page.write_text(page.read_text(encoding="utf-8").replace("FIRSTWORDING", "FINALWORDING"), encoding="utf-8")
    indexer.finish()
    text = " ".join(fragment["content"] for fragment in fragments(output))
    assert "FINALWORDING" in text and "FIRSTWORDING" not in text


@pytest.fixture
def index_requests(monkeypatch) -> list[tuple[int, str]]:
    """Each time Pagefind is asked to build the index (in this process): how many requests it had had, and the
    thread that asked (the indexer's own for an early index, the build's at the end)."""
    asked: list[tuple[int, str]] = []
    build_index = PagefindService.get_files

    def counted(service):
        asked.append((service.requests_sent, threading.current_thread().name))
        return build_index(service)

    monkeypatch.setattr(PagefindService, "get_files", counted)
    return asked


def bundle_of(output: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(output / BUNDLE_DIR)): p.read_bytes() for p in (output / BUNDLE_DIR).rglob("*") if p.is_file()
    }


def indexed_after(output: Path) -> dict[str, bytes]:
    """The plain path's index of the pages in `output`: every page sent after the build, one request to build."""
    SearchIndexer(output, while_writing=False).finish()
    return bundle_of(output)


def marked_pages(output: Path) -> list[Path]:
    return [path for path in sorted(output.rglob("*.html")) if "data-pagefind-body" in path.read_text(encoding="utf-8")]


def index_with_an_early_request(output: Path, before: list[Path], after: list[Path], **options) -> None:
    """Index `output` as the build does: the number of marked pages foretold, the pages `before`, Pagefind asked
    early, then the pages `after`."""
    indexer = SearchIndexer(output, **options)
    indexer.expect_pages(len(marked_pages(output)))
    for path in before:
        indexer.page_written(path)
    indexer.index_ahead()
    for path in after:
        indexer.page_written(path)
    indexer.finish()


@pytest.fixture
def six_posts(site, index_requests) -> tuple[Path, dict[str, bytes]]:
    """A built site of six posts and its index made the plain way (its requests forgotten)."""
    many_posts(site, 6)
    output = site.build(NEWSROOM_NOW=NOW)
    reference = indexed_after(output)
    index_requests.clear()
    return output, reference


def test_an_index_built_early_is_the_index_when_no_page_follows_it(six_posts, index_requests):
    output, reference = six_posts
    marked = marked_pages(output)
    # the listings come after: not sent to Pagefind, so the early index stands
    index_with_an_early_request(output, marked, sorted(set(output.rglob("*.html")) - set(marked)))
    assert len(index_requests) == 1
    assert bundle_of(output) == reference


def test_a_marked_page_written_after_the_early_index_is_indexed_as_if_never_asked_early(six_posts, index_requests):
    output, reference = six_posts
    marked = marked_pages(output)
    index_with_an_early_request(output, marked[:3], marked[3:])  # as a theme marking later pages would have it
    assert len(index_requests) == 2 and index_requests[0][0] < index_requests[1][0]
    assert len(fragments(output)) == len(marked) == 6
    assert bundle_of(output) == reference


def test_the_build_asks_pagefind_for_the_index_once_it_has_the_articles_and_uses_that(site, index_requests):
    many_posts(site, 6)
    alongside = cold(site, "alongside")
    # asked once, early (on the indexer's thread, once the articles were written), and nothing marked came later
    assert [thread for _, thread in index_requests] == ["search-index"]
    after = site.settings(NEWSROOM_NOW=NOW, OUTPUT_PATH=str(site.root / "after"), CACHE_CONTENT=False)
    build_and_index(after, index_while_rendering=False)
    assert differing_files(alongside, Path(after["OUTPUT_PATH"])) == []


def test_html_not_written_through_pelican_is_indexed_too(site):
    site.post("results", "Revenue rose.", Title="Quarterly results")
    output = site.build(NEWSROOM_NOW=NOW)
    # a page written by the build, but not through Pelican's writer (as a copied HTML file would be)
    copied = output / "news/2026/quarterly-results/index.html"
    indexer = SearchIndexer(output)
    for path in sorted(output.rglob("*.html")):
        if path != copied:
            indexer.page_written(path)
    indexer.finish()
    assert [fragment["url"] for fragment in fragments(output)] == ["/news/2026/quarterly-results/"]


def test_index_site_and_the_build_agree_on_what_is_indexed(site):
    many_posts(site, 4)
    built = cold(site, "built")
    again = site.build(NEWSROOM_NOW=NOW, OUTPUT_PATH=str(site.root / "again"))
    index_site(again)
    assert sorted(f["url"] for f in fragments(built)) == sorted(f["url"] for f in fragments(again))


def test_a_missing_pagefind_fails_the_build_with_one_line(site, monkeypatch):
    site.post("results", "Revenue rose.", Title="Quarterly results")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(site.root / "no-such-pagefind"))
    with pytest.raises(BuildFailed) as failure:
        cold(site, "out")
    message = str(failure.value)
    assert message.startswith("search index: Pagefind could not run (") and "\n" not in message
    assert not (site.root / "out" / BUNDLE_DIR).exists()


# --- One Markdown conversion per post: the checks convert it, the reader takes their result -------------------


def checked_as_they_are(settings, *paths: Path) -> None:
    """Record these posts' texts as the content checks would: the reader publishes no text they did not check
    (checked_texts.py)."""
    record = CheckedTexts()
    for path in paths:
        record.add(Source(str(path), f"posts/{path.name}", path.read_text(encoding="utf-8")))
    keep_checked_texts(settings, record)


def test_the_reader_takes_each_posts_html_from_the_checks_conversion(site, monkeypatch):
    converted_again = []
    taken = NewsroomMarkdownReader._take_converted

    def recording(reader, relative, digest):
        return taken(reader, relative, digest) or converted_again.append(relative)

    monkeypatch.setattr(NewsroomMarkdownReader, "_take_converted", recording)
    for number in range(4):  # with a link: a body the checks convert (one without needs no checking)
        site.post(f"post-{number}", f"Body {number}, see [the archive](/archive/).", **post_fields(number))
    output = cold(site, "out")
    assert converted_again == []
    (page,) = output.glob("*/*/post-number-2/index.html")
    assert 'Body 2, see <a href="/archive/">the archive</a>.' in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("swap", ["Wording changed since.", "Clean wording<script>steal()</script>", "Clean wordinG"])
def test_a_post_changed_after_the_checks_is_refused_by_the_reader_never_converted(site, swap):
    # Someone (an editor saving, a `git checkout`, a racing job) rewrites a post between the checks and the read,
    # with new wording, with script, or with a one-letter change of the same length: the checks' verdict (its
    # audience, its status) is for the text they read, so the reader publishes no other, converted or not.
    path = site.post("results", "Clean wording", Title="Quarterly results")
    settings = site.settings(NEWSROOM_NOW=NOW)
    settings["NEWSROOM"] = load_newsroom(settings)
    renderer = MarkdownRenderer(settings)
    renderer.render("posts/results.md", path.read_text(encoding="utf-8"))
    keep_for_reader(settings, renderer)
    checked_as_they_are(settings, path)
    site.post("results", swap, Title="Quarterly results")
    with pytest.raises(ChangedDuringBuild, match=r"^posts/results\.md:1: file: changed during the build, after"):
        NewsroomMarkdownReader(settings).read(str(path))


def test_the_reader_publishes_the_checks_sanitised_html_not_their_raw_conversion(site):
    path = site.post("results", 'Revenue <b onclick="steal()">rose</b>.', Title="Quarterly results")
    settings = site.settings(NEWSROOM_NOW=NOW)
    settings["NEWSROOM"] = load_newsroom(settings)
    renderer = MarkdownRenderer(settings)
    rendered = renderer.render("posts/results.md", path.read_text(encoding="utf-8"))
    assert "onclick" in rendered.html and "onclick" not in rendered.clean
    keep_for_reader(settings, renderer)
    checked_as_they_are(settings, path)
    content, _ = NewsroomMarkdownReader(settings).read(str(path))
    assert content == rendered.clean and "<b>rose</b>" in content


def test_one_reader_gives_each_file_its_own_formatted_fields(site):
    """The reader reuses one Markdown for the formatted fields of every file the checks converted: nothing of
    one file's summary may reach another's, and a later file's summary is not read as a metadata header."""
    first = site.post("first", "Body one.", Title="First", Summary="*First* summary.")
    second = site.post("second", "Body two.", Title="Second", Summary="Region: north of the plant.")
    settings = site.settings(NEWSROOM_NOW=NOW, FORMATTED_FIELDS=["summary"])  # the newsroom's own has none
    settings["NEWSROOM"] = load_newsroom(settings)
    renderer = MarkdownRenderer(settings)
    for path in (first, second, first):
        renderer.render(f"posts/{path.name}", path.read_text(encoding="utf-8"))
    keep_for_reader(settings, renderer)
    checked_as_they_are(settings, first, second)
    reader = NewsroomMarkdownReader(settings)
    _, one = reader.read(str(first))
    _, two = reader.read(str(second))
    assert one["summary"] == "<p><em>First</em> summary.</p>"
    assert two["summary"] == "<p>Region: north of the plant.</p>"  # a field's text is never read as metadata


@pytest.mark.parametrize(
    "html, clean",
    [
        ("<p>Plain.</p>", "<p>Plain.</p>"),
        ("<p>“Curly” — 风电 🌬️</p>", "<p>“Curly” — 风电 🌬️</p>"),
        ('<p onclick="x()">“Q3”</p>', "<p>“Q3”</p>"),
        ("<p>\ud800 lone</p>", "<p>lone</p>"),
    ],
)
def test_a_conversion_waits_as_utf8_and_gives_back_the_very_strings_it_was_made_of(html, clean):
    # Every post's conversion waits at once from the checks to the reader: held as UTF-8, half the size of a
    # string with one curly quote, and decoded to the same characters when asked for.
    rendered = Rendered.of(text_digest(html), html, {"title": ["T"]}, clean)
    assert (rendered.html, rendered.clean) == (html, clean)
    assert isinstance(rendered.html_utf8, bytes) and not any(isinstance(v, str) for v in vars(rendered).values())
    assert rendered.sanitiser_removed_nothing == (html == clean)


# --- A CI rebuild converts only what changed: the checks remember the texts with nothing to remove ------------


@pytest.fixture
def conversions(monkeypatch) -> list[str]:
    """The files the content checks convert from Markdown."""
    seen: list[str] = []
    original = MarkdownRenderer.render
    monkeypatch.setattr(
        MarkdownRenderer, "render", lambda self, relative, text: seen.append(relative) or original(self, relative, text)
    )
    return seen


def linked_posts(site, count: int = 3) -> None:
    for number in range(count):  # with a link: a body the checks convert
        site.post(f"post-{number}", f"Body {number}, see [the archive](/archive/).", **post_fields(number))


def test_a_rebuild_converts_only_the_edited_post_in_the_checks_and_equals_a_cold_build(site, conversions):
    linked_posts(site)
    production_build(site, "first")
    assert sorted(conversions) == ["posts/post-0.md", "posts/post-1.md", "posts/post-2.md"]
    conversions.clear()
    fresh_checkout(site.content)
    site.post("post-1", "Edited, see [the archive](/archive/).", **post_fields(1))
    rebuilt = production_build(site, "rebuilt")
    assert conversions == ["posts/post-1.md"]
    assert differing_files(rebuilt, cold(site, "cold")) == []


def test_a_post_with_something_to_remove_is_reported_on_every_build(site, conversions):
    linked_posts(site, 2)
    site.post("bad", 'A <span onclick="steal()">trap</span>, see [the archive](/archive/).', **post_fields(5))
    for attempt in range(2):
        with pytest.raises(BuildFailed, match=r"posts/bad.md:\d+: body: <span onclick=\"steal\(\)\">: event handlers"):
            production_build(site, f"attempt-{attempt}")
    assert conversions.count("posts/bad.md") == 2  # never remembered as clean
    assert conversions.count("posts/post-0.md") == 1  # remembered after the first build


def test_the_checks_memory_is_kept_only_with_the_content_cache_and_survives_being_garbled(site, conversions):
    linked_posts(site, 2)
    cold(site, "first")
    cold(site, "second")
    assert conversions.count("posts/post-0.md") == 2  # no content cache, nothing remembered
    production_build(site, "cached")
    (memory,) = (site.root / "cache").glob(f"content-*/{FILE_NAME}")
    memory.write_text("{not json", encoding="utf-8")
    conversions.clear()
    production_build(site, "after-garbling")
    assert sorted(conversions) == ["posts/post-0.md", "posts/post-1.md"]  # everything checked again


# --- Only the pages Pagefind indexes are sent to it ------------------------------------------------------------


def test_leaving_the_listings_out_gives_the_index_pagefind_makes_from_every_page(site):
    many_posts(site, 6)
    output = cold(site, "out")
    SearchIndexer(output, while_writing=False, every_page=True).finish()
    every_page = {path.relative_to(output).as_posix(): path.read_bytes() for path in output.rglob("pagefind/**/*.*")}
    SearchIndexer(output, while_writing=False).finish()
    marked_only = {path.relative_to(output).as_posix(): path.read_bytes() for path in output.rglob("pagefind/**/*.*")}
    assert len(fragments(output)) == 6
    assert marked_only == every_page


def test_a_site_without_marked_pages_has_every_page_indexed(tmp_path):
    for name, text in {"index.html": "Home page words", "about/index.html": "About ABOUTMARKER"}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<html lang='en'><body><p>{text}</p></body></html>", encoding="utf-8")
    index_site(tmp_path)
    assert sorted(fragment["url"] for fragment in fragments(tmp_path)) == ["/", "/about/"]
