"""Pages kept between builds (site/kept_pages.py), from the side of a cache that should not be trusted: after each
change, the rebuild that writes pages from the cache (into a new folder, as CI does) is compared byte for byte with
a cold build of the same content, search index included, and counts.json shows which pages were kept."""

from __future__ import annotations

import copy
import hashlib
import importlib
import json
import os
import shutil
import threading
from pathlib import Path

import pytest
from test_build_cache import differing_files, fresh_checkout
from test_disclosure import material_post
from test_history import commit, git
from test_search_index_build import many_posts, post_fields

from conftest import files_containing, kessler_in_english_and_french
from newsroom.site.build import BuildFailed, build_and_index
from newsroom.site.page_reads import reading_page, watch_outside_inputs
from newsroom.syndication.ledger import Ledger

NOW = "2026-11-26 12:00 UTC"
ROOT = Path(__file__).resolve().parent.parent
# A page that loads a template file for the first time in its render process read a file no record holds, so it
# is rendered: at most one page per template file and process.
TEMPLATE_FILES = len(list((ROOT / "theme/templates").rglob("*.html")))


def build(site, name: str, **overrides) -> Path:
    """The production build (search index included) into `name`, with the content cache unless told otherwise,
    in one render process unless told otherwise (which pages load a template first is then the same each time)."""
    settings = site.settings(
        **{"NEWSROOM_NOW": NOW, "OUTPUT_PATH": str(site.root / name), "NEWSROOM_PARALLEL_RENDER": False, **overrides}
    )
    build_and_index(settings)
    return Path(settings["OUTPUT_PATH"])


def cold(site, name: str, **overrides) -> Path:
    return build(site, name, CACHE_CONTENT=False, LOAD_CONTENT_CACHE=False, **overrides)


def pages_folder(site) -> Path:
    """The kept pages of the cache folder written last (other reading settings make another folder)."""
    folders = sorted((site.root / "cache").glob("content-*/pages"), key=lambda path: path.stat().st_mtime_ns)
    assert folders, "no kept pages in the cache"
    return folders[-1]


def counts(site) -> dict:
    return json.loads((pages_folder(site) / "counts.json").read_text(encoding="utf-8"))


def records(site) -> dict:
    return json.loads((pages_folder(site) / "records.json").read_text(encoding="utf-8"))


def page_files(site) -> list[Path]:
    return sorted({pages_folder(site) / digest for _, digest in records(site)["pages"].values()})


def matches_cold(site, kept: Path, **overrides) -> None:
    cold_output = cold(site, f"cold-{kept.name}", **overrides)
    assert list(cold_output.rglob("pagefind*/**/*")), "the build made no search index to compare"
    assert differing_files(kept, cold_output) == []


def mostly_kept(site, total: int, changed: int = 0, processes: int = 1) -> dict:
    """The last build's counts, checked: every page counted, all kept but those that loaded a template and at
    most `changed` others."""
    found = counts(site)
    most = TEMPLATE_FILES * processes + changed
    assert found["kept"] + found["rendered"] == total
    assert found["rendered"] <= most and found["kept"] >= total - most
    return found


@pytest.fixture
def posts(site):
    """Eight posts over years, categories, audiences and tags, and a page; built once with the cache."""
    many_posts(site, 8)
    site.file("pages/about.md", "Title: About us\n\nWho we are.\n")
    build(site, "first")
    assert counts(site)["kept"] == 0
    fresh_checkout(site.content)
    return site


def total_pages(site) -> int:
    return sum(counts(site).values())


def test_nothing_changed_keeps_all_but_the_pages_that_loaded_a_template(posts):
    total = total_pages(posts)
    assert total > TEMPLATE_FILES + 5  # enough pages that keeping some of them shows
    kept = build(posts, "kept")
    mostly_kept(posts, total)
    matches_cold(posts, kept)


def test_a_file_another_thread_opens_while_a_page_renders_is_not_that_pages_input(tmp_path):
    # The search index's thread reads each written page while the next one renders: the page it renders has not
    # read outside the build, and is kept next time (it was rendered again on every build, now and then).
    watch_outside_inputs()
    other = tmp_path / "written-page.html"
    other.write_text("<html></html>", encoding="utf-8")
    with reading_page() as reads:
        reader = threading.Thread(target=other.read_text)
        reader.start()
        reader.join()
    assert reads.outside is None
    with reading_page() as reads:  # the page's own thread opening a file is
        other.read_text(encoding="utf-8")
    assert reads.outside == "open"


