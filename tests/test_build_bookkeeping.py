"""What the build keeps once instead of working out again: a post's language versions grouped by Id in one pass
(site/translations.py), each post's addresses once they are fixed (site/addresses.py), and what it holds to the
end kept out of the garbage collector's full collections (site/collector.py). Each gives what Pelican's own way
gives, and lets go when the build ends."""

from __future__ import annotations

import gc
import random
import re
from collections import Counter
from datetime import datetime

import pelican.utils
import pytest
from pelican import signals
from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import process_translations

from conftest import kessler_in_english_and_french, run_invoke
from newsroom.site.addresses import install, keep, remember
from newsroom.site.build import BuildFailed
from newsroom.site.translations import versions_by_id


class _Post:
    """What Pelican's grouping reads of a post: its group, its language, its metadata, its path."""

    def __init__(self, number: int, shared_id: str, lang: str, metadata: dict):
        self.number, self.shared_id, self.lang, self.metadata = number, shared_id, lang, metadata
        self.in_default_lang = lang == "en"
        self.source_path = f"content/posts/{number}.md"

    def __repr__(self) -> str:
        return f"<post {self.number} {self.shared_id} {self.lang}>"


def _posts(seed: int) -> list[_Post]:
    """Groups of every shape: one version, several, two in one language, none in the default language, versions
    marked `Translation: true` (all of a group, or some), in shuffled order."""
    chosen = random.Random(seed)
    posts = []
    for group in range(60):
        for _ in range(chosen.choice((1, 1, 2, 2, 3))):
            metadata = {}
            if chosen.random() < 0.2:
                metadata["translation"] = chosen.choice(("true", "True", "false"))
            posts.append(_Post(len(posts), f"id-{group:02d}", chosen.choice(("en", "en", "fr", "de")), metadata))
    chosen.shuffle(posts)
    return posts


class _Warnings:
    """Pelican's logger in pelican.utils, as its grouping calls it (Pelican's log filter would drop the second
    run's warnings as repeats of the first's)."""

    def __init__(self):
        self.said = []

    def warning(self, message, *args):
        self.said.append(message % tuple(args))


@pytest.mark.parametrize("seed", range(6))
def test_grouping_by_id_gives_exactly_what_pelicans_grouping_gives(seed, monkeypatch):
    ours, theirs = _posts(seed), _posts(seed)
    monkeypatch.setattr(pelican.utils, "logger", _Warnings())
    pelican_originals, pelican_translations = process_translations(theirs, translation_id="shared_id")
    pelican_warnings = pelican.utils.logger.said
    monkeypatch.setattr(pelican.utils, "logger", _Warnings())
    originals, translations = versions_by_id(ours)
    warnings = pelican.utils.logger.said

    def numbers(posts):
        return [post.number for post in posts]

    assert numbers(originals) == numbers(pelican_originals)
    assert numbers(translations) == numbers(pelican_translations)
    assert numbers(ours) == numbers(theirs)  # the list is sorted in place by both
    by_number = {post.number: post for post in theirs}
    for post in ours:
        assert numbers(post.translations) == numbers(by_number[post.number].translations)
    assert warnings == pelican_warnings
    assert pelican_warnings, "the shapes above include groups Pelican warns about"


def _article(**metadata) -> Article:
    install()  # as the plugin does when Pelican loads it
    settings = {**DEFAULT_CONFIG, "ARTICLE_URL": "{category}/{date:%Y}/{slug}/"}
    settings["ARTICLE_SAVE_AS"] = settings["ARTICLE_URL"] + "index.html"
    fields = {"title": "Kessler Ridge", "date": datetime(2026, 6, 1), **metadata}
    return Article("<p>Body</p>", metadata=fields, settings=settings, source_path="content/posts/kessler.md")


def test_an_address_is_pelicans_until_remembered_then_the_remembered_one():
    article = _article()
    worked_out = article.get_url_setting("url")
    assert article.url == worked_out
    remember(article)
    article.slug = "renamed-after-the-build-fixed-it"
    assert (article.url, article.save_as) == (worked_out, worked_out + "index.html")
    keep(article, "fr/misc/2026/kessler-ridge/", "fr/misc/2026/kessler-ridge/index.html")
    assert article.url == "fr/misc/2026/kessler-ridge/"
    with pytest.raises(AttributeError):
        article.url = "elsewhere/"  # as with Pelican's property: an address is set through metadata or keep()


def test_an_unremembered_post_follows_its_metadata_as_in_pelican():
    article = _article()
    article.slug = "another-slug"
    assert article.url.endswith("/another-slug/")
    assert not hasattr(article, "override_url")


def test_a_translation_is_written_like_any_page_not_over_another(site):
    """A French version's address is its own, kept like an English post's: Pelican's writer still refuses a
    second page in its file (override_save_as would let it write over one), and either process may render it."""
    kessler_in_english_and_french(site, {"Id": "kessler-ridge"})
    seen = {}

    def written(path, context=None):
        article = (context or {}).get("article")
        if article is not None:
            seen[article.lang] = (article.url, hasattr(article, "override_save_as"))

    signals.content_written.connect(written)
    try:
        output = site.build(NEWSROOM_PARALLEL_RENDER=False)
    finally:
        signals.content_written.disconnect(written)
    assert seen["fr"][0].startswith("fr/") and seen["fr"][1] is False
    assert seen["en"][1] is False
    assert (output / seen["fr"][0] / "index.html").is_file()
    assert "Larkspur met en service" in (output / seen["fr"][0] / "index.html").read_text(encoding="utf-8")


