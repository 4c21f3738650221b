"""The page `invoke livereload` shows instead of the site while the last rebuild failed, until a good one.

A failed rebuild leaves the previous site on disk, so the browser would go on showing it as if the change had
worked. Instead every page shows the build's own error lines (the same ones the terminal prints).
"""

from __future__ import annotations

from html import escape


def error_page(message: str) -> str:
    """A complete HTML page listing the build's error lines, every one escaped."""
    lines = "\n".join(escape(line) for line in message.splitlines()) or "The build failed."
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>Build failed | invoke livereload</title>\n"
        "<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1f24}"
        "pre{white-space:pre-wrap;background:#fff4e0;border-left:4px solid #8a4b00;padding:1rem}</style>\n"
        "</head>\n<body>\n"
        "<main>\n<h1>The last build failed</h1>\n"
        "<p>Fix the problem below and save: this page reloads with the site once a build succeeds.</p>\n"
        f'<pre id="build-error">{lines}</pre>\n'
        "</main>\n</body>\n</html>\n"
    )
