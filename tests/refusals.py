"""What the adversarial tests expect of a refusal: one line `<path>:<line>: <field>: <message>` naming a file
under content/, from `invoke check` and from a build that refuses to run, never a traceback."""

from __future__ import annotations

import re

import pytest

from newsroom.site.build import BuildFailed


def problems(site, **overrides) -> list[str]:
    """site.check(), failing the test (not erroring it) when the check crashes instead of reporting a line."""
    try:
        return site.check(**overrides)
    except Exception as error:  # a crash is exactly what these tests exist to catch
        pytest.fail(f"the check crashed instead of reporting a line: {type(error).__name__}: {error}")


def refused_build(site, **overrides) -> str:
    """The message of the BuildFailed the build must raise; fails the test on any other outcome."""
    try:
        output = site.build(**overrides)
    except BuildFailed as failure:
        message = str(failure)
        assert "Traceback" not in message, message
        return message
    except Exception as error:
        pytest.fail(f"the build crashed instead of refusing with a line: {type(error).__name__}: {error}")
    pytest.fail(f"the build ran and wrote {output} instead of refusing")


def lines_naming(lines: list[str] | str, relative: str, field: str) -> list[str]:
    """The problem lines about content/<relative> with this field (lower-case), whatever its line number."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    pattern = re.compile(rf"(?:^|/)content/{re.escape(relative)}:(\d+): {re.escape(field)}: \S")
    return [line for line in lines if pattern.search(line)]


def line_number(line: str, relative: str) -> int:
    return int(re.search(rf"content/{re.escape(relative)}:(\d+): ", line).group(1))


BODY_LINE = 7  # a TinySite post's body starts here: after VALID_POST's five header lines and the blank line


def body_lines_naming(found: list[str], name: str, body: str) -> list[str]:
    """The `body` problem lines about posts/<name>.md, each of which must point into `body` (its lines from
    BODY_LINE on); fails the test when there is none, showing what was said about the post instead."""
    named = lines_naming(found, f"posts/{name}.md", "body")
    assert named, [line for line in found if f"/{name}.md" in line] or "no line at all about this post"
    last = BODY_LINE + body.count("\n")
    assert all(BODY_LINE <= line_number(line, f"posts/{name}.md") <= last for line in named), named
    return named
