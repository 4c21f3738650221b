"""A drawing opened on its own (a link in a post, "open image in new tab", the page's og:image) is a document no
page's Content-Security-Policy covers: whatever it loads from another site tells that site who opened it, and a
style sheet there could change what the published chart shows after review. So a drawing loads nothing from
another site, however the address is written: an <image>, a <use> or a filter's <feImage>, a style sheet's
@import or url(), a paint server in fill=, CSS escapes spelling any of them."""

from __future__ import annotations

import pytest
from test_safety_fresh_eyes import EDITOR_SVG, NAMESPACES, referenced_by_a_public_post, write

from newsroom.model.svg_drawing import drawing_problems
from refusals import lines_naming, problems, refused_build

TRACKER = "https://tracker.example"


def drawing(inside: str, root_attributes: str = "") -> str:
    return f"<svg {NAMESPACES} {root_attributes} width='96' height='96'>{inside}<rect width='9' height='9'/></svg>"


# name -> a drawing that, opened on its own, fetches something from tracker.example
LOADS_FROM_ELSEWHERE = {
    "image-href": drawing(f"<image href='{TRACKER}/p.png' width='1' height='1'/>"),
    "image-xlink-href": drawing(f"<image xlink:href='{TRACKER}/p.png' width='1' height='1'/>"),
    "image-scheme-relative": drawing("<image href='//tracker.example/p.png' width='1' height='1'/>"),
    "image-backslashes": drawing("<image href='\\\\tracker.example\\p.png' width='1' height='1'/>"),
    "use-another-file": drawing(f"<use href='{TRACKER}/sprites.svg#turbine'/>"),
    "fe-image": drawing(f"<filter id='f'><feImage href='{TRACKER}/p.png'/></filter>"),
    "style-import": drawing(f"<style>@import url('{TRACKER}/style.css');</style>"),
    "style-import-string": drawing(f"<style>@import '{TRACKER}/style.css';</style>"),
    "style-url": drawing(f"<style>rect {{ fill: url({TRACKER}/fill.svg#g) }}</style>"),
    "style-url-escaped": drawing(f"<style>rect {{ fill: u\\72l({TRACKER}/fill.svg#g) }}</style>"),
    "style-url-hex-escapes": drawing(f"<style>rect {{ fill: \\75\\72\\6c ({TRACKER}/fill.svg#g) }}</style>"),
    "style-after-a-comment": drawing(f"<style>rect {{}}<!-- a note -->@import url({TRACKER}/s.css);</style>"),
    "style-in-cdata": drawing(f'<style><![CDATA[rect {{ fill: url("{TRACKER}/f.svg#g") }}]]></style>'),
    "style-image-set": drawing(f"<style>rect {{ fill: image-set('{TRACKER}/p.png' 1x) }}</style>"),
    "style-font-face": drawing(f"<style>@font-face {{ font-family: x; src: url({TRACKER}/x.woff) }}</style>"),
    "style-attribute": drawing(f"<rect style='fill: url({TRACKER}/fill.svg#g)' width='9' height='9'/>"),
    "fill-attribute": drawing(f"<rect fill='url({TRACKER}/fill.svg#g)' width='9' height='9'/>"),
    "cursor-attribute": drawing("", f"cursor='url({TRACKER}/c.png), auto'"),
    "filter-attribute": drawing(f"<rect filter='url(\"{TRACKER}/f.svg#blur\")' width='9' height='9'/>"),
}
# What a drawing may load: a #part of itself, a picture embedded in it, a file of this site; and link anywhere.
LOADS_ITS_OWN = drawing(
    "<defs><linearGradient id='sky'><stop offset='0'/></linearGradient></defs>"
    "<style>rect { fill: url( '#sky' ) } .a { font-family: '\\5FAE\\8F6F\\96C5\\9ED1' }</style>"
    "<rect style='fill:url(#sky)' filter='url(\"#sky\")' width='9' height='9'/>"
    "<image href='/images/photo.png' width='1' height='1'/><image href='photo.png' width='1' height='1'/>"
    f"<a href='{TRACKER}/about'><text>Larkspur</text></a>"
)


@pytest.mark.parametrize("name", LOADS_FROM_ELSEWHERE)
def test_a_drawing_that_loads_from_another_site_is_refused_by_the_check_and_the_build(site, name):
    relative = f"images/chart-{name}.svg"
    write(site, relative, LOADS_FROM_ELSEWHERE[name])
    referenced_by_a_public_post(site, relative)
    found = problems(site)
    assert lines_naming(found, relative, "file"), found
    assert lines_naming(refused_build(site), relative, "file")


@pytest.mark.parametrize("name", LOADS_FROM_ELSEWHERE)
def test_each_line_names_what_loads(name):
    (line,) = drawing_problems(LOADS_FROM_ELSEWHERE[name].encode())
    assert "tracker.example" in line or "@import" in line or "image-set" in line or "@font-face" in line, line


def test_a_drawing_that_loads_only_its_own_parts_and_this_sites_files_passes():
    assert drawing_problems(LOADS_ITS_OWN.encode()) == []
    assert drawing_problems(EDITOR_SVG.encode()) == []
