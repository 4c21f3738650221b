"""The text of a generated benchmark post, in any language: sentences drawn from a vocabulary, and the body of a
press release (paragraphs, two headings, a list, a table, links) in the same shape whatever the language."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    """The words one language's posts are drawn from, and the fixed phrases of a post's body."""

    words: tuple[str, ...]
    key_facts: str  # the first heading
    next_steps: str  # the second heading
    read_more: str  # the closing links; {subject} is the post's subject, as the language writes it


def sentence(rng: random.Random, language: Language, low: int = 10, high: int = 22) -> str:
    text = " ".join(rng.choices(language.words, k=rng.randint(low, high)))
    return text[:1].upper() + text[1:] + "."


def paragraph(rng: random.Random, language: Language) -> str:
    return " ".join(sentence(rng, language) for _ in range(rng.randint(4, 6)))


def post_body(rng: random.Random, language: Language, place: str, subject: str) -> list[str]:
    """The blocks of a post's Markdown body, about 400 words (drawn in the order they are read)."""
    return [
        f"{place.upper()} — {paragraph(rng, language)}",
        paragraph(rng, language),
        f"## {language.key_facts}",
        "\n".join(f"- {sentence(rng, language, 5, 9)}" for _ in range(4)),
        "| | |\n|---|---|\n"
        + "\n".join(f"| {rng.choice(language.words)} | {rng.randint(2, 900)} MW |" for _ in range(3)),
        f"## {language.next_steps}",
        paragraph(rng, language) + " " + language.read_more.format(subject=subject),
        paragraph(rng, language),
    ]
