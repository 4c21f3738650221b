"""The search index in pieces: a page's piece depends on its path alone, each piece is the same files for the same
pages whether built cold, streamed, asked early or copied from the cache, and a cache that is damaged or foreign
is never copied. A small site is cut into several pieces with NEWSROOM_SEARCH_PAGES_PER_PIECE."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import pytest
from test_build_cache import differing_files, fresh_checkout
from test_search import WITHHELD, fragments, index_files
from test_search_index_build import (
    NOW,
    bundle_of,
    index_with_an_early_request,
    many_posts,
    marked_pages,
    post_fields,
)

from conftest import kessler_in_english_and_french
from newsroom.search import index as index_module
from newsroom.search.bundle import BundleFormatError, make_deterministic
from newsroom.search.index import BUNDLE_DIR, SearchIndexer, SearchIndexFailed, index_site
from newsroom.search.pagefind import PagefindService
from newsroom.search.pieces import MANIFEST, MOST_PIECES, PIECE_FILES, piece_count, piece_folder, piece_of
from newsroom.search.staging import Staging
from newsroom.site.build import BuildFailed, build_and_index

SMALL_PIECES = {"NEWSROOM_SEARCH_PAGES_PER_PIECE": 5}  # 18 posts: 4 pieces


def build(site, name: str, *, cached: bool = True, **overrides) -> Path:
    """The production build into `name`, with the content cache (and so the pieces' cache) or without."""
    if not cached:
        overrides |= {"CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False}
    settings = site.settings(NEWSROOM_NOW=NOW, OUTPUT_PATH=str(site.root / name), **{**SMALL_PIECES, **overrides})
    build_and_index(settings)
    return Path(settings["OUTPUT_PATH"])


def listed_pieces(output: Path) -> list[dict]:
    return json.loads((output / BUNDLE_DIR / MANIFEST).read_text(encoding="utf-8"))["pieces"]


def url_of(page: str) -> str:
    return "/" + page.removesuffix("index.html")


def piece_holding(output: Path, page: str) -> str:
    """The folder (under pagefind/) of the piece whose fragments include `page`."""
    (folder,) = {
        name.removeprefix(f"{BUNDLE_DIR}/").rsplit("fragment/", 1)[0]
        for name, data in index_files(output).items()
        if name.endswith(".pf_fragment") and json.loads(data.removeprefix(b"pagefind_dcd"))["url"] == url_of(page)
    }
    return folder


@pytest.fixture
def sent(monkeypatch) -> list[str]:
    """Every page given to a Pagefind service (in this process), by path."""
    pages: list[str] = []
    add_html = PagefindService.add_html
    monkeypatch.setattr(
        PagefindService, "add_html", lambda service, path, html: pages.append(path) or add_html(service, path, html)
    )
    return pages


# --- The pure functions -------------------------------------------------------------------------------------


def test_the_number_of_pieces_follows_the_number_of_pages_and_is_bounded():
    assert [piece_count(pages) for pages in (0, 799, 800, 1599, 4683, 5599, 5600, 10**6)] == [1, 1, 2, 2, 6, 7, 8, 8]
    assert [piece_count(pages, pages_per_piece=5) for pages in (0, 4, 5, 10, 15, 18, 1000)] == [1, 1, 2, 3, 4, 4, 8]
    assert max(piece_count(pages, 1) for pages in range(100)) == MOST_PIECES


def test_a_pages_piece_depends_only_on_its_path_and_the_number_of_pieces():
    paths = [f"news/{2018 + n % 9}/post-number-{n}/index.html" for n in range(400)]
    first = {path: piece_of(path, 4) for path in paths}
    # asked again in another order (as a site with other pages would), each path gives the same piece
    assert {path: piece_of(path, 4) for path in reversed(paths)} == first
    assert piece_of("news/2026/post-number-1/index.html", 4) != piece_of("news/2026/post-number-2/index.html", 4)
    assert sorted(set(first.values())) == [0, 1, 2, 3]  # every piece used
    assert min(list(first.values()).count(piece) for piece in range(4)) > 60  # and none nearly empty
    assert {piece_of(path, 1) for path in paths} == {0}


def test_a_piece_other_than_the_first_keeps_only_what_a_search_reads_from_it():
    for name in ("pagefind-entry.json", "pagefind.en_0123456789.pf_meta", "fragment/en_abc.pf_fragment"):
        assert PIECE_FILES.match(name)
    for name in ("index/en_abc.pf_index", "filter/en_abc.pf_filter", "pagefind.js", "wasm.fr.pagefind"):
        assert PIECE_FILES.match(name)
    for name in ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-highlight.js", "x/y/z"):
        assert not PIECE_FILES.match(name)
    assert [piece_folder(piece) for piece in range(4)] == ["", "piece-2/", "piece-3/", "piece-4/"]


# --- The build ----------------------------------------------------------------------------------------------


def test_a_site_cut_into_pieces_indexes_every_page_once_and_lists_the_pieces(site):
    many_posts(site)
    output = build(site, "out", cached=False)
    pieces = listed_pieces(output)
    assert [piece["languages"] for piece in pieces] == [["en"]] * 4
    assert [piece["path"] for piece in pieces] == ["", "piece-2/", "piece-3/", "piece-4/"]
    urls = sorted(fragment["url"] for fragment in fragments(output))
    assert urls == sorted(url_of(page.relative_to(output).as_posix()) for page in marked_pages(output))
    assert len(urls) == 18
    for page in marked_pages(output):  # each page is in the piece its path says
        relative = page.relative_to(output).as_posix()
        assert piece_holding(output, relative) == piece_folder(piece_of(relative, 4))
    assert (output / BUNDLE_DIR / "pagefind-ui.js").is_file()
    assert not (output / BUNDLE_DIR / "piece-2" / "pagefind-ui.js").exists()


def in_piece(name: str, folder: str) -> bool:
    """Whether `name` (under pagefind/) is a file of the piece in `folder`."""
    return name.startswith(folder) if folder else not name.startswith("piece-") and name != MANIFEST


def test_editing_a_post_changes_only_its_piece(site):
    many_posts(site)
    before = build(site, "before", cached=False)
    site.post("post-3", "An edited body with EDITEDMARKER.", **post_fields(3))
    after = build(site, "after", cached=False)
    (edited,) = [page for page in marked_pages(after) if "EDITEDMARKER" in page.read_text(encoding="utf-8")]
    folder = piece_folder(piece_of(edited.relative_to(after).as_posix(), 4))
    changed = differing_files(before / BUNDLE_DIR, after / BUNDLE_DIR)
    assert changed and [name for name in changed if not in_piece(name, folder)] == []


def test_adding_a_post_changes_only_its_piece(site):
    many_posts(site)
    before = build(site, "before", cached=False)
    site.post("post-new", "A new post.", **post_fields(40))
    after = build(site, "after", cached=False)
    new = {page.relative_to(after).as_posix() for page in marked_pages(after)} - {
        page.relative_to(before).as_posix() for page in marked_pages(before)
    }
    (page,) = new
    changed = differing_files(before / BUNDLE_DIR, after / BUNDLE_DIR)
    assert changed and [name for name in changed if not in_piece(name, piece_folder(piece_of(page, 4)))] == []


def test_a_cached_rebuild_sends_pagefind_only_the_edited_posts_piece_and_equals_a_cold_build(site, sent):
    many_posts(site)
    build(site, "first")
    assert len(sent) == 18
    sent.clear()
    fresh_checkout(site.content)
    site.post("post-3", "An edited body with EDITEDMARKER.", **post_fields(3))
    rebuilt = build(site, "rebuilt")
    (edited,) = [page for page in marked_pages(rebuilt) if "EDITEDMARKER" in page.read_text(encoding="utf-8")]
    piece = piece_of(edited.relative_to(rebuilt).as_posix(), 4)
    same_piece = [p.relative_to(rebuilt).as_posix() for p in marked_pages(rebuilt)]
    assert sorted(sent) == sorted(path for path in same_piece if piece_of(path, 4) == piece)
    sent.clear()
    reference = build(site, "cold", cached=False)
    assert len(sent) == 18
    assert differing_files(rebuilt, reference) == []


def test_an_unchanged_site_rebuilt_from_the_cache_sends_pagefind_nothing(site, sent):
    many_posts(site)
    first = build(site, "first")
    sent.clear()
    fresh_checkout(site.content)
    again = build(site, "again")
    assert sent == []
    assert differing_files(first, again) == []


def test_each_edition_keeps_its_own_pieces(site, sent):
    many_posts(site)
    site.post("staff", "For employees.", **post_fields(20) | {"Audience": "employees"})
    build(site, "first")
    internal = site.settings(edition="internal", NEWSROOM_NOW=NOW, **SMALL_PIECES)
    build_and_index(internal)  # the same cache folder, another edition: its pieces are not the public one's
    sent.clear()
    fresh_checkout(site.content)
    build(site, "again")
    assert sent == []


def damage_truncated(folder: Path) -> None:
    stored = max((folder / "files").iterdir(), key=lambda path: path.stat().st_size)
    stored.write_bytes(stored.read_bytes()[:100])


def damage_wrong_hash(folder: Path) -> None:
    stored = max((folder / "files").iterdir(), key=lambda path: path.stat().st_size)
    content = stored.read_bytes()
    stored.write_bytes(content[:50] + bytes([content[50] ^ 1]) + content[51:])  # one bit: same size, other hash


def damage_record_edited(folder: Path) -> None:
    record = json.loads((folder / "record.json").read_text())
    name = sorted(record["files"])[0]
    other = next(digest for digest in record["files"].values() if digest != record["files"][name])
    record["files"][name] = other  # a file of the piece, under another file's name
    (folder / "record.json").write_text(json.dumps(record))


def damage_missing_file(folder: Path) -> None:
    next((folder / "files").iterdir()).unlink()


def damage_other_code(folder: Path) -> None:
    record = json.loads((folder / "record.json").read_text())
    record["fingerprint"] = "0" * 16  # a record written by other code, restored under this code's folder
    (folder / "record.json").write_text(json.dumps(record))


def damage_unreadable_record(folder: Path) -> None:
    (folder / "record.json").write_text('{"pages": [')


def damage_escaping_name(folder: Path) -> None:
    record = json.loads((folder / "record.json").read_text())
    record["files"]["../../index.html"] = record["files"].pop("pagefind-entry.json")
    (folder / "record.json").write_text(json.dumps(record))


DAMAGES = [
    damage_truncated,
    damage_wrong_hash,
    damage_record_edited,
    damage_missing_file,
    damage_other_code,
    damage_unreadable_record,
    damage_escaping_name,
]


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda damage: damage.__name__.removeprefix("damage_"))
def test_a_damaged_cache_entry_is_indexed_again_never_copied(site, sent, damage):
    many_posts(site)
    build(site, "first")
    folders = sorted((site.root / "cache").glob("search-public/*/piece-*-of-4"))
    assert len(folders) == 4
    for folder in folders:
        damage(folder)
    sent.clear()
    fresh_checkout(site.content)
    rebuilt = build(site, "rebuilt")
    assert sorted(sent) == sorted(page.relative_to(rebuilt).as_posix() for page in marked_pages(rebuilt))
    assert differing_files(rebuilt, build(site, "cold", cached=False)) == []
    assert not (site.root / "index.html").exists()
    sent.clear()
    build(site, "third")  # the pieces indexed again were stored again, whole
    assert sent == []


def test_a_piece_whose_cached_record_has_a_page_more_is_indexed_again(site, sent):
    many_posts(site)
    build(site, "first")
    (site.content / "posts" / "post-17.md").unlink()  # the last of its piece, or not: its piece changes
    sent.clear()
    rebuilt = build(site, "rebuilt")
    assert sent and len(set(sent)) == len(sent)
    assert differing_files(rebuilt, build(site, "cold", cached=False)) == []


# --- The early index, per piece --------------------------------------------------------------------------


@pytest.fixture
def pieces_site(site) -> tuple[Path, dict[str, bytes]]:
    """A built site of 18 posts and its index in 4 pieces made the plain way."""
    many_posts(site)
    output = site.build(NEWSROOM_NOW=NOW)
    SearchIndexer(output, while_writing=False, pages_per_piece=5).finish()
    return output, bundle_of(output)


@pytest.fixture
def index_requests(monkeypatch) -> list[int]:
    """The number of pages each Pagefind service had when asked for its index."""
    asked: list[int] = []
    build_index = PagefindService.get_files
    monkeypatch.setattr(
        PagefindService, "get_files", lambda service: asked.append(service.requests_sent) or build_index(service)
    )
    return asked


def test_each_piece_built_early_is_its_index_when_no_page_follows(pieces_site, index_requests):
    output, reference = pieces_site
    marked = marked_pages(output)
    index_with_an_early_request(output, marked, sorted(set(output.rglob("*.html")) - set(marked)), pages_per_piece=5)
    assert len(index_requests) == 4  # once per piece, early, and no piece asked again
    assert bundle_of(output) == reference


def test_only_the_pieces_a_page_reaches_after_the_early_index_are_indexed_again(pieces_site, index_requests):
    output, reference = pieces_site
    marked = marked_pages(output)
    index_with_an_early_request(output, marked[:-1], marked[-1:], pages_per_piece=5)
    assert len(index_requests) == 5  # four early, then the last page's piece again
    assert bundle_of(output) == reference


def test_a_wrong_forecast_of_the_number_of_pages_gives_the_same_pieces(pieces_site):
    output, reference = pieces_site
    indexer = SearchIndexer(output, pages_per_piece=5)
    indexer.expect_pages(2)  # one piece foreseen; the 18 pages make four
    for path in sorted(output.rglob("*.html")):
        indexer.page_written(path)
    indexer.index_ahead()
    assert indexer.finish().endswith("(4 pieces)")
    assert bundle_of(output) == reference


def test_index_site_and_the_build_agree_on_every_piece(site):
    many_posts(site)
    built = build(site, "built", cached=False)
    again = site.build(NEWSROOM_NOW=NOW, OUTPUT_PATH=str(site.root / "again"))
    index_site(again, pages_per_piece=5)
    # the same pages in the same pieces (index_site gives them in path order, the build in its writing order)
    assert listed_pieces(again) == listed_pieces(built)
    pages = [page.relative_to(built).as_posix() for page in marked_pages(built)]
    assert len(pages) == 18
    assert {page: piece_holding(again, page) for page in pages} == {page: piece_holding(built, page) for page in pages}


def test_the_forecast_the_build_makes_is_the_number_of_marked_pages(site, monkeypatch):
    forecasts: list[int] = []
    expect = SearchIndexer.expect_pages
    monkeypatch.setattr(
        SearchIndexer,
        "expect_pages",
        lambda indexer, marked, *setting: forecasts.append(marked) or expect(indexer, marked, *setting),
    )
    site.with_sample_content()
    output = build(site, "out", cached=False)
    assert forecasts == [len(marked_pages(output))]


def test_the_pieces_list_names_the_languages_each_piece_holds(site):
    many_posts(site)
    kessler_in_english_and_french(site, {"Id": "2026-06-01-kessler", "Audience": "investors"})
    output = build(site, "out", cached=False)
    (french,) = [page for page in marked_pages(output) if '<html lang="fr"' in page.read_text(encoding="utf-8")]
    listed = {piece["path"]: piece["languages"] for piece in listed_pieces(output)}
    assert len(listed) == piece_count(len(marked_pages(output)), SMALL_PIECES["NEWSROOM_SEARCH_PAGES_PER_PIECE"]) > 1
    holding = piece_folder(piece_of(french.relative_to(output).as_posix(), len(listed)))
    assert listed == {folder: ["en", "fr"] if folder == holding else ["en"] for folder in listed}


def test_an_empty_first_piece_still_carries_the_search_box(tmp_path):
    pages = [f"p{n}/index.html" for n in range(60) if piece_of(f"p{n}/index.html", 2) == 1][:3]
    for page in pages:
        path = tmp_path / page
        path.parent.mkdir(parents=True)
        path.write_text(f"<html lang='en'><body><main data-pagefind-body><h1>{page}</h1></main></body></html>")
    (tmp_path / "index.html").write_text("<html lang='en'><body>Home</body></html>")
    index_site(tmp_path, pages_per_piece=2)  # 3 pages: 2 pieces, the first without a page
    assert listed_pieces(tmp_path) == [{"path": "piece-2/", "languages": ["en"]}]
    assert (tmp_path / BUNDLE_DIR / "pagefind-ui.js").is_file()
    assert sorted(fragment["url"] for fragment in fragments(tmp_path)) == sorted(map(url_of, pages))


@pytest.mark.parametrize("marker", sorted(WITHHELD))
def test_no_withheld_post_enters_any_piece(site, marker):
    many_posts(site)
    for withheld, fields in WITHHELD.items():
        site.post(withheld, Title=f"Secret {withheld}", body=f"Body {withheld}.", **fields)
    output = build(site, "out", cached=False)
    assert len(listed_pieces(output)) == 4
    assert [name for name, data in index_files(output).items() if marker.encode() in data.lower()] == []


def test_a_wrong_number_of_pages_per_piece_is_one_line(site):
    site.post("results", "Revenue rose.", Title="Quarterly results")
    with pytest.raises(BuildFailed) as failure:
        build(site, "out", NEWSROOM_SEARCH_PAGES_PER_PIECE=0)
    assert str(failure.value).splitlines() == [
        "settings are invalid:",
        "NEWSROOM_SEARCH_PAGES_PER_PIECE: 0 is not valid (expected a whole number of pages, at least 1: how many "
        "pages marked for search make one more piece of the search index; leave it unset for the search index's "
        "default)",
    ]


def test_a_cache_that_cannot_be_written_costs_the_next_build_time_never_this_build(site, monkeypatch, caplog):
    # The pieces' cache is an optimisation, as Pelican's content cache is: Pelican warns and builds on when it
    # cannot save its cache, and so does the search index (a full or read-only cache disk).
    import newsroom.search.piece_cache as piece_cache

    def disk_full(path, data):
        raise OSError(28, "No space left on device", str(path))

    many_posts(site, 18)
    monkeypatch.setattr(piece_cache, "write_bytes_atomically", disk_full)
    output = build(site, "out")
    assert len(listed_pieces(output)) == 4
    assert bundle_of(output) == bundle_of(build(site, "cold", cached=False))
    warnings = [record.getMessage() for record in caplog.records if "search index cache" in record.getMessage()]
    assert len(warnings) == 1 and "No space left on device" in warnings[0], warnings


def test_the_cache_keeps_only_the_pieces_this_code_and_count_can_use(site):
    # CI saves the cache folder whole under each new key: what no build can use again (another Pagefind or
    # search code, another number of pieces) would otherwise be carried from cache to cache for ever.
    many_posts(site, 18)
    build(site, "out")
    (edition,) = (site.root / "cache").glob("search-*")
    (current,) = edition.iterdir()
    (edition / "0123456789abcdef" / "piece-1-of-4").mkdir(parents=True)  # an earlier Pagefind or search code
    (current / "piece-1-of-3").mkdir()  # before the archive crossed a threshold
    build(site, "again")
    assert [path.name for path in edition.iterdir()] == [current.name]
    assert sorted(path.name for path in current.iterdir()) == [f"piece-{n}-of-4" for n in range(1, 5)]


# --- Pieces indexed at the same time ------------------------------------------------------------------------------


@pytest.fixture
def services(monkeypatch) -> list[PagefindService]:
    """Every Pagefind service started (in this process), and how many were building an index at the same time."""
    started: list[PagefindService] = []
    start = PagefindService.__init__

    def noting(service, *args, **kwargs):
        start(service, *args, **kwargs)
        started.append(service)

    monkeypatch.setattr(PagefindService, "__init__", noting)
    return started


def test_pieces_indexed_two_at_a_time_are_the_files_of_pieces_indexed_one_by_one(pieces_site, monkeypatch):
    output, one_by_one = pieces_site
    building, most = [0], [0]
    build_index = PagefindService.get_files

    def overlapping(service):
        building[0] += 1
        most[0] = max(most[0], building[0])
        try:
            time.sleep(0.3)  # long enough for the other thread to begin its piece, were it allowed to
            return build_index(service)
        finally:
            building[0] -= 1

    monkeypatch.setattr(PagefindService, "get_files", overlapping)
    monkeypatch.setattr(index_module, "INDEXED_AT_ONCE", 2)
    assert SearchIndexer(output, while_writing=False, pages_per_piece=5).finish().endswith("(4 pieces)")
    assert most[0] == 2
    assert bundle_of(output) == one_by_one
    monkeypatch.setattr(index_module, "INDEXED_AT_ONCE", 1)
    most[0] = 0
    SearchIndexer(output, while_writing=False, pages_per_piece=5).finish()
    assert most[0] == 1
    assert bundle_of(output) == one_by_one


@pytest.mark.parametrize("early", [False, True], ids=["at the end", "asked early"])
def test_a_piece_pagefind_fails_to_index_fails_the_index_in_one_line_and_stops_every_pagefind(
    pieces_site, monkeypatch, services, early
):
    output, _ = pieces_site
    build_index, calls = PagefindService.get_files, [0]

    def second_fails(service):
        calls[0] += 1
        if calls[0] == 2:
            service._process.kill()  # Pagefind dies while it builds this piece's index
            service._process.wait()
        return build_index(service)

    monkeypatch.setattr(PagefindService, "get_files", second_fails)
    monkeypatch.setattr(index_module, "INDEXED_AT_ONCE", 2)
    indexer = SearchIndexer(output, pages_per_piece=5)
    indexer.expect_pages(18)
    for path in sorted(output.rglob("*.html")):
        indexer.page_written(path)
    if early:
        indexer.index_ahead()
    with pytest.raises(SearchIndexFailed) as failure:
        indexer.finish()
    assert "\n" not in str(failure.value) and "Pagefind stopped" in str(failure.value)
    assert services and all(service._process.poll() is not None for service in services)


# --- Where the pieces' files wait --------------------------------------------------------------------------------


@pytest.fixture
def staged(monkeypatch, tmp_path) -> tuple[Path, list[Path]]:
    """The temporary folder the build's staging goes under, and each file it kept a piece's files in."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    kept: list[Path] = []
    keep = Staging.keep
    monkeypatch.setattr(Staging, "keep", lambda staging, files: kept.append(keep(staging, files)) or kept[-1])
    return scratch, kept


def test_each_pieces_files_wait_on_disk_and_the_build_removes_them(site, staged):
    scratch, kept = staged
    many_posts(site)
    output = build(site, "out", cached=False)
    assert len(kept) >= len(listed_pieces(output)) > 1
    assert all(file.is_relative_to(scratch) for file in kept)
    assert list(scratch.iterdir()) == []  # nothing left behind
    assert bundle_of(output) == bundle_of(build(site, "plain", cached=False, NEWSROOM_PARALLEL_RENDER=False))


def test_a_search_index_that_fails_half_way_leaves_no_staged_files(site, staged, monkeypatch):
    scratch, kept = staged
    many_posts(site)
    made = []

    def second_piece_refused(files):
        made.append(1)
        if len(made) == 2:
            raise BundleFormatError("pagefind-entry.json: refused by the test")
        return make_deterministic(files)

    monkeypatch.setattr(index_module, "make_deterministic", second_piece_refused)
    with pytest.raises(BuildFailed, match="refused by the test"):
        build(site, "out", cached=False)
    assert kept and list(scratch.iterdir()) == []
