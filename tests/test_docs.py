"""The docs hold together: every relative link and `#anchor` in README.md and docs/*.md leads somewhere (the file
exists, the anchor is a heading of it by GitHub's slug rules), and the README stays a short front page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from invoke import Collection

from conftest import ROOT

README_LIMIT = 8 * 1024  # bytes: what it is, the quick start, the map, the tasks; the rest is in docs/
FENCE = re.compile(r"^(```|~~~)")
HEADING = re.compile(r"^(#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
CODE_SPAN = re.compile(r"`+[^`\n]*`+")
LINK = re.compile(r"!?\[(?P<text>[^\]\n]*)\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # https:, mailto:, …


def prose_lines(text: str) -> list[tuple[int, str]]:
    """(number, line) of the lines outside fenced code, where a `#` starts a heading and `[x](y)` is a link."""
    lines, fenced = [], False
    for number, line in enumerate(text.splitlines(), start=1):
        if FENCE.match(line.strip()):
            fenced = not fenced
        elif not fenced:
            lines.append((number, line))
    return lines


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: its text as rendered, lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link shows its text
    text = text.replace("`", "").lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every anchor GitHub gives the headings of a Markdown file (a repeated heading gets -1, -2, …)."""
    seen: dict[str, int] = {}
    found = set()
    for _, line in prose_lines(path.read_text(encoding="utf-8")):
        match = HEADING.match(line)
        if not match:
            continue
        base = slug(match["text"])
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def broken_links(doc: Path) -> list[str]:
    """One line per relative link or anchor in `doc` that leads nowhere: `file:line: target: why`."""
    problems = []
    for number, line in prose_lines(doc.read_text(encoding="utf-8")):
        for match in LINK.finditer(CODE_SPAN.sub("", line)):
            target = match["target"]
            if EXTERNAL.match(target):
                continue
            path_part, _, anchor = target.partition("#")
            destination = (doc.parent / path_part).resolve() if path_part else doc
            if not destination.exists():
                problems.append(f"{doc.name}:{number}: {target}: no such file {path_part!r}")
            elif anchor and destination.suffix == ".md" and anchor not in anchors(destination):
                problems.append(f"{doc.name}:{number}: {target}: no heading #{anchor} in {destination.name}")
    return problems


DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_every_relative_link_and_anchor_leads_somewhere(doc):
    assert broken_links(doc) == []


def test_the_docs_by_reader_are_all_there_and_linked_from_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("writing", "disclosure", "feeds", "syndication", "operating", "development", "benchmarks"):
        assert (ROOT / f"docs/{name}.md").is_file(), name
        assert f"](docs/{name}.md)" in readme, name


def test_the_readme_names_every_invoke_task_and_no_other():
    import tasks  # the module `invoke --list` reads

    listed = set(re.findall(r"^\| `invoke ([a-z-]+)", (ROOT / "README.md").read_text(encoding="utf-8"), re.MULTILINE))
    assert listed == set(Collection.from_module(tasks).task_names)


def test_the_readme_is_a_short_front_page():
    size = len((ROOT / "README.md").read_bytes())
    assert size <= README_LIMIT, f"README.md is {size} bytes; move detail into docs/ (limit {README_LIMIT})"


def test_a_broken_link_or_anchor_is_caught(tmp_path):
    """The checks above can fail: a missing file, a missing anchor and a wrong slug are each reported."""
    (tmp_path / "other.md").write_text("# Other\n\n## Who sees what: the `allowlist` rule\n\n## Twice\n\n## Twice\n")
    doc = tmp_path / "doc.md"
    doc.write_text(
        "# Title\n\n"
        "[fine](other.md#who-sees-what-the-allowlist-rule) [second](other.md#twice-1) [self](#title)"
        " [web](https://example.com/x.md) `[in code](gone.md)`\n\n"
        "```sh\n[in a fence](gone.md)\n```\n\n"
        "[gone](missing.md) [no anchor](other.md#nowhere) [slug with colon](other.md#who-sees-what:-the-allowlist-rule)"
        " [self anchor](#nope)\n"
    )
    assert broken_links(doc) == [
        "doc.md:9: missing.md: no such file 'missing.md'",
        "doc.md:9: other.md#nowhere: no heading #nowhere in other.md",
        "doc.md:9: other.md#who-sees-what:-the-allowlist-rule: no heading #who-sees-what:-the-allowlist-rule in other.md",
        "doc.md:9: #nope: no heading #nope in doc.md",
    ]
