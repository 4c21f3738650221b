"""axe-core, run in Chromium on every page template of both editions: no serious or critical violations."""

from __future__ import annotations

from itertools import pairwise

import pytest

from browser.harness import BLOCKING_IMPACTS, describe_violations, page_url, run_axe
from browser.pages import RICH_ARTICLE, TEMPLATE_PAGES, representative_pages, structure_of


def blocking(violations: list[dict]) -> list[dict]:
    return [violation for violation in violations if violation["impact"] in BLOCKING_IMPACTS]


def test_template_pages_cover_what_they_claim(public_site):
    """The named pages exist, and the article stands for the richest article: image, correction and table."""
    for name, relative in TEMPLATE_PAGES.items():
        assert (public_site.output / relative).is_file(), f"{name}: {relative} was not built"
    article = (public_site.output / RICH_ARTICLE).read_text(encoding="utf-8")
    assert 'class="lead-image"' in article and 'class="corrections"' in article and "<table" in article


def test_no_serious_or_critical_violations_on_any_public_template(public_site, page):
    pages = representative_pages(public_site.output)
    found = {}
    for name, relative in pages.items():
        page.goto(public_site.url(page_url(relative)))
        problems = blocking(run_axe(page))
        if problems:
            found[f"{name} ({relative})"] = describe_violations(problems)
    report = "\n\n".join(f"{name}:\n{lines}" for name, lines in found.items())
    assert not found, f"axe found serious or critical problems on {len(found)} of {len(pages)} pages:\n{report}"


def test_no_serious_or_critical_violations_on_internal_only_pages(internal_site, public_site, page):
    """The intranet edition adds a banner, the employees' audience page and its posts: check each structure
    that the public edition does not have, and the internal home page with its banner."""
    public_structures = {
        structure_of((public_site.output / relative).read_text(encoding="utf-8"))
        for relative in representative_pages(public_site.output).values()
    }
    named = {"home": "index.html", "employees": "employees/index.html"}
    extra = {
        name: relative
        for name, relative in representative_pages(internal_site.output, named).items()
        if name in named
        or structure_of((internal_site.output / relative).read_text(encoding="utf-8")) not in public_structures
    }
    found = {}
    for name, relative in extra.items():
        # The browser editor's page (admin/) shows Decap's loader until its configuration has been fetched:
        # check the page its users use, once nothing is loading any more, not a moment of its start-up.
        page.goto(internal_site.url(page_url(relative)), wait_until="networkidle")
        # Decap may still be drawing its loader once the network is idle, on a loaded machine: wait until it is gone.
        page.wait_for_function("() => !document.querySelector('[class*=\"LoaderText\"]')", timeout=30_000)
        problems = blocking(run_axe(page))
        if problems:
            found[f"{name} ({relative})"] = describe_violations(problems)
    assert not found, "\n\n".join(f"{name}:\n{lines}" for name, lines in found.items())


def test_axe_reports_a_serious_violation_when_there_is_one(public_site, page):
    """The checker is wired up: a page with contrast too low and an image without alt text fails it."""
    page.goto(public_site.url("about/"))
    page.evaluate(
        """() => {
          const main = document.querySelector('main');
          main.insertAdjacentHTML('beforeend', '<p style="color:#bbb;background:#fff">Faint text</p><img src="x.png">');
        }"""
    )
    found = {violation["id"] for violation in blocking(run_axe(page))}
    assert {"color-contrast", "image-alt"} <= found


@pytest.mark.parametrize("relative", ["index.html", RICH_ARTICLE])
def test_landmarks_skip_link_and_one_h1(public_site, page, relative):
    """What axe's rules allow but the theme promises: a skip link first, that lands on <main>; banner, main
    and contentinfo landmarks; exactly one h1; headings never skip a level on the way down."""
    page.goto(public_site.url(page_url(relative)))
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    assert page.locator("body > header.site-header").count() == 1
    assert page.locator("main#main").count() == 1
    assert page.locator("body > footer.site-footer").count() == 1
    levels = page.eval_on_selector_all("h1, h2, h3, h4, h5, h6", "els => els.map(e => Number(e.tagName[1]))")
    assert levels.count(1) == 1 and levels[0] == 1, levels
    assert all(b - a <= 1 for a, b in pairwise(levels)), levels
