"""Tasks for the newsroom, in the tradition of Pelican's quick-start tasks.py. `invoke --list` shows them."""

import shlex
import shutil
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from invoke import task
from invoke.exceptions import Exit

ROOT = Path(__file__).parent
sys.path.insert(0, str(ROOT / "plugins"))

from newsroom.build import BuildFailed, load_settings  # noqa: E402
from newsroom.build import build as run_pelican  # noqa: E402
from newsroom.build import check as run_checks  # noqa: E402

CONFIG = {
    "settings_base": ROOT / "pelicanconf.py",
    "settings_publish": ROOT / "publishconf.py",
    "output": ROOT / "output",
    "internal_output": ROOT / "output-internal",
    "host": "localhost",
    "port": 8000,
}


def _settings(settings_file, internal=False, **overrides):
    if internal:
        overrides.setdefault("NEWSROOM_EDITION", "internal")
        overrides.setdefault("OUTPUT_PATH", str(CONFIG["internal_output"]))
    return load_settings(settings_file, overrides)


def _check_or_exit(settings):
    problems = run_checks(settings)
    for line in problems:
        print(line, file=sys.stderr)
    if problems:
        raise Exit(f"{len(problems)} problem(s) found; fix them and run `invoke check` again.", code=1)


def _build(settings):
    _check_or_exit(settings)
    try:
        run_pelican(settings)
    except BuildFailed as error:
        raise Exit(f"Build failed: {error}", code=1) from None
    print(f"Built the {settings.get('NEWSROOM_EDITION', 'public')} edition in {settings['OUTPUT_PATH']}")


@task
def clean(c):
    """Remove the generated sites."""
    for path in (CONFIG["output"], CONFIG["internal_output"]):
        shutil.rmtree(path, ignore_errors=True)


SETTINGS_HELP = "Use this settings file instead of the default."


@task(help={"internal": "Check as the internal edition sees the content.", "settings": SETTINGS_HELP})
def check(c, internal=False, settings=None):
    """Check every post against the newsroom's content rules; one line per problem."""
    _check_or_exit(_settings(settings or CONFIG["settings_base"], internal))
    print("All posts pass the content checks.")


@task(
    help={
        "internal": "Build the internal edition (with employee-only posts) into output-internal/.",
        "settings": SETTINGS_HELP,
    }
)
def build(c, internal=False, settings=None):
    """Build the site with local settings (pelicanconf.py); drafts are viewable, unlisted."""
    _build(_settings(settings or CONFIG["settings_base"], internal))


@task(help={"internal": "Build the internal edition into output-internal/.", "settings": SETTINGS_HELP})
def preview(c, internal=False, settings=None):
    """Build the site with production settings (publishconf.py): exactly what would be deployed."""
    _build(_settings(settings or CONFIG["settings_publish"], internal))


@task(help={"internal": "Serve output-internal/ instead of output/."})
def serve(c, internal=False):
    """Serve the built site at http://localhost:8000."""
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    root = CONFIG["internal_output" if internal else "output"]
    server = RootedHTTPServer(str(root), (CONFIG["host"], CONFIG["port"]), ComplexHTTPRequestHandler)
    print(f"Serving {root.name}/ at http://{CONFIG['host']}:{CONFIG['port']} (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


@task(help={"internal": "Build and serve the internal edition."})
def livereload(c, internal=False):
    """Build, serve at http://localhost:8000, and rebuild and reload the browser on every change."""
    from livereload import Server

    settings = _settings(CONFIG["settings_base"], internal)

    def rebuild():
        try:
            _build(settings)
        except Exit as failure:  # keep serving: show the problem and wait for the fix
            print(failure.message, file=sys.stderr)

    rebuild()
    server = Server()
    for pattern in ("content/**/*", "theme/**/*", "plugins/**/*.py", "pelicanconf.py"):
        server.watch(str(ROOT / pattern), rebuild)
    server.serve(host=CONFIG["host"], port=CONFIG["port"], root=settings["OUTPUT_PATH"], open_url_delay=None)


@task(
    help={
        "title": "The headline, in quotes.",
        "audience": "Audience slugs, comma-separated (e.g. investors,media).",
        "category": "Category name or slug (default: news).",
        "settings": SETTINGS_HELP,
    }
)
def new(c, title, audience="media", category="news", settings=None):
    """Create a draft post with every field filled in: invoke new "Title" --audience investors."""
    from pelican.utils import slugify

    from newsroom.scaffold import ScaffoldError, scaffold_post
    from newsroom.settings import load_newsroom

    values = _settings(settings or CONFIG["settings_base"])
    now = datetime.now(ZoneInfo(values["TIMEZONE"]))
    slug = slugify(title, regex_subs=values["SLUG_REGEX_SUBSTITUTIONS"])
    audiences = tuple(name.strip() for name in audience.split(",") if name.strip())
    try:
        relative, text = scaffold_post(title, audiences, category, now, load_newsroom(values), slug)
    except ScaffoldError as error:
        raise Exit(str(error), code=1) from None
    path = Path(values["PATH"]) / relative
    if path.exists():
        raise Exit(f"{path} already exists (expected a new title, or edit that file)", code=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"Created {path} (Status: draft). Edit it, then run `invoke check`.")


@task(help={"args": "Extra arguments for pytest, e.g. -k feeds."})
def test(c, args=""):
    """Run the whole test suite."""
    c.run(f"{shlex.quote(sys.executable)} -m pytest {args}", pty=False)
