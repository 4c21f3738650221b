"""A setting of the wrong shape, written by the site's owner into the settings file, is one line naming the setting
and a non-zero exit from whichever command reads it first, never a traceback; and an edition's entry that does not
say where it writes can never build that edition into the public site's folder."""

from __future__ import annotations

import pytest

from conftest import run_invoke


def settings_file(site, conf: str = "pelicanconf.py", **extra):
    """The tiny site's settings file, with `extra` written at its end as its owner would write them."""
    path = site.settings_file(conf)
    with path.open("a", encoding="utf-8") as file:
        for key, value in extra.items():
            file.write(f"{key} = {value!r}\n")
    return path


def refused(done, *words: str) -> str:
    said = done.stdout + done.stderr
    assert "Traceback" not in said, said[-1500:]
    assert done.returncode != 0, said[-600:]
    for word in words:
        assert word in said, said[-600:]
    return said


CHANNEL = {"name": "outbox", "type": "outbox", "audiences": ["media"], "folder": "outbox"}
PUBLISH = {"target": {"type": "github-pages", "folder": "_site"}, "state": {"store": "local"}, "source": None}
# name -> (command, the settings file it starts from, the bad settings, what the one line must name)
CASES = {
    "languages-a-number": ("build", "pelicanconf.py", {"NEWSROOM_LANGUAGES": 5}, "NEWSROOM_LANGUAGES"),
    "editions-none": ("build --internal", "pelicanconf.py", {"NEWSROOM_EDITIONS": None}, "NEWSROOM_EDITIONS"),
    "editions-entry-a-string": (
        "build --internal",
        "pelicanconf.py",
        {"NEWSROOM_EDITIONS": {"internal": "output-internal"}},
        "NEWSROOM_EDITIONS['internal']",
    ),
    "editions-a-list": ("preview", "publishconf.py", {"NEWSROOM_EDITIONS": ["internal"]}, "NEWSROOM_EDITIONS"),
    "editions-output-a-number": (
        "preview",
        "publishconf.py",
        {"NEWSROOM_EDITIONS": {"internal": {"OUTPUT_PATH": 5}}},
        "NEWSROOM_EDITIONS['internal'].OUTPUT_PATH",
    ),
    "editions-unknown-edition": (
        "check",
        "pelicanconf.py",
        {"NEWSROOM_EDITIONS": {"intranet": {"OUTPUT_PATH": "output-intranet"}}},
        "NEWSROOM_EDITIONS['intranet']: unknown edition (expected one of: internal, embargo-preview)",
    ),
    "ledger-none": ("preview", "publishconf.py", {"SYNDICATION_LEDGER": None}, "SYNDICATION_LEDGER"),
    "ledger-a-number": ("syndicate --status", "publishconf.py", {"SYNDICATION_LEDGER": 5}, "SYNDICATION_LEDGER"),
    "channel-type-a-list": (
        "preview",
        "publishconf.py",
        {"SYNDICATION_CHANNELS": [{**CHANNEL, "type": ["outbox"]}]},
        "SYNDICATION_CHANNELS[0].type",
    ),
    "channel-audience-a-list": (
        "preview",
        "publishconf.py",
        {"SYNDICATION_CHANNELS": [{**CHANNEL, "audiences": [["media"]]}]},
        "SYNDICATION_CHANNELS[0].audiences",
    ),
    "publish-target-type-a-list": (
        "publish --dry-run",
        "publishconf.py",
        {"NEWSROOM_PUBLISH": {**PUBLISH, "target": {"type": ["s3"]}}},
        "NEWSROOM_PUBLISH.target.type",
    ),
}


@pytest.mark.parametrize("command, conf, bad, name", CASES.values(), ids=CASES.keys())
def test_a_setting_of_the_wrong_shape_is_one_line_not_a_traceback(site, command, conf, bad, name):
    site.post("fine")
    refused(run_invoke(*command.split(), "--settings", str(settings_file(site, conf, **bad))), name)


@pytest.mark.parametrize(
    "entry, named",
    [
        ({"OUTPUT_PTH": "output-internal"}, "NEWSROOM_EDITIONS['internal'].OUTPUT_PTH: unknown setting (did you mean"),
        ({"OUTPUT_PATH": "output"}, "NEWSROOM_EDITIONS['internal'].OUTPUT_PATH:"),
        ({"OUTPUT_PATH": "output/intranet"}, "the internal edition would be published with it"),
        ({"SITEURL": "https://intranet.example"}, "NEWSROOM_EDITIONS['internal'].OUTPUT_PATH: None"),
    ],
)
def test_an_internal_edition_that_would_write_into_the_public_site_is_refused_and_writes_nothing(site, entry, named):
    site.post("fine")
    site.post("staff", "STAFFONLYMARKER", Title="Staff canteen closes early", Audience="employees")
    path = settings_file(site, NEWSROOM_EDITIONS={"internal": entry})
    refused(run_invoke("build", "--internal", "--settings", str(path)), named)
    assert not (site.root / "output").exists() or not any(
        "STAFFONLYMARKER" in page.read_text(errors="replace") for page in (site.root / "output").rglob("*.html")
    )


BUILD_REFUSES = {
    "unknown-channel-type": {"SYNDICATION_CHANNELS": [{"name": "outbox", "type": "mastadon", "audiences": ["media"]}]},
    "channel-unknown-audience": {
        "SYNDICATION_CHANNELS": [{"name": "outbox", "type": "outbox", "audiences": ["press"], "folder": "outbox"}]
    },
    "editor-repo-not-owner-name": {"NEWSROOM_EDITOR": {"repo": "not a repo"}},
}


