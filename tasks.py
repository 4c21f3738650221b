"""Tasks for the newsroom, in the tradition of Pelican's quick-start tasks.py. `invoke --list` shows them."""

import functools
import os
import shlex
import shutil
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import invoke
from invoke.exceptions import Exit

ROOT = Path(__file__).parent
sys.path.insert(0, str(ROOT / "plugins"))

from newsroom.kit.errors import NewsroomError, UsageError  # noqa: E402
from newsroom.site.build import BuildFailed, build_edition, load_settings  # noqa: E402
from newsroom.site.build import check as run_checks  # noqa: E402
from newsroom.site.collector import leave_to_the_system_at_exit  # noqa: E402

CONFIG = {
    "settings_base": ROOT / "pelicanconf.py",
    "settings_publish": ROOT / "publishconf.py",
    "port": 8000,
}


def task(*args, **kwargs):
    """invoke's @task, at the edge of every newsroom error: its lines on stderr and its exit code, no traceback."""

    def decorate(body):
        @functools.wraps(body)
        def run(c, *positional, **named):
            try:
                return body(c, *positional, **named)
            except NewsroomError as error:
                for line in error.lines():
                    print(line, file=sys.stderr)
                raise Exit(code=error.exit_code) from None

        return invoke.task(**kwargs)(run)

    if len(args) == 1 and callable(args[0]) and not kwargs:  # bare @task
        return decorate(args[0])
    return decorate


def _settings(settings_file, internal=False, embargo=False, **overrides):
    if internal and embargo:
        raise UsageError("--internal and --embargo are two different editions: choose one")
    edition = "internal" if internal else "embargo-preview" if embargo else "public"
    return load_settings(settings_file, overrides, edition=edition)


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
    try:
        print(build_edition(settings))
    except BuildFailed as error:
        raise Exit(f"Build failed: {error}", code=error.exit_code) from None
    leave_to_the_system_at_exit()  # the command ends here: a second's freeing saved (collector.py)


@task
def clean(c):
    """Remove the generated sites."""
    for path in ROOT.glob("output*"):
        shutil.rmtree(path, ignore_errors=True)


SETTINGS_HELP = "Use this settings file instead of the default."


@task(help={"internal": "Check as the internal edition sees the content.", "settings": SETTINGS_HELP})
def check(c, internal=False, settings=None):
    """Check every post against the newsroom's content rules, with the settings it is published with; one line per
    problem."""
    # publishconf.py by default: the rules that read the site's public address (a link to an internal post there)
    # must read the one it is published at, as the publish's own check does.
    _check_or_exit(_settings(settings or CONFIG["settings_publish"], internal))
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


@task(
    help={
        "internal": "Serve output-internal/ instead of output/.",
        "embargo": "Serve the embargo preview.",
        "port": PORT_HELP,
    }
)
def serve(c, internal=False, embargo=False, port=CONFIG["port"]):
    """Serve the built site at http://localhost:8000 (--port for another)."""
    from newsroom.site.serving import check_port
    from newsroom.site.serving import serve as serve_folder

    root = Path(_settings(CONFIG["settings_base"], internal, embargo)["OUTPUT_PATH"])
    check_port(port)
    serve_folder(root, port)


@task(help={"internal": "Build and serve the internal edition.", "port": PORT_HELP, "settings": SETTINGS_HELP})
def livereload(c, internal=False, port=CONFIG["port"], settings=None):
    """Build, serve at http://localhost:8000 (--port for another), and rebuild and reload the browser on every
    change; while a rebuild fails, every page shows its error lines instead of the old site."""
    from newsroom.site.serving import check_port, serve_and_rebuild

    check_port(port)
    # PORT: a local build's feeds carry absolute addresses on this server (newsroom.model.feed_catalogue.site_base_url).
    values = _settings(settings or CONFIG["settings_base"], internal, PORT=port)
    settings_file = Path(settings or ROOT / "pelicanconf.py")
    watched = (Path(values["PATH"]) / "**/*", ROOT / "theme/**/*", ROOT / "plugins/**/*.py", settings_file)
    serve_and_rebuild(values, watched, port, complain=lambda line: print(line, file=sys.stderr))


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
    from newsroom.checks.scaffold import create_post
    from newsroom.model.settings import load_newsroom

    values = _settings(settings or CONFIG["settings_base"])
    newsroom = load_newsroom(values)  # first: TIMEZONE among the settings it checks
    now = datetime.now(ZoneInfo(values["TIMEZONE"]))
    audiences = tuple(name.strip() for name in audience.split(",") if name.strip())
    path = create_post(values, title, audiences, category, now, newsroom)
    print(f"Created {path} (Status: draft). Edit it, then run `invoke check`.")


