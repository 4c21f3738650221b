"""A post's header and body as the checks read them (model/frontmatter.py): the body is what follows the header,
whichever way the header ends, and the common case holds no second copy of the post's text."""

from __future__ import annotations

import random

import pytest

from newsroom.model.frontmatter import parse_document


@pytest.mark.parametrize(
    ("text", "body", "body_line"),
    [
        ("Title: A\nDate: 2026-01-02\n\nFirst line.\n\nSecond — line.\n", "First line.\n\nSecond — line.\n", 4),
        ("Title: A\r\nDate: 2026-01-02\r\n\r\nWindows line ends.\r\n", "Windows line ends.", 4),
        ("---\nTitle: A\n---\nAfter the fence.\n", "After the fence.", 4),
        ("Title: A\n    continued\n\nBody\n", "Body\n", 4),
        ("Title: A\nnot a field\n\nBody\n", "not a field\n\nBody", 2),
        ("Title: A\n\n", "", 3),
        ("Just a body, no header.\n\nMore.", "Just a body, no header.\n\nMore.", 1),
        ("", "", 1),
    ],
)
def test_the_body_is_what_follows_the_header(text, body, body_line):
    doc = parse_document(text)
    assert (doc.body, doc.body_line) == (body, body_line)


def test_the_body_of_a_common_post_is_not_a_second_copy_of_its_text():
    text = "Title: A\nDate: 2026-01-02\n\n" + "Wind — and sun. " * 500
    doc = parse_document(text)
    assert doc._source is text
    assert doc.body == text[text.index("\n\n") + 2 :]


def test_every_line_of_the_body_is_numbered_as_in_the_file():
    """body_line + n is the file's line of the body's line n, for headers of any length (the checks' line
    numbers depend on it)."""
    rng = random.Random(6)
    for _ in range(200):
        header = [f"Field{n}: value {n}" for n in range(rng.randint(0, 6))]
        body = [rng.choice(["text", "", "Key: not a field here", "— dash"]) for _ in range(rng.randint(1, 8))]
        text = "\n".join([*header, "", *body]) if header else "\n".join(body)
        doc = parse_document(text)
        lines = text.split("\n")
        for offset, line in enumerate(doc.body.split("\n")):
            assert lines[doc.body_line - 1 + offset] == line
