"""Telling GitHub Actions what a publish did: step outputs, the job summary, and error annotations.
Each is a no-op outside Actions (the variables are not set)."""

from __future__ import annotations

import re
from collections.abc import Mapping


def set_outputs(environ: Mapping[str, str], values: Mapping[str, str]) -> None:
    """Step outputs (`steps.<id>.outputs.<name>`), e.g. whether there is anything to upload to Pages."""
    _append(environ.get("GITHUB_OUTPUT"), "".join(f"{name}={value}\n" for name, value in values.items()))


def add_summary(environ: Mapping[str, str], title: str, lines: list[str]) -> None:
    """A section of the job summary: what reviewers and comms staff read on the run's page."""
    body = "\n".join(lines).replace("```", "'''")
    _append(environ.get("GITHUB_STEP_SUMMARY"), f"### {title}\n\n```text\n{body}\n```\n\n")


def error_annotation(environ: Mapping[str, str], title: str, message: str) -> str | None:
    """A workflow command that shows `message` as an error on the run's page, or None outside Actions."""
    if environ.get("GITHUB_ACTIONS") != "true":
        return None
    # Workflow commands end at a newline; '%' must be escaped first.
    escaped = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::error title={title}::{escaped}"


_PROBLEM = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+): (?P<field>[^:]+): (?P<message>.*)$")


def problem_annotation(environ: Mapping[str, str], problem: str) -> str | None:
    """A content problem ("path:line: field: message") as a workflow command that GitHub shows on that line of
    the pull request's diff, or None outside Actions (or for a line of another shape)."""
    match = _PROBLEM.match(problem)
    if environ.get("GITHUB_ACTIONS") != "true" or not match:
        return None
    escaped = match["message"].replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    file = match["file"].replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
    return f"::error file={file},line={match['line']},title={match['field']}::{escaped}"


def _append(path: str | None, text: str) -> None:
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)
