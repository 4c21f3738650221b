"""The Nu HTML Checker (vnu.jar) on every page both editions generate, and on the theme's CSS: 0 errors."""

from __future__ import annotations

import shutil

from browser.harness import ROOT, validate_html


def errors_in(messages: list[dict]) -> list[str]:
    return [
        f"{m.get('url', '?').split('/output-')[-1]}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]


def test_every_generated_page_of_both_editions_is_valid_html(browser_tools, public_site, internal_site):
    assert len(public_site.pages) >= 50 and len(internal_site.pages) > len(public_site.pages)
    messages = validate_html([public_site.output, internal_site.output])
    errors = errors_in(messages)
    assert not errors, f"{len(errors)} HTML error(s):\n" + "\n".join(errors[:50])


def test_the_theme_stylesheets_are_valid_css(browser_tools, tmp_path):
    css = tmp_path / "css"
    shutil.copytree(ROOT / "theme" / "static" / "css", css)
    stylesheets = sorted(css.glob("*.css"))
    assert len(stylesheets) >= 2
    errors = errors_in(validate_html(stylesheets, ("--css",)))
    assert not errors, "\n".join(errors)


def test_the_checker_reports_invalid_html(browser_tools, tmp_path):
    """The checker is wired up: duplicate ids and a <div> inside a <span> are HTML errors; an unknown property
    is a CSS error."""
    (tmp_path / "bad.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
        '<body><p id="a">x</p><p id="a">y</p><span><div>block in inline</div></span></body></html>',
        encoding="utf-8",
    )
    errors = errors_in(validate_html([tmp_path]))
    assert len(errors) >= 2, errors
    (tmp_path / "bad.css").write_text("a { colr: red; }\n", encoding="utf-8")
    assert errors_in(validate_html([tmp_path / "bad.css"], ("--css",)))
