"""Tasks for the newsroom, in the tradition of Pelican's quick-start tasks.py. `invoke --list` shows them."""

import os
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

from newsroom.site.build import BuildFailed, build_and_index, load_settings  # noqa: E402
from newsroom.site.build import check as run_checks  # noqa: E402

CONFIG = {
    "settings_base": ROOT / "pelicanconf.py",
    "settings_publish": ROOT / "publishconf.py",
    "output": ROOT / "output",
    "host": "localhost",
    "port": 8000,
}


def _settings(settings_file, internal=False, embargo=False, **overrides):
    if internal and embargo:
        raise Exit("--internal and --embargo are two different editions: choose one", code=2)
    edition = "internal" if internal else "embargo-preview" if embargo else "public"
    try:
        return load_settings(settings_file, overrides, edition=edition)
    except BuildFailed as error:
        raise Exit(str(error), code=2) from None


def _check_or_exit(settings):
    from newsroom.publishing.github import problem_annotation

    problems = run_checks(settings)
    for line in problems:
        print(line, file=sys.stderr)
        # On a pull request, GitHub also shows each problem on its line of the diff.
        annotation = problem_annotation(os.environ, line)
        if annotation:
            print(annotation)
    if problems:
        raise Exit(f"{len(problems)} problem(s) found; fix them and run `invoke check` again.", code=1)


def _build(settings):
    # The content checks run inside the build (the plugin's `initialized` receiver) and stop it with every
    # problem listed; running them here first as well would read and check every post twice. Search is indexed
    # from the pages the edition writes, so it can only ever hold what that edition shows.
    try:
        build_and_index(settings)
    except BuildFailed as error:
        raise Exit(f"Build failed: {error}", code=1) from None
    print(f"Built the {settings.get('NEWSROOM_EDITION', 'public')} edition in {settings['OUTPUT_PATH']}")


@task
def clean(c):
    """Remove the generated sites."""
    for path in ROOT.glob("output*"):
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


@task(
    help={
        "internal": "Build the internal edition into output-internal/.",
        "embargo": "Build the embargo preview for the comms team (embargoed posts included, marked; never deployed).",
        "settings": SETTINGS_HELP,
    }
)
def preview(c, internal=False, embargo=False, settings=None):
    """Build the site with production settings (publishconf.py): exactly what would be deployed."""
    _build(_settings(settings or CONFIG["settings_publish"], internal, embargo))


PORT_HELP = "Serve at this port (default 8000)."


def _port_in_use(port: int, error: OSError | None = None) -> Exit:
    """The one clear line for a port another program holds (or one that is not a port)."""
    if not 0 < port < 65536:
        return Exit(f"--port {port} is not a port (expected 1 to 65535)", code=2)
    reason = f" ({error.strerror})" if error is not None and error.strerror else ""
    return Exit(
        f"Cannot serve at http://{CONFIG['host']}:{port}: the port is in use{reason}, perhaps by another "
        f"`invoke serve` or `invoke livereload`. Stop that one, or choose another port: --port {port + 1}",
        code=1,
    )


def _check_port(port: int) -> None:
    """Fail before building when the port is taken: livereload's own error would be a traceback after it."""
    import socket

    if not 0 < port < 65536:
        raise _port_in_use(port)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((CONFIG["host"], port))
        except OSError as error:
            raise _port_in_use(port, error) from None


