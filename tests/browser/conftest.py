"""Fixtures for browser tests: the sample newsroom built with production settings and served on 127.0.0.1,
and Debian's Chromium driven by Playwright. Package-scoped: built, served and launched once for tests/browser.

    def test_something(public_site, page):
        page.goto(public_site.url("subscribe/"))

`public_site` / `internal_site` are ServedSite values (output folder, base URL, every HTML page); `page` is a
fresh tab at 1280x900 that records every response of 400 or more in `page.failed_responses`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from browser.harness import LoopbackServer, build_sample_site, html_pages, launch_chromium, missing_tools, page_url


@dataclass(frozen=True)
class ServedSite:
    """One edition of the sample newsroom, built and being served."""

    edition: str
    output: Path
    base_url: str

    def url(self, relative: str = "") -> str:
        return f"{self.base_url}/{relative.lstrip('/')}"

    @property
    def pages(self) -> list[str]:
        """Every HTML file, relative to the output folder."""
        return html_pages(self.output)

    def page_urls(self) -> list[str]:
        return [self.url(page_url(page)) for page in self.pages]


@pytest.fixture(scope="package")
def browser_tools() -> None:
    """Fail (never skip) with the remedy when Chromium, axe-core, vnu.jar or Java is missing."""
    missing = missing_tools()
    if missing:
        pytest.fail("browser tests need tools that are not installed:\n" + "\n".join(missing), pytrace=False)


def _served(tmp_path_factory, edition: str):
    server = LoopbackServer()
    try:
        output = build_sample_site(tmp_path_factory.mktemp(f"site-{edition}"), edition, server.base_url)
        server.serve(output)
        yield ServedSite(edition, output, server.base_url)
    finally:
        server.close()


@pytest.fixture(scope="package")
def public_site(tmp_path_factory) -> ServedSite:
    """The public edition, as `invoke preview` builds it, served with SITEURL = its loopback address."""
    yield from _served(tmp_path_factory, "public")


@pytest.fixture(scope="package")
def internal_site(tmp_path_factory) -> ServedSite:
    """The internal (intranet) edition, as `invoke preview --internal` builds it."""
    yield from _served(tmp_path_factory, "internal")


@pytest.fixture(scope="package")
def chromium(browser_tools, tmp_path_factory):
    """A Playwright BrowserContext of Debian's Chromium with a fresh profile. Package scope: Playwright's sync
    API marks an event loop as running between calls, which tests elsewhere that use asyncio must not see."""
    with sync_playwright() as playwright:
        context = launch_chromium(playwright, tmp_path_factory.mktemp("chromium-profile"))
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(chromium):
    """A fresh tab at desktop size; `page.failed_responses` lists 'STATUS URL' for every response >= 400."""
    tab = chromium.new_page()
    tab.set_viewport_size({"width": 1280, "height": 900})
    tab.failed_responses = []
    tab.on("response", lambda r: r.status >= 400 and tab.failed_responses.append(f"{r.status} {r.url}"))
    yield tab
    tab.close()