@task(
    name="editor-config",
    help={"settings": "Settings file (default: publishconf.py).", "output": "Write to this file instead of printing."},
)
def editor_config(c, settings=None, output=None):
    """Print the browser editor's configuration (admin/config.yml), generated from the settings."""
    from newsroom.editor.config import config_text
    from newsroom.editor.config import editor_config as generate
    from newsroom.site.validated import EDITOR, SYNDICATION, validate_settings

    values = _settings(settings or CONFIG["settings_publish"], internal=True)
    newsroom = validate_settings(values)
    if values[EDITOR] is None:
        raise Exit(
            "NEWSROOM_EDITOR is not set: no browser editor here (see docs/operating.md, 'The browser editor')",
            code=2,
        )
    channels = [channel.name for channel in values[SYNDICATION].channels]
    text = config_text(generate(newsroom, values, values[EDITOR], channels=channels))
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
    from newsroom.editor.local import HOST, ensure_clean, local_proxy, repository_of, start_proxy, stop
    from newsroom.editor.page import PROXY_SETTING
    from newsroom.site.serving import serve as serve_folder

    origin = f"http://{HOST}:{port}"
    settings_file = settings or CONFIG["settings_base"]
    repository = repository_of(Path(_settings(settings_file, internal=True)["PATH"]))
    ensure_clean(repository)
    proxy = local_proxy(repository, int(proxy_port))
    values = _settings(settings_file, internal=True, **{PROXY_SETTING: proxy})
    if not values.get("NEWSROOM_EDITOR"):
        raise Exit(
            "NEWSROOM_EDITOR is not set: no browser editor here (see docs/operating.md, 'The browser editor')",
            code=2,
        )
    _build(values)
    root = Path(values["OUTPUT_PATH"])
    if not (root / "admin" / "decap-cms.js").is_file():
        raise Exit("The editor is not installed: run `bash editor/install.sh`, then `invoke edit` again.", code=1)
    process = start_proxy(repository, int(proxy_port), origin, dict(os.environ))
    banner = f"Editor at {origin}/admin/ (posts are saved as git branches cms/posts/…); Ctrl-C to stop"
    try:  # a supervisor's stop request (SIGTERM) stops the proxy too, as Ctrl-C does
        serve_folder(root, int(port), HOST, banner, out=lambda line: print(line, flush=True))
    finally:
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

    problem = command.usage_problem(
        dry_run=dry_run,
        bootstrap=bootstrap,
        channel=channel,
        resolve=resolve,
        posted=posted,
        retry=retry,
        reshare=reshare,
        status=status,
    )
    if problem:
        raise Exit(problem, code=2)
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
    from newsroom.feeds.websub import ping_changed_feeds
    from newsroom.model.feed_catalogue import site_base_url
    from newsroom.model.language_editions import feed_files
    from newsroom.model.settings import load_newsroom

    values = _settings(settings or CONFIG["settings_publish"])
    newsroom = load_newsroom(values)
    hub = newsroom.feeds.hub
    if not hub:
        print("No WebSub hub configured (NEWSROOM_FEEDS['hub']); nothing to ping.")
        return
    output = Path(output or values["OUTPUT_PATH"])
    report = ping_changed_feeds(output, site_base_url(values), hub, Path(state), feed_files(newsroom))
    print("\n".join(report.lines()))
    if not report.ok:
        raise Exit(f"{len(report.failed)} feed(s) not pinged; they will be pinged again next run.", code=1)