def test_an_edited_body_renders_its_post_again_and_keeps_the_listings_that_show_its_explicit_summary(posts):
    total = total_pages(posts)
    posts.post("post-3", "An edited body with EDITEDMARKER.", **post_fields(3))
    kept = build(posts, "kept")
    mostly_kept(posts, total, changed=1)  # the post's own page
    assert "EDITEDMARKER" in (kept / "events/2021/post-number-3/index.html").read_text(encoding="utf-8")
    matches_cold(posts, kept)


def test_an_edited_summary_changes_the_remembered_card_on_every_listing_that_shows_it(posts):
    # A post's summary is required, so a body edit never changes its card (a page without a summary has no card);
    # an edited summary does, on every listing, through the card remembered across pages (post_cards.py).
    posts.post("post-3", "Body of post 3 about wind, solar and storage.", **post_fields(3), Summary="SUMMARYMARKER.")
    kept = build(posts, "kept")
    listings = [path for path in kept.rglob("*.html") if "SUMMARYMARKER" in path.read_text(encoding="utf-8")]
    assert (kept / "index.html") in listings and len(listings) > 3
    matches_cold(posts, kept)


@pytest.mark.parametrize(
    "changed",
    [
        {"Title": "A retitled post"},
        {"Date": "2025-12-24 09:00 UTC"},
        {"Category": "Insights"},
    ],
    ids=["title", "date", "category"],
)
def test_a_post_whose_title_date_or_groupings_changed_gives_the_cold_build(posts, changed):
    posts.post("post-5", "Body of post 5 about wind, solar and storage.", **{**post_fields(5), **changed})
    matches_cold(posts, build(posts, "kept"))


def test_a_post_added_and_a_post_deleted_give_the_cold_build(posts):
    (posts.content / "posts/post-4.md").unlink()
    posts.post("newcomer", "A new post.", Title="A newcomer", Date="2026-11-20 09:00 UTC", Tags="wind")
    kept = build(posts, "kept")
    assert (kept / "news/2026/a-newcomer/index.html").is_file()
    matches_cold(posts, kept)


