"""The browser editor's two contracts: its configuration follows the settings, and its post format writes the
newsroom's header exactly as a person following docs/writing.md would (and every existing post back byte for byte).

The format is the JavaScript the editor runs (editor/admin/header-format.js), run here by Node."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pelican.settings import read_settings
from pelican.utils import slugify

from newsroom.editor.config import LocalProxy, config_text, editor_config, editor_settings
from newsroom.editor.local import LocalEditorError, ensure_clean
from newsroom.editor.transliteration import TABLE_FILE, transliteration_js
from newsroom.kit.settings import SettingsProblems
from newsroom.model.fields import POST_FIELDS
from newsroom.model.settings import load_newsroom
from newsroom.syndication.config import load_config

ROOT = Path(__file__).resolve().parent.parent
FORMAT = ROOT / "editor" / "admin" / "header-format.js"
POSTS = sorted((ROOT / "content" / "posts").rglob("*.md"))


def run_format(script: str, payload) -> object:
    """Run `script` in Node with the editor's format as `H` and `input` as the payload; returns its JSON."""
    node = shutil.which("node")
    assert node, "node is not installed (the editor and the local Bluesky server need Node.js 20 or later)"
    program = f"const H = require({str(FORMAT)!r}); const input = JSON.parse(require('fs').readFileSync(0));\n"
    program += f"process.stdout.write(JSON.stringify((() => {{ {script} }})()));"
    result = subprocess.run([node, "-e", program], input=json.dumps(payload), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def sample_settings(**overrides) -> dict:
    return read_settings(str(ROOT / "pelicanconf.py"), override=overrides)


def sample_config(settings: dict | None = None) -> dict:
    settings = settings or sample_settings()
    newsroom = load_newsroom(settings)
    channels = [channel.name for channel in load_config(settings, newsroom).channels]
    return editor_config(newsroom, settings, editor_settings(settings), channels=channels)


def field(config: dict, name: str) -> dict:
    return next(f for f in config["collections"][0]["fields"] if f["name"] == name)


# --- The format ---------------------------------------------------------------------------------------------


def test_every_post_in_the_repository_is_written_back_byte_for_byte():
    texts = {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8") for path in POSTS}
    assert len(texts) >= 20
    # The data goes through JSON on its way back, as it does through the editor's store.
    written = run_format(
        "const out = {}; for (const [p, t] of Object.entries(input)) "
        "out[p] = H.toFile(JSON.parse(JSON.stringify(H.fromFile(t)))); return out;",
        texts,
    )
    assert [path for path in texts if written[path] != texts[path]] == []


def test_a_new_post_is_written_in_the_readme_order_with_one_line_per_correction():
    post = {
        "title": "Larkspur Energy prices its first green bond",
        "date": {"time": "2026-12-10 16:05", "zone": "America/Chicago"},
        "audience": ["investors", "media"],
        "category": "Press releases",
        "summary": "Larkspur priced $500 million of green bonds due 2036.",
        "image": {"src": "{static}/images/green-bond.svg", "alt": "A green bond certificate", "credit": ""},
        "contact": ["investor-relations"],
        "material": True,
        "correction": [
            {"time": "2026-12-11 09:00", "zone": "America/Chicago", "text": "The bonds are due 2036, not 2035."},
            {"time": "2026-12-12 10:30", "zone": "UTC", "text": "The coupon is 4.1%."},
        ],
        "no_syndication": False,
        "status": "published",
        "body": "Larkspur Energy priced its first green bond.\n",
    }
    text = run_format("input.id = H.newPostId(input); return H.toFile(input);", post)
    assert text == (
        "Title: Larkspur Energy prices its first green bond\n"
        "Id: 2026-12-10-larkspur-energy-prices-its-first-green-bond\n"
        "Date: 2026-12-10 16:05 America/Chicago\n"
        "Audience: investors, media\n"
        "Category: Press releases\n"
        "Summary: Larkspur priced $500 million of green bonds due 2036.\n"
        "Image: {static}/images/green-bond.svg\n"
        "Image-Alt: A green bond certificate\n"
        "Contact: investor-relations\n"
        "Correction: 2026-12-11 09:00 America/Chicago | The bonds are due 2036, not 2035.\n"
        "Correction: 2026-12-12 10:30 UTC | The coupon is 4.1%.\n"
        "Material: yes\n"
        "\n"
        "Larkspur Energy priced its first green bond.\n"
    )


def test_the_formats_field_order_is_the_guides():
    names = run_format("return H.FIELDS;", None)
    assert names == [spec.name for spec in POST_FIELDS if "<" not in spec.name]


def test_a_line_break_typed_into_a_field_cannot_add_a_header_field():
    post = {
        "title": "Quarterly update\nStatus: published",
        "date": {"time": "2026-12-10 16:05", "zone": "UTC\nMaterial: yes"},
        "summary": "One.\r\nAudience: employees",
        "correction": [{"time": "2026-12-11 09:00", "zone": "UTC", "text": "Fixed\n\nInjected body"}],
        "body": "Text\n",
    }
    header = run_format("return H.toFile(input);", post).split("\n\n", 1)[0].splitlines()
    assert [line.split(":", 1)[0] for line in header] == ["Title", "Date", "Summary", "Correction"]


def test_changing_one_field_of_an_existing_post_changes_only_its_line():
    path = ROOT / "content" / "posts" / "2026" / "2026-10-29-q3-results.md"
    original = path.read_text(encoding="utf-8")
    changed = run_format(
        "const d = H.fromFile(input); d.image.alt = 'Revenue chart'; "
        "d.withdrawn = [{time: '2026-11-02 10:00', zone: 'America/New_York', text: 'Withdrawn at the court\\'s request.'}];"
        "return H.toFile(d);",
        original,
    )
    removed = [line for line in original.splitlines() if line not in changed.splitlines()]
    added = [line for line in changed.splitlines() if line not in original.splitlines()]
    assert [line.split(":")[0] for line in removed] == ["Image-Alt"]
    assert added == [
        "Withdrawn: 2026-11-02 10:00 America/New_York | Withdrawn at the court's request.",
        "Image-Alt: Revenue chart",
    ]
    assert changed.split("\n\n", 1)[1] == original.split("\n\n", 1)[1]  # the story, untouched


def test_fields_the_editor_does_not_know_are_kept_where_they_were():
    text = "Title: T\nLang: fr\nSyndicate-Text-mastodon: Hi\nAudience:\n    investors\n    media\n\nBody\n"
    written = run_format("const d = H.fromFile(input); d.title = 'New'; return H.toFile(d);", text)
    assert written == "Title: New\nLang: fr\nSyndicate-Text-mastodon: Hi\nAudience:\n    investors\n    media\n\nBody\n"


# --- The configuration ----------------------------------------------------------------------------------------


def test_the_configuration_offers_exactly_the_configured_audiences_categories_and_contacts():
    config = sample_config()
    newsroom = load_newsroom(sample_settings())
    assert [o["value"] for o in field(config, "audience")["options"]] == [a.slug for a in newsroom.audiences]
    assert [o["value"] for o in field(config, "category")["options"]] == [c.name for c in newsroom.categories]
    assert [o["value"] for o in field(config, "contact")["options"]] == [c.key for c in newsroom.contacts]
    assert field(config, "summary")["pattern"][0] == "^.{1,300}$"
    assert config["backend"] == {
        "name": "github",
        "repo": "larkspur-energy/newsroom",
        "branch": "main",
        "squash_merges": True,
    }
    assert config["publish_mode"] == "editorial_workflow"
    assert "local_backend" not in config  # only `invoke edit` adds the local proxy


def test_the_configuration_changes_when_an_audience_or_a_category_is_added():
    settings = sample_settings()
    before = config_text(sample_config(settings))
    added = sample_settings(
        NEWSROOM_AUDIENCES=[
            *settings["NEWSROOM_AUDIENCES"],
            {
                "slug": "suppliers",
                "name": "Suppliers",
                "description": "Companies we buy from.",
                "translations": {"fr": {"name": "Fournisseurs", "description": "Nos fournisseurs."}},
            },
        ],
        NEWSROOM_CATEGORIES=[
            *settings["NEWSROOM_CATEGORIES"],
            {
                "slug": "supplier-notices",
                "name": "Supplier notices",
                "description": "For suppliers.",
                "translations": {"fr": {"name": "Avis aux fournisseurs", "description": "Pour nos fournisseurs."}},
            },
        ],
    )
    after = sample_config(added)
    assert config_text(after) != before
    assert {"label": "Suppliers", "value": "suppliers"} in field(after, "audience")["options"]
    assert {"label": "Supplier notices", "value": "Supplier notices"} in field(after, "category")["options"]


def test_the_editor_writes_only_under_content():
    config = sample_config()
    posts = config["collections"][0]
    for path in (config["media_folder"], posts["folder"], posts["media_folder"].lstrip("/")):
        assert path.startswith("content/"), path
    assert ".." not in json.dumps(config)


def test_invoke_edit_points_the_editor_at_the_local_proxy_and_the_checked_out_branch():
    settings = sample_settings()
    proxy = LocalProxy(url="http://127.0.0.1:8081/api/v1", branch="my-work")
    config = editor_config(load_newsroom(settings), settings, editor_settings(settings), proxy)
    assert config["local_backend"] == {"url": proxy.url, "allowed_hosts": ["127.0.0.1", "localhost"]}
    assert config["backend"]["branch"] == "my-work"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"repo": "larkspur"}, "NEWSROOM_EDITOR.repo: 'larkspur' is not a GitHub repository (expected 'owner/name')"),
        ({"repo": "a/b", "branch": ""}, "NEWSROOM_EDITOR.branch: '' must name the branch"),
        ({"repo": "a/b", "base_url": "http://auth"}, "NEWSROOM_EDITOR.base_url: 'http://auth' must be the OAuth"),
        ({"repo": "a/b", "brnach": "x"}, "NEWSROOM_EDITOR: unknown key 'brnach' (did you mean 'branch'?)"),
        (["a/b"], "NEWSROOM_EDITOR: ['a/b'] must be a dictionary"),
    ],
)
def test_editor_settings_mistakes_are_named(value, message):
    with pytest.raises(SettingsProblems) as raised:
        editor_settings({"NEWSROOM_EDITOR": value})
    assert message in str(raised.value)


