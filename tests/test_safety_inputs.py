"""Inputs the site cannot trust, tried as a careless or compromised author would: links and special files in
content/, header fields given twice, unsafe slugs and ids, unknown templates, untouched scaffolds and mistyped
settings. Each is refused with one line naming the file (or setting) and field, and never with a traceback."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import threading
import time
import uuid
from pathlib import Path

import pytest

from conftest import VALID_POST, files_containing, run_invoke
from newsroom.checks.scaffold import scaffold_post
from newsroom.model.dates import parse_timestamp
from newsroom.model.settings import load_newsroom
from refusals import line_number, lines_naming, problems, refused_build

# --- files: only regular files inside content/ are read --------------------------------------------------


@pytest.fixture
def secret(tmp_path_factory) -> tuple[Path, str]:
    """A file outside the project, as a build machine's token file would be: its bytes must never be published."""
    words = f"SECRETBYTES{uuid.uuid4().hex}"
    path = tmp_path_factory.mktemp("outside") / "token.txt"
    path.write_text(f"GITHUB_TOKEN={words}\n", encoding="utf-8")
    return path, words


def post_text(title: str, body: str) -> str:
    """A valid post's text: read as a post, it would be published."""
    header = "\n".join(f"{key}: {value}" for key, value in {**VALID_POST, "Title": title}.items())
    return f"{header}\n\n{body}\n"


def _outside_post(secret_path: Path, words: str) -> Path:
    """A valid post outside content/ whose text is the secret: linked in, it would be published as an article."""
    post = secret_path.with_name("outside.md")
    post.write_text(post_text(f"Leaked {words}", words), encoding="utf-8")
    return post


def _outside_folder(secret_path: Path, words: str) -> Path:
    folder = secret_path.with_name("vault")
    folder.mkdir(exist_ok=True)
    (folder / "chart.svg").write_text(f"<svg><title>{words}</title></svg>", encoding="utf-8")
    return folder


def assert_refused_as_a_file(site, relative: str, wording: str, words: str) -> None:
    """One `file` line about content/<relative> from the check, the same from the build, and no secret out."""
    found = problems(site)
    lines = lines_naming(found, relative, "file")
    assert len(lines) == 1 and wording in lines[0], found
    message = refused_build(site)
    assert lines_naming(message, relative, "file"), message
    output = site.root / "output"
    assert not output.exists() or files_containing(output, words) == []


# (where the link is under content/, what it points at); the secret's words must never reach the output.
SYMLINKS = {
    "image-to-a-secret-outside": ("images/chart.svg", lambda site, path, words: path),
    "download-to-a-secret-outside": ("downloads/press-kit.txt", lambda site, path, words: path),
    "download-to-etc-hostname": ("downloads/hostname.txt", lambda site, path, words: Path("/etc/hostname")),
    "download-to-the-build-environment": ("downloads/env.txt", lambda site, path, words: Path("/proc/self/environ")),
    "post-to-a-markdown-file-outside": ("posts/linked.md", lambda site, path, words: _outside_post(path, words)),
    "page-to-a-markdown-file-outside": ("pages/about.md", lambda site, path, words: _outside_post(path, words)),
    "images-folder-to-a-folder-outside": ("images/vault", lambda site, path, words: _outside_folder(path, words)),
    "image-to-another-file-inside-content": (
        "images/alias.svg",
        lambda site, path, words: site.content / "images/real.svg",
    ),
}


@pytest.mark.parametrize("link, target", SYMLINKS.values(), ids=SYMLINKS.keys())
def test_a_symbolic_link_in_content_is_refused_naming_the_link(site, secret, link, target):
    secret_path, words = secret
    site.post("fine")
    site.file("images/real.svg", f"<svg><title>{words}</title></svg>")
    (site.content / link).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target(site, secret_path, words), site.content / link)

    assert_refused_as_a_file(site, link, "symbolic link", words)


