"""The browser editor as a comms person uses it: `invoke edit` on 127.0.0.1 against a clone of this repository,
Decap CMS in Debian's Chromium, and the files the local git proxy commits, read back with git and checked with
`invoke check`. Screenshots go to artifacts/editor/ (git-ignored) for a reviewer to look at."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from servers.smtp import free_port

from browser.harness import ROOT, describe_violations, run_axe

ARTIFACTS = ROOT / "artifacts" / "editor"
TITLE = "Larkspur Energy prices its first green bond"
POST_ID = "2026-12-10-larkspur-energy-prices-its-first-green-bond"
POST_PATH = f"content/posts/2026/{POST_ID}.md"
BRANCH = f"cms/posts/2026/{POST_ID}"
SUMMARY = "Larkspur priced $500 million of green bonds due 2036 to fund Pruett Creek Solar."
EXPECTED = f"""Title: {TITLE}
Id: {POST_ID}
Date: 2026-12-10 16:05 America/Chicago
Audience: investors
Category: Press releases
Summary: {SUMMARY}
Image: {{static}}/images/green-bond.svg
Image-Alt: A green certificate with the words Green Bond 2036
Contact: investor-relations
Correction: 2026-12-11 09:00 America/Chicago | The bonds are due 2036, not 2035.

Larkspur Energy priced its first green bond.
"""
IMAGE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#2a7"/></svg>'
)


def git(repository: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repository), *args], capture_output=True, text=True, check=True).stdout


def settings_for(workdir: Path, content: Path) -> Path:
    """Local settings (pelicanconf.py) with the content of `content` and everything else outside the clone."""
    path = workdir / f"settings_{content.parent.name}.py"
    path.write_text(
        "\n".join(
            [
                "import sys",
                f"sys.path.insert(0, {str(ROOT)!r})",
                "from pelicanconf import *  # noqa: F403",
                f"PATH = {str(content)!r}",
                f"THEME = {str(ROOT / 'theme')!r}",
                f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]",
                f"OUTPUT_PATH = {str(workdir / 'output')!r}",
                f"CACHE_PATH = {str(workdir / 'cache')!r}",
                f"NEWSROOM_EDITIONS = {{'internal': {{'OUTPUT_PATH': {str(workdir / 'output-internal')!r}}}}}",
                # A clock after the post's Date and its correction: a correction still to come is refused.
                'NEWSROOM_NOW = "2026-12-12 12:00 UTC"',
                "",
            ]
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def local_editor(browser_tools, tmp_path_factory):
    """`invoke edit` serving a fresh clone of this repository; yields (clone, editor URL, settings file)."""
    workdir = tmp_path_factory.mktemp("editor")
    clone = workdir / "newsroom"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(clone)], check=True)
    git(clone, "config", "user.name", "Comms Person")
    git(clone, "config", "user.email", "comms@larkspur-energy.example")
    settings = settings_for(workdir, clone / "content")
    port, proxy_port = free_port(), free_port()
    command = ["edit", "--settings", str(settings), "--port", str(port), "--proxy-port", str(proxy_port)]
    process = subprocess.Popen(
        [sys.executable, "-m", "invoke", *command],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: the proxy it starts is stopped with it
    )
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith("Editor at "):
            break
    else:
        pytest.fail("`invoke edit` stopped:\n" + "".join(lines), pytrace=False)
    try:
        yield clone, f"http://127.0.0.1:{port}/admin/", settings, proxy_port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


@pytest.fixture
def editor(local_editor, page):
    """The editor's page, signed in to the local proxy (no account: one click)."""
    page.goto(local_editor[1])
    login = page.get_by_role("button", name="Login")
    signed_in = page.get_by_role("heading", name="Collections")
    login.or_(signed_in).first.wait_for()
    if login.is_visible():  # the browser profile is shared by the tests: the first one signs in
        login.click()
    signed_in.wait_for()
    return page


def choose(page, label: str, text: str, nth: int = 0) -> None:
    """Pick `text` in a Decap select (react-select): type it, then Enter. `label` is the field's label as shown,
    an optional field's ending in "(optional)"."""
    box = page.get_by_label(label, exact=True).nth(nth)
    box.click()
    box.fill(text)
    page.keyboard.press("Enter")


def new_post(page, base_url: str) -> None:
    page.goto(base_url + "#/collections/posts/new")
    page.get_by_label("Title", exact=True).fill(TITLE)


def save(page) -> None:
    page.get_by_role("button", name="Save").click()


def committed(repository: Path, ref: str, path: str, expected: str, timeout: float = 20) -> str:
    """The file at `ref`, once the proxy has committed `expected` there (or what it holds when time runs out)."""
    deadline = time.monotonic() + timeout
    while True:
        shown = subprocess.run(["git", "-C", str(repository), "show", f"{ref}:{path}"], capture_output=True, text=True)
        if shown.stdout == expected or time.monotonic() > deadline:
            return shown.stdout
        time.sleep(0.2)