def test_an_edited_theme_template_gives_the_cold_build(posts, tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    build(posts, "with-copy", THEME=str(theme))
    card = theme / "templates/partials/post_card.html"
    card.write_text(
        card.read_text(encoding="utf-8").replace('class="card__summary"', 'class="card__summary THEMEMARKER"')
    )
    kept = build(posts, "kept", THEME=str(theme))
    assert "THEMEMARKER" in (kept / "index.html").read_text(encoding="utf-8")
    matches_cold(posts, kept, THEME=str(theme))


def truncate(site) -> None:
    for path in page_files(site):
        path.write_bytes(path.read_bytes()[:100])


def alter(site) -> None:
    """Same length, one byte different: only the digest shows it."""
    for path in page_files(site):
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x01
        path.write_bytes(bytes(data))


def garbage_records(site) -> None:
    (pages_folder(site) / "records.json").write_text('{"site": [1, 2', encoding="utf-8")


def records_of_another_shape(name: str, shape):
    """records.json as JSON, its site digest right, each page's record replaced by `shape`."""

    def damage(site) -> None:
        saved = records(site)
        pages = {key: shape for key in saved["pages"]}
        (pages_folder(site) / "records.json").write_text(json.dumps({"site": saved["site"], "pages": pages}), "utf-8")

    damage.__name__ = name
    return damage


def records_naming_missing_files(site) -> None:
    saved = records(site)
    for record in saved["pages"].values():
        record[1] = "0" * 64
    (pages_folder(site) / "records.json").write_text(json.dumps(saved), encoding="utf-8")


def symlinks_to_another_page(site) -> None:
    files = page_files(site)
    elsewhere = pages_folder(site).parent / "elsewhere"
    elsewhere.mkdir()
    for index, path in enumerate(files):
        other = files[(index + 1) % len(files)]
        target = elsewhere / path.name
        shutil.copyfile(other, target)
        path.unlink()
        os.symlink(target, path)


@pytest.mark.parametrize(
    "damage",
    [
        truncate,
        alter,
        records_naming_missing_files,
        symlinks_to_another_page,
        garbage_records,
        records_of_another_shape("a_string", "x"),
        records_of_another_shape("a_read_without_its_digest", [[["Article"]], "0" * 64]),
    ],
    ids=lambda damage: damage.__name__,
)
def test_a_damaged_cache_renders_its_pages_again_and_keeps_them_whole_for_the_next_build(posts, damage):
    total = total_pages(posts)
    damage(posts)
    kept = build(posts, "kept")
    assert counts(posts) == {"kept": 0, "rendered": total}
    matches_cold(posts, kept)
    # Rendered again, each page is kept again: every file the records name holds the bytes its name is the digest of.
    for path in page_files(posts):
        assert not path.is_symlink() and hashlib.sha256(path.read_bytes()).hexdigest() == path.name
    build(posts, "healed")
    mostly_kept(posts, total)


def test_a_stray_folder_among_the_kept_pages_does_not_break_the_build(posts):
    (pages_folder(posts) / "stray").mkdir()
    (pages_folder(posts) / "stray/file").write_text("left by something else", encoding="utf-8")
    kept = build(posts, "kept")
    matches_cold(posts, kept)


@pytest.mark.parametrize("cache", [True, False], ids=["cache on", "cache off"])
@pytest.mark.parametrize("value", ["yes", 1, "False"])
def test_a_keep_pages_setting_that_is_not_true_or_false_is_refused_in_one_line(site, value, cache):
    # With the content cache off nothing is kept, but a bad value is still refused rather than ignored.
    site.post("one", Title="First post")
    with pytest.raises(BuildFailed) as failure:
        build(site, "out", NEWSROOM_KEEP_PAGES=value, CACHE_CONTENT=cache, LOAD_CONTENT_CACHE=cache)
    message = str(failure.value)
    assert f"NEWSROOM_KEEP_PAGES: {value!r} is not valid (expected True or False" in message
    assert "Traceback" not in message
    assert not (site.root / "out/index.html").exists()


def test_keep_pages_off_renders_every_page_and_keeps_none(posts):
    before = records(posts)
    kept = build(posts, "off", NEWSROOM_KEEP_PAGES=False)
    assert records(posts) == before  # neither read nor rewritten
    matches_cold(posts, kept)


@pytest.mark.parametrize("two_processes", [True, False], ids=["two-processes", "one-process"])
def test_kept_pages_in_one_or_two_render_processes_give_the_cold_build(site, two_processes):
    many_posts(site, 8)
    build(site, "first", NEWSROOM_PARALLEL_RENDER=two_processes)
    total = total_pages(site)
    fresh_checkout(site.content)
    site.post("post-2", "Another body with EDITEDMARKER.", **post_fields(2))
    kept = build(site, "kept", NEWSROOM_PARALLEL_RENDER=two_processes)
    assert mostly_kept(site, total, changed=1, processes=2 if two_processes else 1)["kept"] > 0
    # The cold build in the other number of processes: the same bytes either way.
    matches_cold(site, kept, NEWSROOM_PARALLEL_RENDER=not two_processes)


def test_an_embargo_that_lifts_between_builds_gives_the_cold_build(posts):
    posts.post("deal", Title="Acquisition EMBARGOMARKER", Date="2026-12-03 16:05 America/New_York")
    build(posts, "before", NEWSROOM_NOW="2026-12-03 21:04 UTC")
    after = build(posts, "after", NEWSROOM_NOW="2026-12-03 21:05 UTC")
    assert "EMBARGOMARKER" in (after / "index.html").read_text(encoding="utf-8")
    matches_cold(posts, after, NEWSROOM_NOW="2026-12-03 21:05 UTC")


def test_a_body_that_starts_using_an_image_publishes_it_as_a_cold_build_does(posts):
    posts.file("images/plain.svg", "<svg xmlns='http://www.w3.org/2000/svg'><title>plain</title></svg>")
    build(posts, "unreferenced")
    assert not list((posts.root / "unreferenced").rglob("plain.svg"))
    posts.post("post-3", "A picture: ![A plain picture]({static}/images/plain.svg)", **post_fields(3))
    kept = build(posts, "kept")
    assert list(kept.rglob("plain.svg"))
    matches_cold(posts, kept)


def test_an_edit_reverted_in_the_next_build_gives_the_cold_build(posts):
    posts.post("post-3", "A passing wording.", **post_fields(3))
    build(posts, "edited")
    posts.post("post-3", "Body of post 3 about wind, solar and storage.", **post_fields(3))
    matches_cold(posts, build(posts, "reverted"))


def test_an_edited_page_body_gives_the_cold_build(posts):
    total = total_pages(posts)
    posts.file("pages/about.md", "Title: About us\n\nWho we are, with ABOUTMARKER.\n")
    kept = build(posts, "kept")
    mostly_kept(posts, total, changed=1)
    assert "ABOUTMARKER" in (kept / "about-us/index.html").read_text(encoding="utf-8")
    matches_cold(posts, kept)


def test_an_edited_french_body_gives_the_cold_build_in_both_languages(site):
    fields = {"Id": "2026-06-01-kessler", "Material": None}
    kessler_in_english_and_french(site, fields)
    many_posts(site, 4)
    build(site, "first")
    fresh_checkout(site.content)
    site.post(
        "kessler-fr",
        "Le texte corrigé, FRENCHMARKER.",
        Title="Larkspur met en service le parc éolien de Kessler Ridge",
        Summary="Le parc de 240 MW alimente maintenant le réseau.",
        Lang="fr",
        **fields,
    )
    kept = build(site, "kept")
    assert counts(site)["kept"] > 0
    assert any("FRENCHMARKER" in path.read_text(encoding="utf-8") for path in kept.rglob("*.html"))
    matches_cold(site, kept)


def test_a_committed_edit_updates_the_material_news_listing_that_reads_the_posts_history(site):
    # A post's history and "updated" time come from git, not from its file, and are per-page attributes: the
    # material news listing reads them from every material post it lists.
    git(site.root, "init", "-q")
    many_posts(site, 4)
    material_post(site, "deal", body="The first wording.")
    material_post(site, "other", Title="Larkspur sells its gas assets", Date="2026-11-18 16:05 America/New_York")
    commit(site, "Prepare the releases", "2026-11-18T15:00:00-05:00")
    first = build(site, "first")
    assert "material-list__updated" not in (first / "material-news/index.html").read_text(encoding="utf-8")
    fresh_checkout(site.content)
    material_post(site, "deal", body="A second wording.")
    commit(site, "Reword the acquisition release", "2026-11-24T10:00:00+00:00")
    kept = build(site, "kept")
    assert counts(site)["kept"] > 0  # what every page sees is unchanged: the listing was rendered for what it read
    assert "material-list__updated" in (kept / "material-news/index.html").read_text(encoding="utf-8")
    matches_cold(site, kept)


def test_a_site_setting_changed_between_builds_gives_the_cold_build(posts):
    kept = build(posts, "kept", SITENAME="Larkspur SITENAMEMARKER")
    assert "SITENAMEMARKER" in (kept / "index.html").read_text(encoding="utf-8")
    assert counts(posts)["kept"] == 0
    matches_cold(posts, kept, SITENAME="Larkspur SITENAMEMARKER")


def test_a_template_filter_whose_code_changed_between_builds_gives_the_cold_build(posts, tmp_path, monkeypatch):
    # The settings' own code (a filter in pelicanconf.py or a module it imports) is edited and the site rebuilt:
    # the function keeps its name, and what it writes changes.
    module = tmp_path / "site_filters.py"
    module.write_text("def time_element(moment):\n    return 'FIRSTFILTER'\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    filters = importlib.import_module("site_filters")
    build(posts, "with-filter", JINJA_FILTERS={"time_element": filters.time_element})
    module.write_text("def time_element(moment):\n    return 'SECONDFILTER'\n", encoding="utf-8")
    filters = importlib.reload(filters)
    kept = build(posts, "kept", JINJA_FILTERS={"time_element": filters.time_element})
    home = (kept / "index.html").read_text(encoding="utf-8")
    assert "SECONDFILTER" in home and "FIRSTFILTER" not in home
    matches_cold(posts, kept, JINJA_FILTERS={"time_element": filters.time_element})


def test_a_copy_syndicated_between_builds_is_linked_as_a_cold_build_links_it(posts):
    # Where a post was syndicated comes from the ledger, not from its file: a per-page attribute of the post.
    fields = {**post_fields(3), "Id": "2021-04-13-post-3"}
    posts.post("post-3", "Body of post 3 about wind, solar and storage.", **fields)
    build(posts, "with-id")
    ledger = Ledger.open(posts.root / "syndication/ledger.jsonl")
    ledger.begin(fields["Id"], "outbox", "key-1", "2026-11-25T10:00:00+00:00")
    ledger.complete(fields["Id"], "outbox", "remote-1", "https://social.example/@larkspur/SYNDICATEDMARKER")
    kept = build(posts, "kept")
    assert counts(posts)["kept"] > 0
    assert "SYNDICATEDMARKER" in (kept / "events/2021/post-number-3/index.html").read_text(encoding="utf-8")
    matches_cold(posts, kept)


def test_a_kept_page_never_shows_a_post_that_became_withheld(posts):
    # The attacker's case: nothing but the post's status changes, and its text is only in its body and its own
    # page. No kept page (its old page, a listing, the archive) may still carry it.
    posts.post("secret", "The body says BODYWITHHELDMARKER.", Title="A post that will be withdrawn")
    shown = build(posts, "shown")
    assert files_containing(shown, "BODYWITHHELDMARKER")
    posts.post("secret", "The body says BODYWITHHELDMARKER.", Title="A post that will be withdrawn", Status="draft")
    rebuilt = build(posts, "rebuilt")
    assert files_containing(rebuilt, "BODYWITHHELDMARKER") == []
    matches_cold(posts, rebuilt)


def test_a_kept_page_never_shows_a_post_whose_embargo_has_not_lifted_at_this_build(posts):
    # The same files, a build clock before the embargo (a preview built late, then a scheduled build re-run).
    posts.post("deal", "Terms: BODYEMBARGOMARKER.", Title="Acquisition", Date="2026-12-03 16:05 America/New_York")
    after = build(posts, "after", NEWSROOM_NOW="2026-12-03 21:05 UTC")
    assert files_containing(after, "BODYEMBARGOMARKER")
    before = build(posts, "before", NEWSROOM_NOW="2026-12-03 21:04 UTC")
    assert files_containing(before, "BODYEMBARGOMARKER") == []
    matches_cold(posts, before, NEWSROOM_NOW="2026-12-03 21:04 UTC")


def test_a_pages_own_variables_compare_as_the_site_encoding_compares_them(posts):
    """SiteInputs.encode_variable is a fast path for the kinds every page has: two values must come out equal
    by it exactly when they come out equal by the site's encoding, or a kept page could outlive a change."""
    from pelican import signals
    from pelican.paginator import Paginator
    from pelican.urlwrappers import Category

    from newsroom.site.kept_pages import kept_pages

    found = {}

    def take(pelican):
        found["site"], found["settings"] = kept_pages(pelican.settings).site, pelican.settings

    with signals.finalized.connected_to(take):
        build(posts, "out")
    site, settings = found["site"], found["settings"]
    articles = sorted(site.contents.values(), key=lambda content: str(content.source_path))
    articles = [content for content in articles if type(content).__name__ == "Article"]
    assert len(articles) >= 6
    first, second = articles[0], articles[1]
    paginated = [Paginator("index.html", "", chosen, settings).page(1) for chosen in (articles[:3], articles[2:5])]
    values = {
        "a post": first,
        "another post": second,
        "its category": first.category,
        "its category made anew": Category(first.category.name, settings),
        "another category": Category("Another Category", settings),
        "three posts": articles[:3],
        "the same three in a new list": list(articles[:3]),
        "the same three in a tuple": tuple(articles[:3]),
        "three posts, one other": articles[1:4],
        "the first page of three": paginated[0],
        "the first page of three made anew": Paginator("index.html", "", articles[:3], settings).page(1),
        "the first page of three others": paginated[1],
        "a word": "wind",
        "a number": 3,
        "nothing": None,
        "a mapping holding a post": {"post": first},
        "a mapping holding another": {"post": second},
    }
    for name, value in values.items():
        for other_name, other in values.items():
            fast = site.encode_variable(value, [], {}) == site.encode_variable(other, [], {})
            full = site.encode(value, [], {}) == site.encode(other, [], {})
            assert fast == full, f"{name} against {other_name}: the fast path says {fast}, the encoding {full}"
    # And it tells apart what it must (a test that always agreed by calling everything equal would pass above).
    assert site.encode_variable(first, [], {}) != site.encode_variable(second, [], {})
    assert site.encode_variable(articles[:3], [], {}) == site.encode_variable(list(articles[:3]), [], {})
    # A post the site has not met yet is new to the page, whether the page holds it alone or in a list: its state
    # is then part of the page's key (a list of them was registered before it was looked at, and never new).
    for holding in (lambda post: post, lambda post: [first, post], lambda post: (post,)):
        unmet = copy.copy(second)
        unmet.source_path = f"{second.source_path}.unmet-{id(holding)}"
        new: list = []
        site.encode_variable(holding(unmet), new, {})
        assert new == [unmet]