def test_a_newsroom_without_editor_settings_has_no_editor():
    assert editor_settings({}) is None


def test_invoke_edit_refuses_a_working_tree_with_uncommitted_changes(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    ensure_clean(tmp_path)  # an empty, clean repository is fine
    (tmp_path / "notes.txt").write_text("unrelated work in progress\n", encoding="utf-8")
    with pytest.raises(LocalEditorError) as raised:
        ensure_clean(tmp_path)
    assert "notes.txt" in str(raised.value) and "commit or stash them first" in str(raised.value)


# --- The editions ----------------------------------------------------------------------------------------------


def test_admin_is_written_into_the_internal_edition_only(tmp_path):
    from newsroom.editor.page import cms_files
    from newsroom.site.build import build, load_settings

    assert cms_files(), "Decap CMS is not installed: run `bash editor/install.sh` (or `invoke test`, which runs it)"
    outputs = {}
    for edition in ("public", "internal"):
        output = tmp_path / edition
        paths = {"OUTPUT_PATH": str(output), "CACHE_PATH": str(tmp_path / f"cache-{edition}")}
        overrides = {**paths, "NEWSROOM_EDITIONS": {edition: paths}} if edition != "public" else paths
        settings = load_settings(ROOT / "pelicanconf.py", overrides, edition=edition)
        build({**settings, "PATH": str(ROOT / "content"), "THEME": str(ROOT / "theme")})
        outputs[edition] = (output, settings)
    public, _ = outputs["public"]
    internal, internal_settings = outputs["internal"]
    assert not (public / "admin").exists()
    assert not [path for path in public.rglob("*") if "decap" in path.name or path.name == "config.yml"]
    assert (internal / "admin" / "decap-cms.js").is_file()
    written = (internal / "admin" / "config.yml").read_text(encoding="utf-8")
    assert json.loads(written) == sample_config(internal_settings)


def test_per_channel_texts_offer_the_configured_channels_only():
    without_channels = sample_config(sample_settings(SYNDICATION_CHANNELS=[]))
    assert "syndicate_texts" not in [f["name"] for f in without_channels["collections"][0]["fields"]]
    ir = {"name": "ir-desk", "type": "outbox", "audiences": ["investors"], "folder": "outbox/ir"}
    media = {"name": "media-desk", "type": "outbox", "audiences": ["media"], "folder": "outbox/media"}
    settings = sample_settings(SYNDICATION_CHANNELS=[ir, media])
    channel = field(sample_config(settings), "syndicate_texts")["fields"][0]
    assert channel["options"] == ["ir-desk", "media-desk"]
    # A channel the syndication settings refuse is never offered: the configuration is not made at all.
    with pytest.raises(SettingsProblems, match=r"SYNDICATION_CHANNELS\[1\]: 'not a channel' must be a dictionary"):
        sample_config(sample_settings(SYNDICATION_CHANNELS=[ir, "not a channel"]))


# --- A new post's Id -------------------------------------------------------------------------------------------

DAY = {"time": "2026-10-29 16:05", "zone": "America/New_York"}


def slug_pattern() -> str:
    """The Slug field's pattern, as the form gets it (config.yml)."""
    pattern = field(sample_config(), "slug").get("pattern")
    assert pattern, "the Slug field has no pattern: the form takes any slug"
    return pattern[0]


def editor_ids(posts: list[dict]) -> list[str]:
    """The Id newsroom-editor.js gives each new post on first save (header-format.js's newPostId), with the Slug
    field's pattern from the configuration, as the Title field checks it."""
    rule = slug_pattern()
    return run_format("return input.posts.map((post) => H.newPostId({...post, date: input.day}, input.rule));",
                      {"posts": posts, "day": DAY, "rule": rule})  # fmt: skip


def invoke_new_id(title: str) -> str:
    """The Id `invoke new` gives (tasks.py): the day, then Pelican's slug of the title with the site's settings."""
    return "2026-10-29-" + slugify(title, regex_subs=sample_settings()["SLUG_REGEX_SUBSTITUTIONS"])


SPELLED_TITLES = [
    "Larkspur reports third-quarter results",
    "Αποτελέσματα τρίτου τριμήνου",  # Greek
    "Итоги третьего квартала",  # Russian
    "Ærø wind farm opens",  # Danish: Æ is AE, not nothing
    "Œuvre sociale & Straße",  # French and German: Œ is OE, ß is ss
    "Crème brûlée — 50% off… “today”",  # accents, dashes, ellipsis, quotes, percent
    "Q3 ½-year ２０２６ ™",  # fractions, full-width digits, symbols
    "  Spaces\tand\u00a0non-breaking spaces  ",
    "שלום עולם and مرحبا",  # Hebrew and Arabic
]


def test_the_editors_id_is_the_one_invoke_new_gives():
    """docs/writing.md: the Id is made from the date and the title, as `invoke new` makes it. The editor spells
    each character as Unidecode does (Pelican's slugify), so a Greek or Cyrillic title, or a Latin one with Æ or ß,
    gets the same Id in the browser as on the command line."""
    assert editor_ids([{"title": title} for title in SPELLED_TITLES]) == [invoke_new_id(t) for t in SPELLED_TITLES]


def test_a_title_the_editor_cannot_spell_gives_no_id_rather_than_another():
    """Past the table (Chinese, emoji), or with markup Pelican would strip first, the editor cannot know the Id
    `invoke new` gives: it gives none, and the Title field asks for a Slug, rather than an Id that differs or
    is empty (a file named `.md`, which no build reads)."""
    titles = ["第三季度业绩", "Results 🎉", "<b>Bold</b> results", "Tom &amp; Jerry", "……"]
    assert editor_ids([{"title": title} for title in titles]) == [""] * len(titles)
    # A Slug gives the Id instead.
    assert editor_ids([{"title": "第三季度业绩", "slug": "q3-results-china"}]) == ["2026-10-29-q3-results-china"]


def test_the_editors_transliteration_is_unidecodes_own():
    """editor/admin/transliteration.js is written from Unidecode, never by hand: after an upgrade it must be
    written again, or the editor and `invoke new` would drift apart."""
    assert TABLE_FILE.read_text(encoding="ascii") == transliteration_js(), (
        "editor/admin/transliteration.js is stale: run .venv/bin/python -m newsroom.editor.transliteration"
    )


def test_a_post_with_a_greek_title_gets_a_file_the_checks_read_and_a_branch_git_accepts(tmp_path):
    """What Decap CMS itself makes of a new post: its own sanitizeSlug and compileStringTemplate (the lines of
    slugFormatter/prepareSlug/entryPath that glue them are decap-cms-core's lib/formatters.ts and
    reducers/collections.ts), after newsroom-editor.js's preSave has set the Id and the year folder. A file named
    `.md` would be skipped by every build (IGNORE_FILES), and `cms/posts/2026/` is a branch git refuses."""
    modules = ROOT / "editor" / "node_modules"
    assert (modules / "decap-cms-core").is_dir(), "Decap CMS is not installed: run `bash editor/install.sh`"
    (tmp_path / "node_modules").symlink_to(modules)
    (tmp_path / "loader.mjs").write_text(
        "export async function resolve(s, c, next) { try { return await next(s, c); } catch (e) {"
        " for (const x of ['.js', '/index.js']) { try { return await next(s + x, c); } catch {} } throw e; } }\n"
    )
    (tmp_path / "register.mjs").write_text(
        "import { register } from 'node:module'; register('./loader.mjs', import.meta.url);\n"
    )
    config = sample_config()
    posts = config["collections"][0]
    script = f"""
import {{ createRequire }} from 'node:module';
import fs from 'node:fs';
const require = createRequire(import.meta.url);
const H = require({str(FORMAT)!r});
const {{ sanitizeSlug }} = await import('decap-cms-core/dist/esm/lib/urlHelper.js');
const {{ compileStringTemplate }} = await import('decap-cms-lib-widgets/dist/esm/stringTemplate.js');
const {{ Map }} = require('immutable');
const input = JSON.parse(fs.readFileSync(0));
const slugConfig = {{ ...input.slugConfig, sanitize_replacement: '-' }};  // Decap's default replacement
const prepareSlug = (s) => s.trim().toLocaleLowerCase().replace(/[']/g, '').replace(/[.]/g, '-');
const processSegment = (v) => sanitizeSlug(prepareSlug(String(v)), slugConfig);
const data = {{ title: input.title, date: input.day }};
data.id = H.newPostId(data);  // newsroom-editor.js's preSave, on a new post
data._folder = data.id.slice(0, 4);
const entry = Map(data);
const slug = compileStringTemplate(input.slugTemplate, new Date(), data.title, entry, processSegment);
const pathSlug = compileStringTemplate(prepareSlug(input.pathTemplate), new Date(), slug, entry,
  (v) => (v === slug ? v : processSegment(v)));
process.stdout.write(JSON.stringify({{
  path: `${{input.folder.replace(/\\/$/, '')}}/${{pathSlug}}.${{input.extension}}`,
  branch: `cms/posts/${{pathSlug}}`,
}}));
"""
    payload = {"title": "Αποτελέσματα τρίτου τριμήνου", "day": DAY, "slugConfig": config["slug"],
               "slugTemplate": posts["slug"], "pathTemplate": posts["path"], "folder": posts["folder"],
               "extension": posts["extension"]}  # fmt: skip
    node = shutil.which("node")
    assert node, "node is not installed"
    program = [node, "--import", "./register.mjs", "--input-type=module", "-e", script]
    result = subprocess.run(program, input=json.dumps(payload), capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    made = json.loads(result.stdout)
    assert made["path"] == "content/posts/2026/2026-10-29-apotelesmata-tritou-trimenou.md"
    check = subprocess.run(["git", "check-ref-format", "--branch", made["branch"]], capture_output=True, text=True)
    assert check.returncode == 0, f"{made['branch']!r}: {check.stderr.strip()}"


TYPED_SLUGS = ["q3-results", "Q4-Results", "q3_2026.results", "Q3 Results", "q3/results", "a..b", "-q3",
               "index.html", "feed.xml", "v2.0", "x" * 200, "x" * 201, "résultats"]  # fmt: skip


def test_the_slug_field_accepts_exactly_the_slugs_the_checks_accept(site):
    """The Slug field's pattern is the checks' own rule (checks/rules.py), so the form never takes a slug that
    `invoke check` then refuses, nor refuses one it takes."""
    rule = re.compile(slug_pattern())
    form = {slug: bool(rule.search(slug)) for slug in TYPED_SLUGS}
    for number, slug in enumerate(TYPED_SLUGS):
        site.post(f"p{number}", Slug=slug, Id=f"2026-10-29-p{number}")
    refused = {line for line in site.check("pelicanconf.py") if ": slug:" in line}
    checks = {slug: not any(f"/p{number}.md:" in line for line in refused) for number, slug in enumerate(TYPED_SLUGS)}
    assert form == checks
    assert not form["Q3 Results"]


def test_a_slug_the_form_accepts_gives_an_id_the_checks_accept(site):
    """The read-only Id is made from the Slug on first save and can never be changed in the editor afterwards: it
    is made from the slug normalised (lowercase, spelled in ASCII), never from the slug as typed."""
    rule = re.compile(slug_pattern())
    accepted = [slug for slug in TYPED_SLUGS if rule.search(slug)]
    ids = editor_ids([{"title": "Larkspur reports results", "slug": slug} for slug in accepted])
    assert all(ids), dict(zip(accepted, ids, strict=True))
    assert ids[accepted.index("Q4-Results")] == "2026-10-29-q4-results"
    for number, (slug, post_id) in enumerate(zip(accepted, ids, strict=True)):
        site.post(f"p{number}", Id=post_id, Slug=slug)
    assert [line for line in site.check("pelicanconf.py") if ": id:" in line] == []