@contextlib.contextmanager
def feeding(fifo: Path, data: bytes):
    """Whoever opens `fifo` for reading gets `data` (so a reader that should not be there gets a secret rather
    than hanging the suite); the feeder never blocks when nobody reads."""
    stop = threading.Event()

    def feed():
        while not stop.is_set():
            try:
                descriptor = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as error:
                if error.errno != errno.ENXIO:  # ENXIO: no reader yet
                    raise
                time.sleep(0.01)
                continue
            with contextlib.suppress(OSError):
                os.write(descriptor, data)
            os.close(descriptor)
            time.sleep(0.05)

    thread = threading.Thread(target=feed, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


@pytest.mark.parametrize("relative", ["downloads/feed.txt", "images/pipe.svg", "posts/pipe.md"])
def test_a_named_pipe_in_content_is_refused_as_not_a_regular_file(site, relative, secret):
    _, words = secret
    site.post("fine")
    fifo = site.content / relative
    fifo.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(fifo)
    with feeding(fifo, post_text(f"Piped {words}", words).encode()):
        assert_refused_as_a_file(site, relative, "not a regular file", words)


@pytest.mark.parametrize("name", ["note.txt", "old.rst", "release.docx", "statement.textile", "results.MD"])
def test_a_post_in_a_format_no_reader_handles_is_refused_not_dropped(site, name):
    site.post("fine")
    site.file(f"posts/{name}", "Title: Quarterly results\nDate: 2026-06-01 10:00 UTC\n\nRevenue rose.\n")
    found = problems(site)
    assert len(lines_naming(found, f"posts/{name}", "file")) == 1, found


def test_a_post_starting_with_a_byte_order_mark_is_read_like_any_other(site):
    path = site.post("bom", Title="Larkspur starts Halvorsen dam survey")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    lines = problems(site)
    assert lines == [], lines
    assert (site.build() / "news/2026/larkspur-starts-halvorsen-dam-survey/index.html").is_file()


# --- headers ---------------------------------------------------------------------------------------------


def write_post(site, name: str, header: list[tuple[str, str]], body: str = "The body of the post.") -> Path:
    """content/posts/<name>.md with exactly these header lines, in this order (repeats allowed)."""
    lines = [f"{key}: {value}" for key, value in header]
    return site.file(f"posts/{name}.md", "\n".join(lines) + "\n\n" + body + "\n")


BASE_HEADER = list(VALID_POST.items())  # Title 1, Date 2, Audience 3, Category 4, Summary 5

# field -> (header lines added after the base header, the two line numbers carrying the field)
REPEATED = {
    "title": ([("Title", "A second headline")], (1, 6)),
    "date": ([("Date", "2026-06-02 10:00 UTC")], (2, 6)),
    "summary": ([("Summary", "A second summary.")], (5, 6)),
    "withdrawn": (
        [
            ("Withdrawn", "2026-11-02 10:00 UTC | Withdrawn at the request of the court."),
            ("Withdrawn", "2026-11-03 10:00 UTC | Withdrawn again."),
        ],
        (6, 7),
    ),
    "tags": ([("Tags", "wind"), ("Tags", "earnings")], (6, 7)),
    "author": ([("Author", "Dana Okafor"), ("Author", "Marcus Lindqvist")], (6, 7)),
    "image-alt": (
        [("Image", "{static}/images/logo.svg"), ("Image-Alt", "The logo"), ("Image-Alt", "Another logo")],
        (7, 8),
    ),
    "syndicate-text": ([("Syndicate-Text", "First text."), ("Syndicate-Text", "Second text.")], (6, 7)),
    "slug": ([("Slug", "first-slug"), ("Slug", "second-slug")], (6, 7)),
}


@pytest.mark.parametrize("field", REPEATED)
def test_a_field_given_twice_is_refused_naming_both_lines(site, field):
    site.file("images/logo.svg", "<svg/>")
    extra, (first, second) = REPEATED[field]
    write_post(site, "p", BASE_HEADER + extra)
    lines = lines_naming(problems(site), "posts/p.md", field)
    assert len(lines) == 1, problems(site)
    message = lines[0].split(f": {field}: ", 1)[1]
    assert all(re.search(rf"\b{number}\b", message) for number in (first, second)), lines[0]


def test_several_corrections_stay_accepted_one_per_line(site):
    write_post(
        site,
        "p",
        [
            *BASE_HEADER,
            ("Correction", "2026-06-02 10:00 UTC | The capacity is 240 MW, not 204 MW."),
            ("Correction", "2026-06-03 10:00 UTC | The site is in Maine."),
        ],
    )
    assert problems(site) == []


@pytest.mark.parametrize("field", ["title", "summary", "withdrawn"])
def test_the_build_refuses_a_repeated_field_with_the_line_instead_of_a_traceback(site, field):
    extra, _ = REPEATED[field]
    write_post(site, "p", BASE_HEADER + extra)
    message = refused_build(site)
    assert lines_naming(message, "posts/p.md", field), message


def test_invoke_check_names_a_repeated_summary_and_exits_non_zero(site):
    write_post(site, "p", [*BASE_HEADER, ("Summary", "A second summary.")])
    result = run_invoke("check", "--settings", str(site.settings_file()))
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert lines_naming(result.stderr, "posts/p.md", "summary"), result.stderr


@pytest.mark.parametrize(
    "key, value",
    [
        ("Slug", "../../investors"),
        ("Slug", "a/b"),
        ("Slug", "/etc/cron.d"),
        ("Slug", ".."),
        ("Id", "../x"),
        ("Id", "a/../b"),
    ],
)
def test_a_slug_or_id_that_is_a_path_is_refused(site, key, value):
    site.post("p", **{key: value})
    lines = lines_naming(problems(site), "posts/p.md", key.lower())
    assert len(lines) == 1 and value in lines[0], problems(site)
    assert line_number(lines[0], "posts/p.md") == 6


def test_a_slug_that_climbs_out_cannot_overwrite_the_investors_page(site):
    site.post("p", Title="Profit warning", Slug="../../investors")
    message = refused_build(site)
    assert lines_naming(message, "posts/p.md", "slug"), message
    assert not (site.root / "output" / "index.html").exists()  # refused before anything was written
    assert not (site.root / "investors").exists()


def test_a_template_that_does_not_exist_is_refused(site):
    site.post("p", Template="nonexistent")
    lines = lines_naming(problems(site), "posts/p.md", "template")
    assert len(lines) == 1 and "nonexistent" in lines[0], problems(site)
    assert lines_naming(refused_build(site), "posts/p.md", "template")


def test_an_untouched_scaffold_is_refused_once_it_stops_being_a_draft(site):
    settings = site.settings()
    relative, text = scaffold_post(
        "Larkspur names new chief financial officer",
        ("media",),
        "News",
        parse_timestamp("2026-11-20 09:00 UTC"),
        load_newsroom(settings),
        "new-cfo",
    )
    draft = site.file(relative, text)
    assert problems(site) == []  # a fresh draft passes, as `invoke new` promises

    draft.write_text("".join(line for line in text.splitlines(True) if line != "Status: draft\n"), encoding="utf-8")
    lines = problems(site)
    relative_to_content = draft.relative_to(site.content).as_posix()
    assert lines_naming(lines, relative_to_content, "summary"), lines
    assert lines_naming(lines, relative_to_content, "body"), lines


# --- settings --------------------------------------------------------------------------------------------

AUDIENCES_MISSPELT = [{"slug": "media", "name": "Media", "description": "Journalists."}]

# overrides -> words the one line about them must contain
BAD_SETTINGS = {
    "checks-not-a-dict": ({"NEWSROOM_CHECKS": 5}, ["NEWSROOM_CHECKS"]),
    "checks-length-as-text": ({"NEWSROOM_CHECKS": {"summary_max_length": "300"}}, ["summary_max_length"]),
    "audiences-misspelt": (
        {"NEWSROOM_AUDIENCE": AUDIENCES_MISSPELT},
        ["NEWSROOM_AUDIENCE", "did you mean", "NEWSROOM_AUDIENCES"],
    ),
    "preview-drafts-misspelt": (
        {"NEWSROOM_PREVEIW_DRAFTS": False},
        ["NEWSROOM_PREVEIW_DRAFTS", "did you mean", "NEWSROOM_PREVIEW_DRAFTS"],
    ),
    "syndication-cap-misspelt": ({"SYNDICATION_CAPP": 3}, ["SYNDICATION_CAPP", "did you mean", "SYNDICATION_CAP"]),
    "preview-drafts-as-text": ({"NEWSROOM_PREVIEW_DRAFTS": "no"}, ["NEWSROOM_PREVIEW_DRAFTS", "True or False"]),
}


def _settings_lines(lines: list[str], words: list[str]) -> list[str]:
    """The lines naming the setting: its name as written, then the other words in any case."""
    name, *others = words
    return [line for line in lines if name in line and all(word.lower() in line.lower() for word in others)]


@pytest.mark.parametrize("overrides, words", BAD_SETTINGS.values(), ids=BAD_SETTINGS.keys())
def test_a_bad_setting_is_one_line_from_the_check_and_from_the_build(site, overrides, words):
    site.post("fine")
    lines = _settings_lines(problems(site, **overrides), words)
    assert len(lines) == 1, problems(site, **overrides)

    message = refused_build(site, **overrides)
    assert _settings_lines(message.splitlines(), words), message


def test_invoke_check_reports_a_bad_setting_without_a_traceback(site):
    site.post("fine")
    result = run_invoke("check", "--settings", str(site.settings_file(NEWSROOM_CHECKS=5)))
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert "NEWSROOM_CHECKS" in result.stderr
