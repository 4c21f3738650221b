"""Validate every feed a build wrote with the W3C Feed Validation Service, run offline from a checkout.

The validator is not on PyPI and is not part of this repository. Check it out anywhere outside the repository,
give it a scratch virtualenv with lxml, html5lib and rdflib, and run this script with that virtualenv's Python:

    FEEDVALIDATOR_PATH=/tmp/feedvalidator /tmp/fv-venv/bin/python tests/tools/validate_feeds.py output

It checks RSS, Atom and OPML files as the online service does (errors and warnings: its "AA" level), each
as if fetched from its public address (SITEURL + path), so a wrong rel="self" link is reported too. The W3C
service does not know JSON Feed; for .json files this script checks the JSON Feed 1.1 required fields.
Exit status 0 only when every file has 0 errors and 0 warnings.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_validator(checkout: Path):
    sys.path.insert(0, str(checkout / "src"))
    import feedvalidator
    from feedvalidator import compatibility
    from feedvalidator.formatter.text_plain import Formatter

    return feedvalidator, compatibility, Formatter


def check_xml(path: Path, url: str, validator) -> tuple[list[str], list[str]]:
    feedvalidator, compatibility, formatter = validator
    try:
        result = feedvalidator.validateStream(io.BytesIO(path.read_bytes()), firstOccurrenceOnly=0, base=url)
        events = result["loggedEvents"]
    except feedvalidator.logging.ValidationFailure as failure:
        events = [failure.event]
    output = formatter(compatibility.AA(events))
    return output.getErrors(), output.getWarnings()


def check_json_feed(path: Path, url: str) -> tuple[list[str], list[str]]:
    errors = []
    try:
        feed = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        return [f"not JSON: {error}"], []
    if feed.get("version") != "https://jsonfeed.org/version/1.1":
        errors.append(f"version is {feed.get('version')!r}")
    if not isinstance(feed.get("title"), str) or not feed["title"]:
        errors.append("missing title")
    if feed.get("feed_url") != url:
        errors.append(f"feed_url {feed.get('feed_url')!r} is not where the feed is published ({url})")
    if not isinstance(feed.get("items"), list):
        errors.append("missing items")
    for index, item in enumerate(feed.get("items", [])):
        if not isinstance(item.get("id"), str) or not item["id"]:
            errors.append(f"items[{index}] has no id")
        if not (item.get("content_html") or item.get("content_text")):
            errors.append(f"items[{index}] has neither content_html nor content_text")
    return errors, []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, nargs="?", default=ROOT / "output", help="the built site")
    parser.add_argument("--site-url", help="public address of the site (default: SITEURL from publishconf.py)")
    args = parser.parse_args()

    checkout = os.environ.get("FEEDVALIDATOR_PATH")
    if not checkout or not (Path(checkout) / "src" / "feedvalidator").is_dir():
        print("Set FEEDVALIDATOR_PATH to a checkout of github.com/w3c/feedvalidator.", file=sys.stderr)
        return 2
    validator = load_validator(Path(checkout))
    site_url = (args.site_url or runpy.run_path(str(ROOT / "publishconf.py"))["SITEURL"]).rstrip("/")

    files = sorted(p for p in (args.output / "feeds").rglob("*") if p.is_file())
    if not files:
        print(f"No feeds under {args.output / 'feeds'}; build the site first (invoke preview).", file=sys.stderr)
        return 2
    total_errors = total_warnings = 0
    for path in files:
        relative = path.relative_to(args.output).as_posix()
        url = f"{site_url}/{relative}"
        if path.suffix == ".json":
            errors, warnings = check_json_feed(path, url)
            kind = "JSON Feed 1.1 checks"
        else:
            errors, warnings = check_xml(path, url, validator)
            kind = "W3C validator"
        total_errors += len(errors)
        total_warnings += len(warnings)
        print(f"{relative}: {len(errors)} errors, {len(warnings)} warnings ({kind})")
        for line in errors + warnings:
            print(f"    {line}")
    print(f"{len(files)} files: {total_errors} errors, {total_warnings} warnings")
    return 1 if total_errors or total_warnings else 0


if __name__ == "__main__":
    sys.exit(main())
