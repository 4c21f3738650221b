"""The sample newsroom as a reader's browser meets it, and the standards checkers that judge it.

Reusable outside the fixtures (tests/browser/conftest.py uses these):

    with LoopbackServer() as server:                       # listening on 127.0.0.1, port chosen by the OS
        output = build_sample_site(tmp, "public", server.base_url)   # `invoke preview`, absolute links to it
        server.serve(output)
        context = launch_chromium(playwright, tmp / "profile")      # the machine's Chromium, fresh profile
        page = context.new_page(); page.goto(server.url("subscribe/"))
        violations = run_axe(page)                         # axe-core, injected from node_modules
    messages = validate_html([output])                     # the Nu HTML Checker (vnu.jar), JSON messages

Everything is real: the production settings, Pelican, the theme, Chromium, axe-core and vnu.jar. The tools
are installed by tests/browser/install.sh (run by `invoke test`).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from browser.find_chromium import ChromiumNotFound, find_chromium

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

# No network beyond loopback, no first-run or background work: the browser only loads what a test asks for.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = HERE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL = HERE / "install.sh"

# The sample site's clock: embargoes and "now" are fixed, so every run builds the same site.
SAMPLE_NOW = "2026-11-26 12:00 UTC"
# Every WCAG 2.0-2.2 A/AA rule and axe's best practices (which include landmarks and heading order).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING_IMPACTS = ("serious", "critical")


def missing_tools() -> list[str]:
    """What is not installed yet, each with the remedy (empty when everything is in place)."""
    remedy = f"run `bash {INSTALL.relative_to(ROOT)}` (or `invoke test`, which runs it)"
    missing = []
    try:
        find_chromium()
    except ChromiumNotFound as error:
        missing.append(str(error))
    for tool in (AXE_JS, VNU_JAR):
        if not tool.is_file():
            missing.append(f"{tool.relative_to(ROOT)} is missing: {remedy}")
    if not shutil.which("java"):
        missing.append("java is not on PATH (the Nu HTML Checker needs Java 11 or later)")
    return missing


# --- Building and serving --------------------------------------------------------------------------------


def build_sample_site(
    workdir: Path, edition: str, base_url: str, now: str = SAMPLE_NOW, extra: dict | None = None
) -> Path:
    """Build the sample newsroom with the production settings, as `invoke preview` does, into `workdir`,
    with every absolute link pointing at `base_url` (and the `extra` settings). Returns the output folder."""
    workdir.mkdir(parents=True, exist_ok=True)
    output = workdir / f"output-{edition}"
    settings_file = workdir / f"publishconf_{edition}.py"
    values = {
        # The settings file lives outside the repository, so every path in it is made absolute.
        "PATH": str(ROOT / "content"),
        "THEME": str(ROOT / "theme"),
        "PLUGIN_PATHS": [str(ROOT / "plugins")],
        # Each edition in a folder of its own, `output-<edition>` (an edition never writes where the public one
        # does: model/editions.py).
        "OUTPUT_PATH": str(workdir / "output-public"),
        "CACHE_PATH": str(workdir / f"cache-{edition}"),
        "SITEURL": base_url,
        "NEWSROOM_NOW": now,
        **(extra or {}),
    }
    lines = [
        "import sys",
        f"sys.path.insert(0, {str(ROOT)!r})",
        "from publishconf import *  # noqa: F403",
        *(f"{key} = {value!r}" for key, value in values.items()),
        # Each edition overlay sets its own output folder and address: point them here as well.
        f"NEWSROOM_EDITIONS = {{name: {{**entry, 'OUTPUT_PATH': {str(workdir)!r} + '/output-' + name, "
        "'SITEURL': SITEURL} for name, entry in NEWSROOM_EDITIONS.items()}  # noqa: F405",
    ]
    settings_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = [sys.executable, "-m", "invoke", "preview", "--settings", str(settings_file)]
    if edition == "internal":
        command.append("--internal")
    elif edition != "public":
        raise ValueError(f"unknown edition {edition!r} (expected 'public' or 'internal')")
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"`{' '.join(command[2:])}` failed:\n{result.stdout}{result.stderr}")
    return output


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


class LoopbackServer:
    """A static file server on 127.0.0.1. It listens as soon as it is created, so its address can go into
    the build (SITEURL) before the folder it serves exists; `serve(folder)` then starts answering."""

    def __init__(self):
        self._folder: Path | None = None
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler)
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, relative: str = "") -> str:
        return f"{self.base_url}/{relative.lstrip('/')}"

    def _handler(self, *args, **kwargs):
        if self._folder is None:
            raise RuntimeError("LoopbackServer.serve(folder) was not called")
        return _QuietHandler(*args, directory=str(self._folder), **kwargs)

    def serve(self, folder: Path) -> LoopbackServer:
        self._folder = folder
        self._thread = threading.Thread(target=self._server.serve_forever, name="loopback-site", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        if self._thread:
            self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> LoopbackServer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def html_pages(output: Path) -> list[str]:
    """Every HTML page of a built site, as paths relative to its root, sorted."""
    return sorted(path.relative_to(output).as_posix() for path in output.rglob("*.html"))


def page_url(relative: str) -> str:
    """The address a reader uses for an output file: folders end in '/', other files keep their name."""
    return relative.removesuffix("index.html")


# --- The browser -------------------------------------------------------------------------------------------


def launch_chromium(playwright, user_data_dir: Path, **options):
    """The machine's Chromium (find_chromium: never one Playwright downloads) with a fresh profile in
    `user_data_dir`; returns the Playwright BrowserContext. Close it when done."""
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=str(find_chromium()),
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 900},
        **options,
    )


def run_axe(page, tags: list[str] = AXE_TAGS) -> list[dict]:
    """Run axe-core on the page as it stands; returns its violations (each with `impact` and `nodes`)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not as a <script> tag: every page's Content-Security-Policy
        # (the site's own scripts only) rightly refuses an injected inline script, and the tests keep it on.
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        tags,
    )
    return result["violations"]


def describe_violations(violations: list[dict]) -> str:
    """One line per violation and element, for an assertion message a person can act on."""
    lines = []
    for violation in violations:
        for node in violation["nodes"][:5]:
            lines.append(
                f"{violation['impact']}: {violation['id']} ({violation['help']}) at {' '.join(node['target'])}: "
                f"{node.get('failureSummary', '').splitlines()[-1].strip() if node.get('failureSummary') else ''}"
            )
    return "\n".join(lines)


# --- The Nu HTML Checker -------------------------------------------------------------------------------------


def validate_html(paths: list[Path], options: tuple[str, ...] = ("--skip-non-html",)) -> list[dict]:
    """Run vnu.jar once over every HTML file in `paths` (files or folders); returns its messages, each a dict
    with `type` ('error', 'info' with subType 'warning'…), `url`, `lastLine` and `message`."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", *options, *map(str, paths)],
        capture_output=True,
        text=True,
    )
    # vnu writes its JSON report to stderr and exits 1 when it found errors.
    try:
        return json.loads(result.stderr)["messages"]
    except (json.JSONDecodeError, KeyError):
        raise RuntimeError(f"vnu.jar gave no JSON report (exit {result.returncode}):\n{result.stderr}") from None