@pytest.mark.parametrize("bad", BUILD_REFUSES.values(), ids=BUILD_REFUSES.keys())
def test_invoke_check_refuses_every_setting_the_build_refuses(site, bad):
    """The pull request's gate is `invoke check`: a setting it passes and the merge's build refuses stops the
    publish after the review, when nobody is looking."""
    site.post("fine")
    path = settings_file(site, "publishconf.py", **bad)
    built = run_invoke("build", "--settings", str(path))
    assert built.returncode != 0 and "settings are invalid" in built.stderr
    refused(run_invoke("check", "--settings", str(path)), next(iter(bad)))


@pytest.mark.parametrize("clock", [0, False, [], 1733400000, "yesterday"])
def test_a_newsroom_clock_that_is_not_a_time_is_refused_not_taken_for_the_real_one(site, clock):
    """NEWSROOM_NOW decides what is embargoed: a value taken for "unset" would build on the real clock."""
    site.post("fine")
    refused(run_invoke("check", "--settings", str(settings_file(site, NEWSROOM_NOW=clock))), "NEWSROOM_NOW")


PELICAN = {
    "path-missing-check": (
        "check",
        "pelicanconf.py",
        {"PATH": "no-such-folder"},
        "PATH: 'no-such-folder' is not a folder",
    ),
    "path-missing-build": (
        "build",
        "pelicanconf.py",
        {"PATH": "no-such-folder"},
        "PATH: 'no-such-folder' is not a folder",
    ),
    "default-lang-a-number": ("build", "pelicanconf.py", {"DEFAULT_LANG": 5}, "DEFAULT_LANG: 5 must be a language tag"),
    "default-lang-not-a-tag": ("check", "pelicanconf.py", {"DEFAULT_LANG": "english"}, "DEFAULT_LANG: 'english'"),
    "siteurl-without-scheme": ("preview", "publishconf.py", {"SITEURL": "newsroom.example.com"}, "SITEURL:"),
    "siteurl-not-ascii": (
        "check",
        "publishconf.py",
        {"SITEURL": "https://bücher.example/presse"},
        "write the host in its ASCII form, e.g. 'https://xn--bcher-kva.example/presse'",
    ),
    "static-paths-a-string": (
        "build",
        "pelicanconf.py",
        {"STATIC_PATHS": "images"},
        "STATIC_PATHS: 'images' is a string",
    ),
    "ignore-files-a-string": ("check", "pelicanconf.py", {"IGNORE_FILES": ".*"}, "IGNORE_FILES: '.*' is a string"),
    # Pelican failed on the first post with "Could not process", naming neither the setting nor the value.
    "timezone-unknown": ("build", "pelicanconf.py", {"TIMEZONE": "Mars/Olympus"}, "TIMEZONE: 'Mars/Olympus' is not"),
    "timezone-a-number": ("check", "pelicanconf.py", {"TIMEZONE": -5}, "TIMEZONE: -5 is not a time zone"),
    # A string stopped the build with a TypeError traceback; 0 or a negative number was silently no pagination.
    "pagination-a-string": ("build", "pelicanconf.py", {"DEFAULT_PAGINATION": "12"}, "DEFAULT_PAGINATION: '12'"),
    "pagination-zero": ("build", "pelicanconf.py", {"DEFAULT_PAGINATION": 0}, "DEFAULT_PAGINATION: 0 is not"),
    "pagination-negative": ("check", "pelicanconf.py", {"DEFAULT_PAGINATION": -3}, "DEFAULT_PAGINATION: -3 is not"),
    # Pelican's other home for a page's size: a string was the same TypeError traceback.
    "pagination-of-a-template-a-string": (
        "build",
        "pelicanconf.py",
        {"PAGINATED_TEMPLATES": {"index": "12", "tag": None, "category": None, "author": None}},
        "PAGINATED_TEMPLATES: 'index': '12' is not a number of posts per listing page",
    ),
    "paginated-templates-a-list": (
        "check",
        "pelicanconf.py",
        {"PAGINATED_TEMPLATES": ["index"]},
        "PAGINATED_TEMPLATES: ['index'] is not a table of templates",
    ),
    # The newsroom links a post's language versions by Id, and turns Pelican's grouping off: a value would be ignored.
    "translation-id-set": (
        "build",
        "pelicanconf.py",
        {"ARTICLE_TRANSLATION_ID": "id"},
        "ARTICLE_TRANSLATION_ID: 'id' is not used",
    ),
}


@pytest.mark.parametrize("command, conf, bad, said", PELICAN.values(), ids=PELICAN.keys())
def test_a_pelican_setting_the_newsroom_cannot_build_with_is_one_line(site, command, conf, bad, said):
    """Pelican stopped with a traceback (a missing content folder, a DEFAULT_LANG that is not text), or took the
    value as it was (a SITEURL without scheme), or replaced a list given as a string by its default with a warning
    in the log: the setting the owner wrote was ignored."""
    site.post("fine")
    refused(run_invoke(*command.split(), "--settings", str(settings_file(site, conf, **bad))), said)


def test_an_output_folder_inside_the_content_folder_is_refused_before_anything_is_written_there(site):
    site.post("fine")
    path = settings_file(site, OUTPUT_PATH=str(site.content / "posts" / "out"))
    refused(run_invoke("build", "--settings", str(path)), "OUTPUT_PATH:", "inside the content folder")
    assert not (site.content / "posts" / "out").exists()


def test_a_mistake_in_the_settings_files_python_is_one_line_naming_the_file(site):
    site.post("fine")
    path = site.settings_file("pelicanconf.py")
    path.write_text(path.read_text() + "\nNEWSROOM_CAP = undefined_name\n")
    said = refused(run_invoke("check", "--settings", str(path)), f"{path}: Pelican cannot read it (NameError")
    assert len([line for line in said.splitlines() if line.strip()]) <= 3, said