@task(help={"settings": "Settings file (default: publishconf.py)."})
def register(c, settings=None):
    """Record every post public now in the archive register (after a deploy); published posts can then never
    be deleted silently: `invoke check` fails if one disappears, changes its id or its address."""
    from newsroom.checks.sources import register_published
    from newsroom.model.settings import load_newsroom

    values = _settings(settings or CONFIG["settings_publish"])
    path, added = register_published(values, load_newsroom(values))
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
    """Publish: build, verify, deploy, register, ping WebSub, syndicate, then save the ledger (docs/operating.md)."""
    from newsroom.publishing import check_steps
    from newsroom.publishing import publish as run_publish
    from newsroom.publishing.github import add_summary, error_annotation, set_outputs

    # Line by line, even into a pipe: a run killed half-way keeps every line it printed.
    sys.stdout.reconfigure(line_buffering=True)
    settings_file = settings or CONFIG["settings_publish"]
    check_steps(until, after)
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
        raise Exit(message, code=failed.exit_code)


@task(
    help={
        "settings": "Settings file (default: publishconf.py); its NEWSROOM_ALERTS names the lists.",
        "rest_url": "Mailman's REST API (default: $MAILMAN_REST_URL, else http://localhost:8001).",
    }
)
def alerts_lists(c, settings=None, rest_url=None):
    """Create the email alert lists in GNU Mailman 3 (announce-only), or re-apply their settings. The REST
    login comes from MAILMAN_REST_USER and MAILMAN_REST_PASSWORD."""
    from newsroom.alerts.mailman import MailmanRest, create_lists, plan_lists
    from newsroom.model.settings import load_newsroom

    values = _settings(settings or CONFIG["settings_publish"])
    newsroom = load_newsroom(values)
    if newsroom.alerts.provider != "mailman":
        raise Exit("NEWSROOM_ALERTS: no Mailman lists to create (expected provider 'mailman')", code=2)
    rest = MailmanRest.from_environ(os.environ, rest_url)
    print("\n".join(create_lists(rest, plan_lists(newsroom, values))))


@task(help={"settings": "Settings file (default: publishconf.py)."})
def embargoes(c, settings=None):
    """List the posts waiting for their embargo to lift, with the time in UTC and in the post's own zone."""
    from datetime import UTC

    from newsroom.model.settings import load_newsroom
    from newsroom.publishing.embargoes import embargo_lines, upcoming_embargoes

    values = _settings(settings or CONFIG["settings_publish"])
    newsroom = load_newsroom(values)
    now = newsroom.now or datetime.now(UTC)
    print("\n".join(embargo_lines(upcoming_embargoes(values, newsroom, now), now)))


@task(help={"args": "Extra arguments for pytest, e.g. -k feeds."})
def test(c, args=""):
    """Install what the tests use (idempotent), run the pre-commit checks on every file, then the whole suite."""
    # rsync: the rsync deploy target is tested with the real program, over SSH to a real sshd on 127.0.0.1.
    install = shlex.quote(str(ROOT / "tests/tools/install_debian_packages.sh"))
    c.run(f"bash {install} rsync openssh-client openssh-server", pty=False)
    c.run(f"bash {shlex.quote(str(ROOT / 'tests/servers/pds/install.sh'))}", pty=False)
    c.run(f"bash {shlex.quote(str(ROOT / 'tests/servers/mailman/install.sh'))}", pty=False)  # GNU Mailman 3
    c.run(f"bash {shlex.quote(str(ROOT / 'tests/browser/install.sh'))}", pty=False)  # Chromium, axe-core, vnu.jar
    c.run(f"bash {shlex.quote(str(ROOT / 'editor/install.sh'))}", pty=False)  # Decap CMS, decap-server
    # ruff, ruff format and the workflow linters, exactly as on each commit (.pre-commit-config.yaml).
    c.run(f"{shlex.quote(sys.executable)} -m pre_commit run --all-files --color=never", pty=False)
    # One worker per core (pytest-xdist), each test file whole in one worker: a file's module-scoped servers and
    # sites are made once. Pass `-n 0` in args to run in this process (the last -n wins).
    c.run(f"{shlex.quote(sys.executable)} -m pytest -n auto --dist loadfile {args}", pty=False)
