"""Every page template at desktop and phone widths: nothing scrolls sideways, and a screenshot of each is saved
in artifacts/screenshots/<width>/ (git-ignored) for a reviewer to look at."""

from __future__ import annotations

import shutil
import struct

import pytest

from browser.harness import ROOT, page_url
from browser.pages import representative_pages

SCREENSHOTS = ROOT / "artifacts" / "screenshots"
WIDTHS = {"desktop-1280": 1280, "mobile-375": 375, "mobile-320": 320}

# Set to the page size where the content is wider than the window (sideways scrolling), else 0.
OVERFLOW = """() => {
  const root = document.documentElement;
  const hidden = ['hidden', 'clip'].includes(getComputedStyle(document.body).overflowX)
              || ['hidden', 'clip'].includes(getComputedStyle(root).overflowX);
  const widest = Math.max(root.scrollWidth, document.body.scrollWidth);
  return {hidden, overflow: widest > root.clientWidth ? widest : 0};
}"""


def png_size(path) -> tuple[int, int]:
    with open(path, "rb") as file:
        header = file.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", header[16:24])


@pytest.mark.parametrize("label", WIDTHS)
def test_every_template_fits_the_window_and_is_photographed(public_site, internal_site, page, label):
    width = WIDTHS[label]
    folder = SCREENSHOTS / label
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    page.set_viewport_size({"width": width, "height": 900})
    pages = [(public_site, name, relative) for name, relative in representative_pages(public_site.output).items()]
    pages.append((internal_site, "internal-home", "index.html"))
    too_wide = []
    for site, name, relative in pages:
        page.goto(site.url(page_url(relative)))
        state = page.evaluate(OVERFLOW)
        assert not state["hidden"], "overflow-x: hidden on <html>/<body> would hide sideways scrolling, not fix it"
        if state["overflow"]:
            too_wide.append(f"{relative}: {state['overflow']}px wide in a {width}px window")
        shot = folder / (name.replace("like ", "").replace("/index.html", "").replace("/", "_") + ".png")
        page.screenshot(path=str(shot), full_page=True)
        assert png_size(shot)[0] == width
    assert not too_wide, "\n".join(too_wide)
