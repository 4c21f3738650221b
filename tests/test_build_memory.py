"""What the build holds while it runs: the checks hold a few posts' texts at a time (checks/content_check.py), and each
post's body is read back whenever it is asked for (site/page_reads.py, site/text_store.py), never a stale copy."""

from __future__ import annotations

import tracemalloc

from pelican.contents import Article

from newsroom.checks.content_check import check_content
from newsroom.model.rendering import MarkdownRenderer
from newsroom.model.settings import load_newsroom
from newsroom.site.page_reads import install

WORDS = "Kessler Ridge adds 240 MW of wind to the grid, and its crews worked through the winter. "


def test_the_checks_hold_a_few_posts_texts_at_a_time(site):
    # 200 posts of ~42 KB: 8.2 MB of text. Checked all at once, every text is alive at the checks' peak.
    posts = 200
    for n in range(posts):
        site.post(f"post-{n:03}", body="\n\n".join([WORDS * 6] * 80), Title=f"Kessler Ridge part {n}")
    settings = site.settings()
    newsroom = load_newsroom(settings)
    total = sum(len(path.read_bytes()) for path in (site.content / "posts").iterdir())
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        problems, facts = check_content(settings, newsroom)  # as `invoke check`: no conversion kept for a reader
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert problems == [] and len(facts) == posts
    # A text at a time, the conversions made a few ahead, and every post's header: far below all the texts.
    assert peak < total / 4, f"the checks' peak was {peak / 2**20:.1f} MB for {total / 2**20:.1f} MB of posts"


def test_a_problem_in_a_posts_body_is_still_found_on_its_line(site):
    # The text is let go once its body is checked: what the checks report of it is found before that.
    site.post("clean", body="A clean body.", Title="A clean post")
    site.post("scripted", body="First line.\n\nSecond line <script>alert(1)</script>.")
    problems = site.check()
    assert any("scripted.md:9: body: <script>" in problem for problem in problems), problems


def body_held(article: Article):
    return article.__dict__["_content"]


def test_a_posts_body_is_held_as_utf8_and_read_back_as_written(site):
    install()
    settings = site.settings()
    for body in ("<p>“Kessler” — 240 MW</p>", "<p>风电场 🌬️</p>", "<p>lone \udc80 surrogate</p>", ""):
        article = Article(body, {"title": "Kessler"}, settings=settings)
        assert article.content == body and article._content == body
        if not body.isascii():
            assert body_held(article) == body.encode("utf-8", "surrogatepass")
    ascii_body = "<p>Plain ASCII is one byte a character already.</p>"
    assert body_held(Article(ascii_body, {"title": "Kessler"}, settings=settings)) is not None


def test_a_body_changed_after_it_was_read_is_read_as_changed(site):
    # Pelican memoised get_content: a body read once and changed after (as plugin.withdraw sets it to "") went
    # on giving the old text to every later reader.
    install()
    article = Article("<p>The original text, with a “quote”.</p>", {"title": "Kessler"}, settings=site.settings())
    assert "original text" in article.content
    article._content = ""
    assert article.content == ""
    article._content = "<p>Corrected {filename}/posts/x.md</p>"
    assert article.get_content("https://example.com").startswith("<p>Corrected")


def test_every_post_the_checks_convert_is_handed_to_the_reader_even_with_nothing_to_check(site):
    # A body with no link, image or HTML has nothing the body checks read; converted with the others, its
    # conversion still goes to the reader, which would otherwise convert it a second time.
    for n in range(3):
        site.post(f"plain-{n}", body=WORDS, Title=f"Plain post {n}")
    site.post("linked", body="See [the filing](https://example.com/filing.pdf).", Title="A linked post")
    settings = site.settings()
    newsroom = load_newsroom(settings)
    renderer = MarkdownRenderer(settings, newsroom.embed_hosts)
    problems, facts = check_content(settings, newsroom, renderer)
    assert problems == []
    assert sorted(renderer.rendered) == sorted(facts) and len(facts) == 4
    assert renderer.ready == {}


def test_a_body_with_an_intrasite_link_still_has_it_made_an_address(site):
    # get_content skips Pelican's replacement only where the link pattern matches nowhere in the body.
    site.post("results", Title="Third-quarter results", body="Revenue rose “sharply”.")
    site.post("call", Title="Results call", body="Read the [results]({filename}results.md) first.")
    output = site.build()
    page = (output / "news/2026/results-call/index.html").read_text(encoding="utf-8")
    assert 'href="https://' in page and "/news/2026/third-quarter-results/" in page and "{filename}" not in page