def test_a_posts_address_is_the_one_the_checks_vetted_and_pelican_works_it_out_once_to_agree(site, monkeypatch):
    """The checks work out each post's address and file, and refuse two posts at one address or a link to a
    withheld one's: those addresses are the ones the site uses, from the moment Pelican makes the post. Pelican's
    own working out from ARTICLE_URL is done once per post, only to agree with them (it was done three times)."""
    kessler_in_english_and_french(site, {"Id": "kessler-ridge"})
    site.post("wind", Title="Wexford Falls wind")
    worked_out = []
    url_format = Article.url_format

    def counted(self):
        worked_out.append(self.source_path)
        return url_format.fget(self)

    monkeypatch.setattr(Article, "url_format", property(counted))
    output = site.build(NEWSROOM_PARALLEL_RENDER=False)
    assert sorted(Counter(worked_out).values()) == [1, 1, 1]  # each of the three posts, once
    for page in ("news/2026/wexford-falls-wind/index.html", "fr/news/2026/"):
        assert (output / page).exists(), page


def test_a_setting_that_makes_pelican_read_another_post_than_the_checks_stops_the_build(site):
    """A DEFAULT_METADATA status makes every post without one a draft to Pelican, which the checks read as
    published: Pelican would file it under drafts and the edition drop it. The build stops, naming the post."""
    site.post("wind", Title="Wexford Falls wind")
    with pytest.raises(BuildFailed, match=r"posts/wind\.md: Pelican gives this post the address 'drafts/"):
        site.build(DEFAULT_METADATA={"status": "draft"})


def test_what_the_build_holds_is_kept_out_of_full_collections_and_handed_back_at_the_end(site):
    site.post("kessler")
    frozen_while_writing = []

    def written(path, context=None):
        frozen_while_writing.append(gc.get_freeze_count())

    signals.content_written.connect(written)
    try:
        site.build(NEWSROOM_PARALLEL_RENDER=False)
    finally:
        signals.content_written.disconnect(written)
    assert frozen_while_writing and min(frozen_while_writing) > 1000  # the posts, the context, the checks' findings
    assert gc.get_freeze_count() == 0


def test_a_build_stopped_while_writing_hands_back_what_it_held(site):
    site.post("kessler")

    def break_the_build(path, context=None):
        raise RuntimeError("the disk went away")

    signals.content_written.connect(break_the_build)
    try:
        with pytest.raises(Exception, match="the disk went away"):
            site.build(NEWSROOM_PARALLEL_RENDER=False)
    finally:
        signals.content_written.disconnect(break_the_build)
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("grouping", [{}, {"ARTICLE_TRANSLATION_ID": None}], ids=["pelicans-default", "no-grouping"])
def test_posts_of_the_same_moment_are_listed_in_the_same_order_by_every_build(site, grouping):
    """Pelican finds the posts as a set of paths, whose order changes with each process's string hashing; posts
    dated the same minute must still be listed, fed and indexed in one order, or two builds of the same content
    differ (their listings, and the search index's pieces). Pelican's grouping by slug happened to sort them;
    without it (ARTICLE_TRANSLATION_ID = None) they were listed in the order each process found them."""
    for number in range(12):
        site.post(f"same-minute-{number:02d}", Title=f"Kessler Ridge update {number:02d}")
    settings = site.settings_file("publishconf.py", **grouping)
    builds = []
    for seed in ("1", "2", "3"):
        result = run_invoke("build", "--settings", str(settings), env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        home = (site.root / "output" / "index.html").read_text(encoding="utf-8")
        builds.append(re.findall(r"Kessler Ridge update \d\d", home))
    assert len(builds[0]) == 12
    assert builds[1] == builds[0] and builds[2] == builds[0]


# Imported by Python as it starts (on PYTHONPATH): an object in a reference cycle, held by this module to the end.
# As Python ends it clears its modules, and its last full collection frees the cycle, which says so; unless the
# command left what it holds to the system (collector.leave_to_the_system_at_exit). Written with os.write: by then
# sys.stdout may be gone.
FREED_AT_EXIT = """
import os

class Held:
    def __del__(self):
        os.write(1, b"freed one by one as Python ended\\n")

held = Held()
held.cycle = held
"""


@pytest.mark.parametrize("command", ["build", "preview"])
def test_a_command_that_builds_once_leaves_what_it_holds_to_the_system_as_it_ends(site, tmp_path, command):
    """`invoke build` and `invoke preview` end once the site is written: Python's last collection would go
    through everything the build held and free it object by object (a second at 5,000 posts), for memory the
    system takes back at once. `invoke check`, which builds nothing, ends as ever (the same cycle is freed)."""
    site.post("kessler")
    startup = tmp_path / "startup"
    startup.mkdir()
    (startup / "sitecustomize.py").write_text(FREED_AT_EXIT, encoding="utf-8")
    environment = {"PYTHONPATH": str(startup)}
    settings = str(site.settings_file("publishconf.py" if command == "preview" else "pelicanconf.py"))

    built = run_invoke(command, "--settings", settings, env=environment)
    checked = run_invoke("check", "--settings", settings, env=environment)

    assert built.returncode == 0, built.stderr
    assert "Built the public edition" in built.stdout
    assert "freed one by one" not in built.stdout
    assert checked.returncode == 0, checked.stderr
    assert "freed one by one as Python ended" in checked.stdout  # the cycle is there, and freed without the call
