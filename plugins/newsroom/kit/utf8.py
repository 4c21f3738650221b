"""A text as UTF-8 bytes and back, the way the build holds and hashes texts.

A lone surrogate, which no file read as UTF-8 holds but a Python string can (a plugin's, a test's), is kept as
written rather than refused: what goes in comes back exactly.
"""

from __future__ import annotations


def utf8(text: str) -> bytes:
    return text.encode("utf-8", errors="surrogatepass")


def from_utf8(data: bytes) -> str:
    return data.decode("utf-8", errors="surrogatepass")