def working_tree(repository: Path, base: str) -> tuple[str, str]:
    """("back", status) when HEAD is `base`'s commit, else ("away", status); status as `git status --porcelain`
    shows it, read with --no-optional-locks so that looking never blocks the proxy's checkouts."""
    head = git(repository, "rev-parse", "HEAD") == git(repository, "rev-parse", base)
    status = git(repository, "--no-optional-locks", "status", "--porcelain")
    return ("back" if head else "away", status)


def settled(repository: Path, base: str, timeout: float, steady: float) -> tuple[str, str]:
    """The working tree once it has been back on `base` and clean for `steady` seconds (or as it is at `timeout`)."""
    deadline = time.monotonic() + timeout
    clean_since = None
    while True:
        state = working_tree(repository, base)
        now = time.monotonic()
        if state != ("back", ""):
            clean_since = None
        elif clean_since is None:
            clean_since = now
        elif now - clean_since >= steady:
            return state
        if now > deadline:
            return state
        time.sleep(0.2)


def test_a_post_written_in_the_browser_is_committed_exactly_as_the_readme_writes_it(editor, local_editor, tmp_path):
    clone, base_url, _, _ = local_editor
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    image = tmp_path / "green-bond.svg"
    image.write_text(IMAGE, encoding="utf-8")
    page = editor
    page.screenshot(path=str(ARTIFACTS / "1-collection.png"))
    new_post(page, base_url)
    page.locator("input[type=datetime-local]").first.fill("2026-12-10T16:05")
    choose(page, "Time zone", "America/Chicago")
    choose(page, "Audience", "Investors")
    choose(page, "Category", "Press releases")
    page.get_by_label("Summary", exact=True).fill(SUMMARY)
    page.get_by_role("button", name="Choose an image").click()
    page.locator("input[type=file]").set_input_files(str(image))
    page.get_by_role("button", name="Choose selected").click()
    page.get_by_label("Image-Alt").fill("A green certificate with the words Green Bond 2036")
    choose(page, "Contact (optional)", "investor-relations")
    page.get_by_role("button", name="Add Correction").click()
    page.locator("input[type=datetime-local]").nth(1).fill("2026-12-11T09:00")
    choose(page, "Time zone", "America/Chicago", nth=1)
    page.get_by_label("What was corrected", exact=True).fill("The bonds are due 2036, not 2035.")
    page.locator("[aria-label='markdown field'] [contenteditable=true]").click()
    page.keyboard.type("Larkspur Energy priced its first green bond.")
    page.screenshot(path=str(ARTIFACTS / "2-new-post-with-preview.png"))
    save(page)
    assert committed(clone, BRANCH, POST_PATH, EXPECTED) == EXPECTED
    assert git(clone, "show", f"{BRANCH}:content/images/green-bond.svg") == IMAGE
    base = "origin/HEAD"  # the branch the clone was made from, which the post branches off
    changed = git(clone, "diff", "--name-only", f"{base}...{BRANCH}").split()
    assert sorted(changed) == ["content/images/green-bond.svg", POST_PATH]  # nothing outside content/
    # The proxy checks the branch out to commit, then checks back out, and the editor's later reads (the entry, its
    # media) check the branch out again for a moment. Judge the working tree once the page has gone quiet and the
    # tree has stayed back for a while, and read it without taking git's index lock, which would make the proxy's
    # own checkout fail. (A loaded CI machine took over 20 s to come back.)
    page.wait_for_load_state("networkidle")
    assert settled(clone, base, timeout=60, steady=2) == ("back", "")  # the working tree is left as it was

    # The file passes the newsroom's own checks, with every other post beside it.
    checkout = tmp_path / "branch"
    git(clone, "worktree", "add", "-q", "--detach", str(checkout), BRANCH)  # the proxy checks the branch out
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--settings", str(settings_for(tmp_path, checkout / "content"))],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All posts pass the content checks." in result.stdout

    # Editing it again keeps its Id (the field is read-only) and changes only the line that was edited.
    page.goto(base_url + "#/workflow")
    open_when_listed(page, page.get_by_text(TITLE).first)
    id_box = page.get_by_role("textbox", name="Id (optional)")
    assert id_box.input_value() == POST_ID
    assert id_box.get_attribute("readonly") is not None
    page.get_by_label("Summary", exact=True).fill("Larkspur priced $500 million of green bonds due 2036.")
    page.screenshot(path=str(ARTIFACTS / "3-editing-keeps-its-id.png"))
    save(page)
    edited = EXPECTED.replace(SUMMARY, "Larkspur priced $500 million of green bonds due 2036.")
    assert committed(clone, BRANCH, POST_PATH, edited) == edited


