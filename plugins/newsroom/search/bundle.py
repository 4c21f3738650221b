"""The same pages give the same search index files: Pagefind's filter files, made deterministic.

Pagefind (1.5) writes its word index and page fragments under names that are hashes of their content, but it
keeps filters in hash maps whose order changes from run to run: the values of each filter (the years, the
categories) come out in another order, so each filter file gets another name, the metadata file that lists them
another name, and pagefind-entry.json, which names the metadata file, changes too (and lists a multilingual
site's languages in another order). Every deploy then re-sent them
and no cache could keep them. This module puts those lists in order and names the rewritten files after their
content, so the bundle depends only on the pages indexed (and the order they were given in).

The files are gzip of b"pagefind_dcd" + CBOR; only the order of lists is changed, never a value, so Pagefind's
JavaScript reads them as before.
"""

from __future__ import annotations

import gzip
import hashlib
import json

import cbor2

from newsroom.kit.errors import NewsroomError

SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"
FILTERS_FIELD, SORTS_FIELD = 3, 4  # in the metadata file: [version, pages, index chunks, filters, sorts, meta keys]


class BundleFormatError(NewsroomError, ValueError):
    """The bundle is not laid out as this Pagefind version writes it."""


def canonical_bundle(files: dict[str, bytes]) -> dict[str, bytes | None]:
    """The changes that make a bundle deterministic: {path under the bundle: new bytes, or None to remove}.

    `files` holds pagefind-entry.json and every `*.pf_meta` and `filter/*.pf_filter` file, by path."""
    entry = json.loads(files[ENTRY])
    changes: dict[str, bytes | None] = {}
    for language in entry["languages"].values():
        meta_path = f"pagefind.{language['hash']}.pf_meta"
        meta = _decode(files, meta_path)
        prefix = language["hash"].split("_")[0] + "_"
        renamed = {}
        for name, filter_hash in meta[FILTERS_FIELD]:
            old_path = f"filter/{filter_hash}.pf_filter"
            filter_name, values = _decode(files, old_path)
            content = _encode([filter_name, sorted(values, key=lambda value: value[0])])
            renamed[name] = prefix + _digest(content, 7)
            changes[old_path] = None
            changes[f"filter/{renamed[name]}.pf_filter"] = content
        meta[FILTERS_FIELD] = sorted([name, renamed[name]] for name, _ in meta[FILTERS_FIELD])
        meta[SORTS_FIELD] = sorted(meta[SORTS_FIELD], key=lambda sort: sort[0])
        content = _encode(meta)
        new_hash = prefix + _digest(content, 10)
        changes[meta_path] = None
        changes[f"pagefind.{new_hash}.pf_meta"] = content
        language["hash"] = new_hash
    # A site in several languages: Pagefind lists them in hash-map order too (its JavaScript looks them up by name).
    entry["languages"] = dict(sorted(entry["languages"].items()))
    # Same layout as Pagefind writes it (compact, unescaped), so that an unchanged bundle stays byte-identical.
    changes[ENTRY] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    return changes


def make_deterministic(files: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle `files` ({path under the bundle: bytes}, as Pagefind made it) with canonical_bundle applied."""
    indexes = {name: files[name] for name in files if name == ENTRY or name.endswith((".pf_meta", ".pf_filter"))}
    changes = canonical_bundle(indexes)
    kept = {name: content for name, content in files.items() if name not in changes}
    return kept | {name: content for name, content in changes.items() if content is not None}


def _decode(files: dict[str, bytes], path: str):
    if path not in files:
        raise BundleFormatError(f"{path}: named by the index but not written (expected Pagefind 1.5's layout)")
    data = gzip.decompress(files[path])
    if not data.startswith(SIGNATURE):
        raise BundleFormatError(f"{path}: not a Pagefind index file (no {SIGNATURE.decode()} signature)")
    return cbor2.loads(data[len(SIGNATURE) :])


def _encode(value) -> bytes:
    # mtime=0: gzip stamps the time of compression into its header otherwise.
    return gzip.compress(SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)


def _digest(content: bytes, length: int) -> str:
    return hashlib.sha256(content).hexdigest()[:length]