@task(
    help={
        "internal": "Serve output-internal/ instead of output/.",
        "embargo": "Serve the embargo preview.",
        "port": PORT_HELP,
    }
)
def serve(c, internal=False, embargo=False, port=CONFIG["port"]):
    """Serve the built site at http://localhost:8000 (--port for another)."""
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    root = Path(_settings(CONFIG["settings_base"], internal, embargo)["OUTPUT_PATH"])
    _check_port(port)
    if not root.is_dir():
        # Without the folder every request would fail inside the server and the browser would get no answer.
        print(f"Nothing is built in {root.name}/ yet: run `invoke build` (or `invoke livereload`) to fill it.")
        root.mkdir(parents=True)
    try:
        server = RootedHTTPServer(str(root), (CONFIG["host"], port), ComplexHTTPRequestHandler)
    except OSError as error:
        raise _port_in_use(port, error) from None
    print(f"Serving {root.name}/ at http://{CONFIG['host']}:{port} (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


@task(help={"internal": "Build and serve the internal edition.", "port": PORT_HELP, "settings": SETTINGS_HELP})
def livereload(c, internal=False, port=CONFIG["port"], settings=None):
    """Build, serve at http://localhost:8000 (--port for another), and rebuild and reload the browser on every
    change; while a rebuild fails, every page shows its error lines instead of the old site."""
    import logging

    from livereload import Server
    from livereload.handlers import StaticFileHandler

    from newsroom.site.build_error_page import error_page

    _check_port(port)
    # PORT: a local build's feeds carry absolute addresses on this server (newsroom.model.feed_catalogue.site_base_url).
    values = _settings(settings or CONFIG["settings_base"], internal, PORT=port)
    failure = {"message": ""}  # the last build's error, "" after a good one

    class SiteOrBuildError(StaticFileHandler):
        async def get(self, path, include_body=True):
            is_page = path == "" or path.endswith(("/", ".html"))
            if failure["message"] and is_page:
                self.set_status(500)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(error_page(failure["message"]))  # livereload adds its script: the fix reloads it
                return
            await super().get(path, include_body)

    def rebuild():
        try:
            _build(values)
            failure["message"] = ""
        except Exit as error:  # keep serving: show the problem and wait for the fix
            failure["message"] = error.message
            print(error.message, file=sys.stderr)

    rebuild()
    server = Server()
    server.SFH = SiteOrBuildError
    content = Path(values["PATH"])
    for pattern in (
        content / "**/*",
        ROOT / "theme/**/*",
        ROOT / "plugins/**/*.py",
        Path(settings or ROOT / "pelicanconf.py"),
    ):
        server.watch(str(pattern), rebuild)
    # livereload prints through its own handler; through Pelican's as well, every line would show twice.
    # And the server's loggers are not Pelican's: Pelican's logger class stops on any error it logs (--fatal
    # errors), which would make the server's own "500 GET /" (the error page) crash the request instead.
    for name in ("livereload", "tornado"):
        logging.getLogger(name).propagate = False
    for name in ("livereload", "tornado", "tornado.access", "tornado.application", "tornado.general"):
        logging.getLogger(name).__class__ = logging.Logger
    try:
        server.serve(host=CONFIG["host"], port=port, root=values["OUTPUT_PATH"], open_url_delay=None)
    except OSError as error:  # taken between the check and now
        raise _port_in_use(port, error) from None


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

    from newsroom.checks.scaffold import ScaffoldError, scaffold_post
    from newsroom.model.settings import load_newsroom

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


def _interrupt(signum, frame):
    raise KeyboardInterrupt


@task(
    name="editor-config",
    help={"settings": "Settings file (default: publishconf.py).", "output": "Write to this file instead of printing."},
)
def editor_config(c, settings=None, output=None):
    """Print the browser editor's configuration (admin/config.yml), generated from the settings."""
    from newsroom.editor.config import EditorSettingsError, config_text, editor_settings
    from newsroom.editor.config import editor_config as generate
    from newsroom.model.settings import SettingsError, load_newsroom

    values = _settings(settings or CONFIG["settings_publish"], internal=True)
    try:
        editor = editor_settings(values)
        newsroom = load_newsroom(values)
    except (EditorSettingsError, SettingsError) as error:
        raise Exit(str(error), code=2) from None
    if editor is None:
        raise Exit("NEWSROOM_EDITOR is not set: this newsroom has no browser editor (see README)", code=2)
    text = config_text(generate(newsroom, values, editor))
    if output:
        Path(output).write_text(text, encoding="utf-8")
        print(f"Wrote {output}")
    else:
        print(text, end="")


@task(
    help={
        "port": "Port of the internal edition with the editor (default 8000).",
        "proxy_port": "Port of the local git proxy the editor saves through (default 8081).",
        "settings": SETTINGS_HELP,
    }
)
def edit(c, port=8000, proxy_port=8081, settings=None):
    """Write posts in the browser: build the internal edition with /admin/ and serve it on 127.0.0.1, with the
    local git proxy that saves each post as a branch of this repository (no account needed)."""
    import signal

    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    from newsroom.editor.local import (
        HOST,
        LocalEditorError,
        ensure_clean,
        local_proxy,
        repository_of,
        start_proxy,
        stop,
    )
    from newsroom.editor.page import PROXY_SETTING

    origin = f"http://{HOST}:{port}"
    settings_file = settings or CONFIG["settings_base"]
    try:
        repository = repository_of(Path(_settings(settings_file, internal=True)["PATH"]))
        ensure_clean(repository)
        proxy = local_proxy(repository, int(proxy_port))
    except LocalEditorError as error:
        raise Exit(str(error), code=1) from None
    values = _settings(settings_file, internal=True, **{PROXY_SETTING: proxy})
    if not values.get("NEWSROOM_EDITOR"):
        raise Exit("NEWSROOM_EDITOR is not set: this newsroom has no browser editor (see README)", code=2)
    _build(values)
    root = Path(values["OUTPUT_PATH"])
    if not (root / "admin" / "decap-cms.js").is_file():
        raise Exit("The editor is not installed: run `bash editor/install.sh`, then `invoke edit` again.", code=1)
    try:
        process = start_proxy(repository, int(proxy_port), origin, dict(os.environ))
    except LocalEditorError as error:
        raise Exit(str(error), code=1) from None
    signal.signal(signal.SIGTERM, _interrupt)  # a supervisor's stop request stops the proxy too, as Ctrl-C does
    server = RootedHTTPServer(str(root), (HOST, int(port)), ComplexHTTPRequestHandler)
    print(f"Editor at {origin}/admin/ (posts are saved as git branches cms/posts/…); Ctrl-C to stop", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        stop(process)


@task(
    help={
        "settings": "Settings file (default: publishconf.py).",
        "dry_run": "Print the plan (every text, its length, what is skipped and why); send nothing.",
        "bootstrap": "Record every published post as already syndicated, without posting (first run, new channel).",
        "channel": "Only this channel (by its name in SYNDICATION_CHANNELS).",
        "resolve": "A post id whose outcome was uncertain or failed; with --channel and --posted URL or --retry.",
        "posted": "With --resolve: the URL where the post is on the platform.",
        "retry": "With --resolve: send it again in the next run.",
        "reshare": "A post id to post again on purpose (all its channels, or --channel).",
        "status": "List what needs a person (uncertain, failed, pending), with the commands that resolve it; no build.",
    }
)
def syndicate(
    c,
    settings=None,
    dry_run=False,
    bootstrap=False,
    channel=None,
    resolve=None,
    posted=None,
    retry=False,
    reshare=None,
    status=False,
):
    """Announce newly published posts on every channel that serves their audiences, exactly once."""
    from newsroom.publishing.github import add_summary
    from newsroom.syndication import command

    settings_file = settings or CONFIG["settings_publish"]
    values = _settings(settings_file)
    printed: list[str] = []
    if dry_run:  # a plan needs the builds a real run reads: make the missing ones, so one command is enough
        for edition in command.missing_builds(values, channel):
            print(f"No {edition} build yet; building it first, as `{command.BUILD_COMMANDS[edition]}` would.")
            _build(_settings(settings_file, internal=edition == "internal"))

    def out(text: str) -> None:
        print(text, flush=True)  # waits and stops are told while they happen
        printed.extend(text.splitlines())

    if resolve:
        if not channel:
            raise Exit("--resolve needs --channel NAME", code=2)
        code = command.resolve(values, resolve, channel, posted_url=posted, retry=retry, out=out)
    elif reshare:
        code = command.reshare(values, reshare, channel, out=out)
    elif status:
        code = command.status(values, out=out)
    else:
        code = command.syndicate(values, dry_run=dry_run, bootstrap=bootstrap, only=channel, out=out)
    add_summary(os.environ, "Syndication" + (" status" if status else ""), printed)
    if code:
        raise Exit(code=code)


@task(
    help={
        "state": "JSON file remembering each feed's hash as of the last successful ping (kept between deploys).",
        "settings": "Settings file (default: publishconf.py); gives the site URL and the hub.",
        "output": "The deployed build (default: the settings' OUTPUT_PATH).",
    }
)
def websub(c, state, settings=None, output=None):
    """Ping the WebSub hub for every feed that changed since the last run (after a deploy)."""
    from newsroom.feeds.websub import WebSubStateError, ping_changed_feeds
    from newsroom.model.feed_catalogue import site_base_url
    from newsroom.model.settings import load_newsroom

    values = _settings(settings or CONFIG["settings_publish"])
    hub = load_newsroom(values).feeds.hub
    if not hub:
        print("No WebSub hub configured (NEWSROOM_FEEDS['hub']); nothing to ping.")
        return
    try:
        report = ping_changed_feeds(Path(output or values["OUTPUT_PATH"]), site_base_url(values), hub, Path(state))
    except WebSubStateError as error:
        raise Exit(str(error), code=1) from None
    print("\n".join(report.lines()))
    if not report.ok:
        raise Exit(f"{len(report.failed)} feed(s) not pinged; they will be pinged again next run.", code=1)


@task(help={"settings": "Settings file (default: publishconf.py)."})
def register(c, settings=None):
    """Record every post public now in the archive register (after a deploy); published posts can then never
    be deleted silently: `invoke check` fails if one disappears, changes its id or its address."""
    from newsroom.checks.sources import register_published
    from newsroom.model.archive import RegisterError
    from newsroom.model.settings import SettingsError, load_newsroom

    values = _settings(settings or CONFIG["settings_publish"])
    try:
        newsroom = load_newsroom(values)
        path, added = register_published(values, newsroom)
    except (SettingsError, RegisterError) as error:
        raise Exit(str(error), code=1) from None
    for post_id in added:
        print(f"registered {post_id}")
    print(f"{path}: {len(added)} post(s) added")


@task(
    help={
        "settings": "Settings file (default: publishconf.py); its NEWSROOM_PUBLISH says where each edition goes.",
        "until": "Stop after this step (e.g. deploy: the GitHub Pages workflow uploads the site next).",
        "after": "Start after this step (e.g. deploy: once the workflow has deployed to GitHub Pages).",
        "dry_run": "Build and verify, then show what would be deployed, pinged and posted; change nothing.",
        "force": "Send every file to the target, whatever it holds (after changing cache or content-type rules).",
        "if_due": "Only if something is due (a new commit, an embargo lifted, syndication to finish); else one line.",
    }
)
def publish(c, settings=None, until=None, after=None, dry_run=False, force=False, if_due=False):
    """Publish: build, verify, deploy, register, ping WebSub, syndicate, then save the ledger (see README)."""
    from newsroom.publishing import STEPS
    from newsroom.publishing import publish as run_publish
    from newsroom.publishing.github import add_summary, error_annotation, set_outputs

    # Line by line, even into a pipe: a run killed half-way keeps every line it printed.
    sys.stdout.reconfigure(line_buffering=True)
    settings_file = settings or CONFIG["settings_publish"]
    for name, value in (("--until", until), ("--after", after)):
        if value is not None and value not in STEPS:
            raise Exit(f"{name} {value!r} is not a step (expected one of: {', '.join(STEPS)})", code=2)
    report = run_publish(
        lambda edition: load_settings(settings_file, edition=edition),
        until=until,
        after=after,
        dry_run=dry_run,
        force=force,
        if_due=if_due,
    )
    set_outputs(os.environ, report.outputs)
    add_summary(os.environ, "Publish" + (" (dry run)" if dry_run else ""), report.lines())
    if not report.ok:
        failed = report.failed[0]
        message = (
            f"publish failed at {failed.step}; the lines marked [{failed.step}] FAILED above say why, "
            "and it is safe to run it again once that is fixed."
        )
        annotation = error_annotation(os.environ, "Publish failed", "\n".join(failed.lines))
        if annotation:
            print(annotation)
        raise Exit(message, code=1)


@task(
    help={
        "settings": "Settings file (default: publishconf.py); its NEWSROOM_ALERTS names the lists.",
        "rest_url": "Mailman's REST API (default: $MAILMAN_REST_URL, else http://localhost:8001).",
    }
)
def alerts_lists(c, settings=None, rest_url=None):
    """Create the email alert lists in GNU Mailman 3 (announce-only), or re-apply their settings. The REST
    login comes from MAILMAN_REST_USER and MAILMAN_REST_PASSWORD."""
    from newsroom.alerts.mailman import MailmanError, MailmanRest, create_lists, plan_lists
    from newsroom.model.settings import SettingsError, load_newsroom

    values = _settings(settings or CONFIG["settings_publish"])
    try:
        newsroom = load_newsroom(values)
    except SettingsError as error:
        raise Exit(str(error), code=2) from None
    if newsroom.alerts.provider != "mailman":
        raise Exit("NEWSROOM_ALERTS: no Mailman lists to create (expected provider 'mailman')", code=2)
    missing = [name for name in ("MAILMAN_REST_USER", "MAILMAN_REST_PASSWORD") if not os.environ.get(name)]
    if missing:
        raise Exit(f"environment variable {' and '.join(missing)} not set (expected Mailman's REST login)", code=2)
    url = rest_url or os.environ.get("MAILMAN_REST_URL") or "http://localhost:8001"
    rest = MailmanRest(url, os.environ["MAILMAN_REST_USER"], os.environ["MAILMAN_REST_PASSWORD"])
    try:
        print("\n".join(create_lists(rest, plan_lists(newsroom))))
    except MailmanError as error:
        raise Exit(str(error), code=1) from None


@task(help={"settings": "Settings file (default: publishconf.py)."})
def embargoes(c, settings=None):
    """List the posts waiting for their embargo to lift, with the time in UTC and in the post's own zone."""
    from datetime import UTC

    from newsroom.model.settings import SettingsError, load_newsroom
    from newsroom.publishing.embargoes import embargo_lines, upcoming_embargoes

    values = _settings(settings or CONFIG["settings_publish"])
    try:
        newsroom = load_newsroom(values)
    except SettingsError as error:
        raise Exit(str(error), code=2) from None
    now = newsroom.now or datetime.now(UTC)
    print("\n".join(embargo_lines(upcoming_embargoes(values, newsroom, now), now)))


@task(help={"args": "Extra arguments for pytest, e.g. -k feeds."})
def test(c, args=""):
    """Install the local servers and the browser the tests use (idempotent), then run the whole test suite."""
    # rsync: the rsync deploy target is tested with the real program, over SSH to a real sshd on 127.0.0.1.
    install = shlex.quote(str(ROOT / "tests/tools/install_debian_packages.sh"))
    c.run(f"bash {install} rsync openssh-client openssh-server", pty=False)
    c.run(f"bash {shlex.quote(str(ROOT / 'tests/servers/pds/install.sh'))}", pty=False)
    c.run(f"bash {shlex.quote(str(ROOT / 'tests/servers/mailman/install.sh'))}", pty=False)  # GNU Mailman 3
    c.run(f"bash {shlex.quote(str(ROOT / 'tests/browser/install.sh'))}", pty=False)  # Chromium, axe-core, vnu.jar
    c.run(f"bash {shlex.quote(str(ROOT / 'editor/install.sh'))}", pty=False)  # Decap CMS, decap-server
    c.run(f"{shlex.quote(sys.executable)} -m pytest {args}", pty=False)