def test_a_post_without_a_summary_cannot_be_saved_and_the_field_is_named(editor, local_editor):
    clone, base_url, _, _ = local_editor
    # Each editor branch and the commit at its tip; not `git branch`'s "*" marker, which only says which branch the
    # editor's git proxy has checked out at that moment (it moves while an earlier test's work settles).
    tips = ("for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads/cms/")
    branches_before = git(clone, *tips)
    page = editor
    new_post(page, base_url)
    page.get_by_label("Title", exact=True).fill("A post that forgot its summary")
    choose(page, "Audience", "Media")
    choose(page, "Category", "News")
    save(page)
    message = page.get_by_text(re.compile(r"Summary is required"))
    message.first.wait_for()
    page.screenshot(path=str(ARTIFACTS / "4-summary-missing.png"))
    assert git(clone, *tips) == branches_before  # nothing was committed


def test_a_title_that_gives_no_id_cannot_be_saved_and_asks_for_a_slug(editor, local_editor):
    """A Chinese title gives no Id the editor can spell as `invoke new` does: the Title field says so and asks for
    a Slug, and nothing is committed (never a post saved as content/posts/<year>/.md, which no build reads). A
    Slug with a space, which `invoke check` refuses, is refused in the form too."""
    clone, base_url, _, _ = local_editor
    tips = ("for-each-ref", "--format=%(refname:short) %(objectname)", "refs/heads/cms/")
    branches_before = git(clone, *tips)
    page = editor
    new_post(page, base_url)
    page.get_by_label("Title", exact=True).fill("第三季度业绩")
    page.locator("input[type=datetime-local]").first.fill("2026-12-10T16:05")
    choose(page, "Audience", "Media")
    choose(page, "Category", "News")
    page.get_by_label("Summary", exact=True).fill("Third-quarter results.")
    save(page)
    page.get_by_text(re.compile(r"Title: the title gives no usable Id")).first.wait_for()
    page.screenshot(path=str(ARTIFACTS / "5-title-gives-no-id.png"))
    page.get_by_label("Slug (optional)", exact=True).fill("Q3 Results")
    save(page)
    page.get_by_text(re.compile(r"Slug: letters, digits")).first.wait_for()
    assert git(clone, *tips) == branches_before  # nothing was committed


def test_the_local_proxy_listens_on_loopback_only(local_editor):
    proxy_port = local_editor[3]
    listening = Path("/proc/net/tcp").read_text().splitlines()[1:]
    addresses = {line.split()[1] for line in listening if line.split()[3] == "0A"}  # state 0A: LISTEN
    assert f"0100007F:{proxy_port:04X}" in addresses  # 127.0.0.1
    assert f"00000000:{proxy_port:04X}" not in addresses  # not every interface
    assert not any(a.endswith(f":{proxy_port:04X}") for a in addresses - {f"0100007F:{proxy_port:04X}"})


def test_the_editor_screens_have_no_serious_accessibility_problems(editor, local_editor):
    # Decap's own grey-on-white text and two unnamed elements (the preview frame, the story's text box) are
    # corrected by editor/admin/index.html and newsroom-editor.js; this keeps them corrected.
    base_url = local_editor[1]
    page = editor
    found = {}
    screens = {"collection": "#/collections/posts", "workflow": "#/workflow", "new post": "#/collections/posts/new"}
    for name, route in screens.items():
        page.goto(base_url + route)
        page.wait_for_timeout(1500)  # Decap renders after its data arrives
        found[name] = [v for v in run_axe(page) if v["impact"] in ("serious", "critical")]
    assert found == {name: [] for name in screens}, "\n".join(describe_violations(v) for v in found.values())


def test_editing_a_published_post_changes_only_the_edited_line_and_keeps_its_id(editor, local_editor):
    clone, base_url, _, _ = local_editor
    path = "content/posts/2026/2026-10-29-q3-results.md"
    original = (clone / path).read_text(encoding="utf-8")
    page = editor
    page.goto(base_url + "#/collections/posts/entries/2026/2026-10-29-q3-results")
    id_box = page.get_by_role("textbox", name="Id (optional)")
    assert id_box.input_value() == "2026-10-29-q3-results"
    assert id_box.get_attribute("readonly") is not None
    page.get_by_label("Image-Credit").fill("Chart: Larkspur Energy Investor Relations")
    save(page)
    expected = original.replace(
        "Image-Credit: Chart: Larkspur Energy\n", "Image-Credit: Chart: Larkspur Energy Investor Relations\n"
    )
    assert expected != original
    assert committed(clone, "cms/posts/2026/2026-10-29-q3-results", path, expected) == expected


def open_when_listed(page, entry) -> None:
    """Click `entry` on the editorial workflow once it is listed. The CMS lists the workflow from git through the
    proxy, which checks branches out and back while it commits: on a loaded machine its first listing could come
    before the new branch was there, and the page does not look again by itself, so it is reloaded."""
    from playwright.sync_api import TimeoutError as NotYetListed

    for _ in range(3):
        try:
            entry.wait_for(timeout=20_000)
            break
        except NotYetListed:
            page.reload()
    entry.click()
