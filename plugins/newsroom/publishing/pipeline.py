"""`invoke publish`: restore the state, build, verify, deploy, register, ping, syndicate, persist the state.

Each step is a function of the run that returns the lines it reports, or raises StepFailed; the first
failure stops every later step. The state (ledger, WebSub and deploy state, archive register) is saved at
the end whenever a step that changes it has run, even after a failure, because that is what makes the
next run safe: every step is idempotent against its own record (the target's contents, the WebSub state,
the ledger), so re-running after any failure repeats only what did not happen.

A target made live by a workflow's own steps (`made_live_by`: GitHub Pages, by the Pages actions) is published in
two runs around them: `--until deploy`, then `--after deploy`.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from newsroom.checks.archive import register_path
from newsroom.checks.sources import register_published
from newsroom.feeds.websub import feed_hashes, load_state, ping_changed_feeds
from newsroom.kit.credentials import redact
from newsroom.kit.errors import NewsroomError, UsageError
from newsroom.kit.files import write_text_atomically
from newsroom.kit.settings import SettingsProblems
from newsroom.model.dates import parse_timestamp
from newsroom.model.feed_catalogue import site_base_url
from newsroom.model.language_editions import feed_files
from newsroom.model.real_clock import ahead_of_real_time, shown
from newsroom.model.settings import Newsroom, load_newsroom
from newsroom.publishing.claims import commit_claim
from newsroom.publishing.config import PublishConfig, StateConfig, load_publish_config
from newsroom.publishing.due import Decision, LastPublish, decide
from newsroom.publishing.embargoes import upcoming_embargoes
from newsroom.publishing.git_store import GitStore, run_git
from newsroom.publishing.source import NotTheTip, check_tip, descends_from
from newsroom.publishing.state import LocalStore, StateError, StateStore
from newsroom.publishing.targets import (
    TARGET_TYPES,
    Deployment,
    TargetError,
    content_digest,
    deployable_files,
    site_digest,
)
from newsroom.publishing.verify import verify_output
from newsroom.site.build import BuildFailed, build_and_index, check
from newsroom.syndication import command
from newsroom.syndication.config import SyndicationConfig, load_config
from newsroom.syndication.ledger import Ledger, LedgerError, forgotten_in_copy
from newsroom.syndication.published import ManifestError, on_the_real_clock, read_manifest

STEPS = ("build", "verify", "deploy", "register", "websub", "syndicate")
CHANGES_STATE = {"deploy", "deployed", "register", "websub", "syndicate"}
VERIFIED_PATH = ".newsroom/verified.json"  # beside the manifest; never deployed (a dotfile)
Print = Callable[[str], None]
LoadEdition = Callable[[str], dict]


class StepFailed(NewsroomError):
    """A step could not do its work; the message says what happened and what to do."""


class SettingsInvalid(StepFailed):
    """The publish cannot start: the settings are wrong (exit code 2, as for every settings mistake)."""

    exit_code = 2


@dataclass(frozen=True)
class StepReport:
    step: str
    ok: bool
    lines: tuple[str, ...]
    exit_code: int = 0  # a failed step's: 2 for a settings mistake, else 1


@dataclass
class PublishReport:
    steps: list[StepReport] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)  # for the workflow, e.g. {"pages": "true"}

    @property
    def ok(self) -> bool:
        return all(step.ok for step in self.steps)

    @property
    def failed(self) -> list[StepReport]:
        return [step for step in self.steps if not step.ok]

    def lines(self) -> list[str]:
        return [f"[{step.step}] {'' if step.ok else 'FAILED: '}{line}" for step in self.steps for line in step.lines]


@dataclass
class Run:
    """Everything the steps share: the editions' settings, the clock, the configuration and the state."""

    editions: dict[str, dict]  # "public" (and "internal" when it has a target) -> settings
    newsrooms: dict[str, Newsroom]  # the same editions' validated NEWSROOM_* settings, on the run's clock
    config: PublishConfig
    syndication: SyndicationConfig | None  # None: invalid, and the syndicate step says why
    store: StateStore
    now: datetime
    environ: Mapping[str, str]
    dry_run: bool
    force: bool = False  # deploy every file, whatever the target holds
    outputs: dict[str, str] = field(default_factory=dict)
    started: list[str] = field(default_factory=list)  # what the checks at the start found, to report
    due: Decision | None = None  # whether anything was due, as the run found it before its first step
    published: LastPublish | None = None  # what this run publishes, recorded if it was due and finishes
    # The commit this run builds: HEAD's last one that changed anything but the publish state (None outside git).
    commit: str | None = None

    def output(self, edition: str) -> Path:
        return Path(self.editions[edition]["OUTPUT_PATH"])

    def target(self, edition: str):
        return self.config.target if edition == "public" else self.config.internal_target


def publish(
    load: LoadEdition,
    *,
    until: str | None = None,
    after: str | None = None,
    dry_run: bool = False,
    force: bool = False,
    if_due: bool = False,
    environ: Mapping[str, str] = os.environ,
    out: Print = print,
) -> PublishReport:
    """Run the steps of a publish (all of them, or up to and including `until`, or those after `after`);
    with `if_due`, none of them when nothing is due (see due.py), which one line says."""
    report = PublishReport()
    steps = _selected(until, after)

    def record(step: str, ok: bool, lines: list[str], exit_code: int = 1) -> None:
        report.steps.append(StepReport(step, ok, tuple(lines), 0 if ok else exit_code))
        for line in lines:
            out(f"[{step}] {'' if ok else 'FAILED: '}{line}")

    try:
        run = _start(load, steps, after, dry_run, environ)
        run.force = force
        if run.started:
            record("source", True, run.started)
        record("state", True, run.store.restore())
        if if_due or "syndicate" in steps:  # the run that ends a publish records it, if it was due
            run.due, run.published = _due(run)
    except (StepFailed, StateError) as error:
        record("setup", False, str(error).splitlines(), error.exit_code)
        return report
    if if_due:
        record("due", True, [run.due.reason])
        report.outputs["due"] = "true" if run.due.due else "false"
        if not run.due.due:
            return report
    if "deploy" not in steps and not set(steps).isdisjoint(STEPS[STEPS.index("deploy") + 1 :]):
        steps = ["deployed", *steps]  # a resumed publish first makes sure the build it announces is live

    touched = False
    for step in steps:
        try:
            touched |= step in CHANGES_STATE and not dry_run
            record(step, True, STEP_FUNCTIONS[step](run))
        except NewsroomError as error:  # a step's own failure, or a file it reads that cannot be trusted
            record(step, False, str(error).splitlines(), error.exit_code)
            later = steps[steps.index(step) + 1 :]
            if later:
                out(
                    f"[{step}] stopped here; not run: {', '.join(later)}. "
                    "Fix the problem and run it again (it is safe to repeat)."
                )
            break
    if touched and report.ok and "syndicate" in steps and run.due.due and run.published:
        _write_json(run.config.last_publish, run.published.as_json())  # the next run knows what is done
    if touched:
        try:
            record("persist", True, [run.store.save(_message(run, report))])
        except StateError as error:
            record("persist", False, [f"the publish state could not be saved: {error}", *_UNSAVED])
    report.outputs.update(run.outputs)
    return report


_UNSAVED = [
    "Nothing will be posted twice: every post sent by this run was claimed in the ledger, and the claim was",
    "saved, before it was sent. The next run finds those claims: Mastodon and Bluesky confirm them safely;",
    "other channels report them 'uncertain' until a person runs `invoke syndicate --resolve`.",
    "Fix the cause (permissions to push, branch protection) so the next run can save again.",
]


def check_steps(until: str | None, after: str | None) -> None:
    """--until and --after must each name a step."""
    for name, value in (("--until", until), ("--after", after)):
        if value is not None and value not in STEPS:
            raise UsageError(f"{name} {value!r} is not a step (expected one of: {', '.join(STEPS)})")


def _selected(until: str | None, after: str | None) -> list[str]:
    check_steps(until, after)
    steps = list(STEPS)
    if after:
        steps = steps[steps.index(after) + 1 :]
    if until:
        steps = steps[: steps.index(until) + 1]
    return steps


def _start(load: LoadEdition, steps: list[str], after: str | None, dry_run: bool, environ) -> Run:
    """Load and validate everything before any step runs: a mistake in the settings stops the publish here."""
    try:
        public = load("public")
        config = load_publish_config(public, TARGET_TYPES)
        newsroom = load_newsroom(public)
    except SettingsProblems as error:
        raise SettingsInvalid("settings are invalid:\n" + "\n".join(error.problems)) from None
    for target in filter(None, (config.target, config.internal_target)):
        made_live_by = TARGET_TYPES[target.type].made_live_by
        if made_live_by and "deploy" in steps and not dry_run and "websub" in steps:
            raise StepFailed(
                f"the {target.type} target is made live by {made_live_by}, so a publish is two runs: "
                f"`invoke publish --until deploy` (build, verify, prepare the site), then {made_live_by}, "
                "then `invoke publish --after deploy` (see docs/operating.md, 'Deploy targets')"
            )
    editions, newsrooms = {"public": public}, {"public": newsroom}
    if config.internal_target is not None:
        try:
            editions["internal"] = load("internal")
            newsrooms["internal"] = load_newsroom(editions["internal"])
        except SettingsProblems as error:
            raise SettingsInvalid(str(error)) from None
    now = newsroom.now or datetime.now(UTC).replace(microsecond=0)
    clock_lines = [] if dry_run else _set_clock(newsroom.now)
    if after and "build" not in steps:
        now = _verified_clock(editions, now, dry_run)
    for edition, settings in editions.items():
        # One clock for the whole run: the build, the verification and the register agree on what is public.
        settings["NEWSROOM_NOW"] = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
        newsrooms[edition] = replace(newsrooms[edition], now=parse_timestamp(settings["NEWSROOM_NOW"]))
    ledger = _ledger_path(public, config)
    files = [
        ledger,
        config.websub_state,
        config.deploy_state,
        config.last_publish,
        *_register_path(public, newsroom),
    ]
    if "internal" in editions:
        files.append(_internal_websub_state(config))
    lines = []
    if config.source and not dry_run and not {"build", "deploy"}.isdisjoint(steps):
        lines.append(_tip(config, files, environ))
    elif config.source and not dry_run and after:
        # A resumed publish announces a build made earlier (a re-run of an old announce job, too): its commit
        # must still be the tip, or it would announce what a later commit withdrew.
        built = _verified_record(editions).get("commit")
        if not built:
            raise StepFailed(
                "the verified build does not say which commit it was made from, so it cannot be shown to be the "
                f"tip of {config.source.remote}/{config.source.branch}. Nothing was announced; run the whole "
                "publish again: `invoke publish`"
            )
        lines.append(_tip(config, files, environ, commit=built, nothing="Nothing was announced"))
    try:
        store = open_store(config.state, files, config.project, environ, ledger)
    except StateError as error:
        raise StepFailed(str(error)) from None
    try:
        syndication = load_config(public, newsroom)
    except SettingsProblems:
        syndication = None  # the syndicate step reports every problem with these settings itself
    run = Run(
        editions=editions,
        newsrooms=newsrooms,
        config=config,
        syndication=syndication,
        store=store,
        now=now,
        environ=environ,
        dry_run=dry_run,
        commit=_last_commit(config.project, files, environ),
    )
    missing = [] if dry_run else _missing_secrets(run, steps)
    if missing:
        raise StepFailed(
            "\n".join(
                [
                    f"{len(missing)} secret(s) this publish needs are not set; nothing was built or sent.",
                    *(f"{problem}." for problem in missing),
                ]
            )
        )
    run.started = [*lines, *clock_lines]
    return run


def _missing_secrets(run: Run, steps: list[str]) -> list[str]:
    """Every secret the steps to run will need and the environment lacks, found before anything is built:
    the deploy targets' and the syndication channels' (those this publish runs)."""
    problems = []
    if "deploy" in steps:
        for edition in run.editions:
            try:
                run.target(edition).read_secrets(run.environ)
            except SettingsProblems as error:
                problems += error.problems
    if "syndicate" in steps and run.syndication is not None:
        # Internal channels run only when this publish deploys the intranet edition they link to.
        channels = [c for c in run.syndication.channels if "internal" in run.editions or not c.internal]
        for channel in channels:
            try:
                channel.read_secrets(run.environ)
            except SettingsProblems as error:
                problems += [f"SYNDICATION_CHANNELS: {problem}" for problem in error.problems]
    return problems


# --- the steps ---------------------------------------------------------------------------------------


def build_step(run: Run) -> list[str]:
    """Production build of each edition (`--fatal errors`), then its search index."""
    lines = []
    for edition, settings in run.editions.items():
        problems = check(settings, run.newsrooms[edition])
        if problems:
            raise StepFailed(
                f"{len(problems)} content problem(s) in the {edition} edition; nothing was built:\n"
                + "\n".join(problems)
            )
        try:
            build_and_index(settings)
        except BuildFailed as error:
            raise StepFailed(f"the {edition} edition did not build: {error}") from None
        output = run.output(edition)
        posts = len(read_manifest(output).posts)
        lines.append(f"{edition} edition: {posts} post(s), {len(deployable_files(output))} files in {output}")
    return lines


def verify_step(run: Run) -> list[str]:
    """Nothing withheld in any file, links resolve, feeds well-formed; remember what was verified."""
    lines, failed = [], False
    for edition, settings in run.editions.items():
        output = run.output(edition)
        report = verify_output(output, settings, run.newsrooms[edition], run.now)
        lines += report.lines()
        failed |= not report.ok
        if report.ok:
            record = {
                "edition": edition,
                "digest": site_digest(deployable_files(output)),
                "now": run.now.isoformat(),
                "commit": run.commit,
                # A dry run may build on settings a publish refuses (a NEWSROOM_NOW ahead of the real time): its
                # record lets its own deploy step compare, and a real run refuses it (_verified_for_real).
                "dry_run": run.dry_run,
            }
            (output / VERIFIED_PATH).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        else:
            (output / VERIFIED_PATH).unlink(missing_ok=True)
    if failed:
        raise StepFailed(
            "\n".join([*lines, "nothing was deployed: the build shows something it must not, or is broken"])
        )
    return lines


def deploy_step(run: Run) -> list[str]:
    """Each edition to its own target, and only to it: the public target takes only the public edition.
    The target is compared with the build (listed, not remembered): only what it lacks or holds differently
    is sent, and `--force` sends everything."""
    lines = []
    state = _deploy_records(run.config.deploy_state)
    for edition in run.editions:
        output, config = run.output(edition), run.target(edition)
        files, digest, commit = _verified_build(output, edition, run.dry_run)
        target_type = TARGET_TYPES[config.type]
        key = target_type.identity(config.options)
        try:
            secrets = config.read_secrets(run.environ)
        except SettingsProblems as error:
            if not run.dry_run:
                raise StepFailed("\n".join(error.problems)) from None
            where = target_type.destination(config.options)
            lines.append(
                f"{edition} edition: {len(files)} files for {where}, not compared with it ({error.problems[0]})."
            )
            continue
        if run.config.source and not run.dry_run:  # the branch may have moved on, and been published, meanwhile
            _tip(
                run.config, run.store.files, run.environ, commit=commit, nothing="Nothing was deployed", edition=edition
            )
        if not run.dry_run:
            _newer_than_live(run, edition, commit, state.get(key, {}), target_type.destination(config.options))
        target = target_type(config, run.config.project, secrets)
        # Whatever a target says passes through here, and a server's message may echo a secret it was given:
        # those configured, and those its library found in the environment by itself.
        ambient = [run.environ[name] for name in target_type.ambient_credentials if run.environ.get(name)]
        hidden = partial(redact, secrets=[*secrets.values(), *ambient])
        try:
            report = target.deploy(
                Deployment(edition, output, files, digest, state.get(key, {}), run.force), dry_run=run.dry_run
            )
        except TargetError as error:
            raise StepFailed(hidden(f"{edition} edition: {error}")) from None
        lines += [hidden(f"{edition} edition -> {line}" if i == 0 else line) for i, line in enumerate(report.lines())]
        if target_type.made_live_by:  # the workflow uploads the prepared site only when it changed
            run.outputs[f"{edition}_changed"] = "true" if report.changed else "false"
        elif not run.dry_run:
            state[key] = {**report.record, "edition": edition, "destination": report.destination, "commit": commit}
            _write_json(run.config.deploy_state, state)
    return lines


def deployed_step(run: Run) -> list[str]:
    """For `--after deploy`: the build to announce must be the one that is live. On a target made live by a
    workflow (`made_live_by`), the prepared build is recorded as live (the workflow runs this only after its
    steps succeeded); on any other target, the last deploy must have been of exactly this build."""
    lines = []
    state = _deploy_records(run.config.deploy_state)
    for edition in run.editions:
        output, config = run.output(edition), run.target(edition)
        _, digest, commit = _verified_build(output, edition, run.dry_run)
        target_type = TARGET_TYPES[config.type]
        key, where = target_type.identity(config.options), target_type.destination(config.options)
        if target_type.made_live_by and not run.dry_run:
            _newer_than_live(run, edition, commit, state.get(key, {}), where)
            state[key] = {"digest": digest, "edition": edition, "destination": where, "commit": commit}
            lines.append(f"{edition} edition: made live on {where} by {target_type.made_live_by} ({digest[:12]})")
        elif state.get(key, {}).get("digest") == digest or run.dry_run:
            lines.append(f"{edition} edition: {where} holds this build ({digest[:12]})")
        else:
            raise StepFailed(
                f"{edition} edition: {where} does not hold this build (it was not deployed); nothing is announced "
                "before the deploy that makes it public. Run `invoke publish`."
            )
    if not run.dry_run:
        _write_json(run.config.deploy_state, state)
    return lines


def register_step(run: Run) -> list[str]:
    """Record the posts this deploy made public in the archive register (they may never vanish silently)."""
    settings = run.editions["public"]
    if run.dry_run:
        return ["dry run: the archive register is not changed"]
    path, added = register_published(settings, run.newsrooms["public"])
    return [*(f"registered {post_id}" for post_id in added), f"{_shown(path)}: {len(added)} post(s) added"]


def websub_step(run: Run) -> list[str]:
    """Tell the hub which feeds changed (the hub fetches them: the deploy must already be live)."""
    lines, failed = [], 0
    for edition, settings in run.editions.items():
        hub = run.newsrooms[edition].feeds.hub
        if not hub:
            lines.append(f"{edition} edition: no WebSub hub configured; nothing to ping")
            continue
        state = run.config.websub_state if edition == "public" else _internal_websub_state(run.config)
        output, base = run.output(edition), site_base_url(settings)
        feeds = feed_files(run.newsrooms[edition])  # every language's, as the build wrote them
        if run.dry_run:
            previous = load_state(state)
            changed = [url for url, digest in feed_hashes(output, base, feeds).items() if previous.get(url) != digest]
            lines.append(f"{edition} edition: would ping {hub} for {len(changed)} changed feed(s) (dry run)")
            continue
        report = ping_changed_feeds(output, base, hub, state, feeds)
        shown = report.lines()
        lines += [f"{edition} edition: {shown[-1]}", *shown[:-1][:30]]
        failed += len(report.failed)
    if failed:
        raise StepFailed("\n".join([*lines, f"{failed} feed(s) not pinged; the next run pings them again"]))
    return lines


def syndicate_step(run: Run) -> list[str]:
    """Announce what became public, exactly once; a claim is saved before anything is sent."""
    config, deploys_internal = run.syndication, "internal" in run.editions
    skipped = [] if deploys_internal or config is None else [c.name for c in config.channels if c.internal]
    lines: list[str] = []
    if skipped:
        lines.append(
            f"internal channels not run ({', '.join(sorted(skipped))}): NEWSROOM_PUBLISH has no internal_target, "
            "so this publish does not deploy the intranet edition they would link to"
        )
    if config is not None and len(skipped) == len(config.channels):
        return [*lines, "no syndication channels configured"]
    save_claim = None if run.dry_run else partial(commit_claim, save=run.store.save, out=lines.append)
    code = command.syndicate(
        run.editions["public"],
        internal_channels=deploys_internal,
        validated=(run.newsrooms["public"], config) if config else None,
        dry_run=run.dry_run,
        environ=run.environ,
        out=lambda text: lines.extend(text.splitlines()),
        save_claim=save_claim,
    )
    if code != 0:
        raise StepFailed("\n".join(lines))
    return lines


STEP_FUNCTIONS = {
    "deployed": deployed_step,
    "build": build_step,
    "verify": verify_step,
    "deploy": deploy_step,
    "register": register_step,
    "websub": websub_step,
    "syndicate": syndicate_step,
}


# --- helpers -----------------------------------------------------------------------------------------


def _tip(
    config: PublishConfig,
    state_files: Sequence[Path],
    environ: Mapping[str, str],
    commit: str | None = None,
    nothing: str = "Nothing was built or deployed",
    edition: str = "",
) -> str:
    """check_tip's line, or StepFailed: `commit` (the checkout's HEAD when None) is the tip of the source branch."""
    try:
        return check_tip(config.project, config.source, state_files, environ, commit or "HEAD", nothing, config.content)
    except (NotTheTip, StateError) as error:
        raise StepFailed(f"{edition} edition: {error}" if edition else str(error)) from None


def _newer_than_live(run: Run, edition: str, commit: str | None, live: Mapping, where: str) -> None:
    """The deploy record's compare-and-swap: a build replaces the live site only if its commit is the one the
    live site was built from or comes after it. Otherwise StepFailed, and nothing is deployed (`--force`: a
    branch rewritten on purpose)."""
    built_live = live.get("commit")
    if not built_live or not commit or run.force or descends_from(run.config.project, commit, built_live, run.environ):
        return
    raise StepFailed(
        f"{edition} edition: {where} holds a build of commit {built_live[:10]}, and this build's commit "
        f"({commit[:10]}) does not come after it: it would replace a newer site with an older one. Nothing was "
        "deployed; publish from a fresh checkout of the branch (`invoke publish --force` if the branch was "
        "rewritten on purpose)."
    )


def _verified_build(output: Path, edition: str, dry_run: bool) -> tuple[list, str, str | None]:
    """The files to deploy from `output`, their content digest and the commit they were built from, refusing
    anything but the build of this edition that verify passed and nobody changed since; outside a dry run, also
    one verified by a dry run or made on a clock ahead of the real time."""
    files = deployable_files(output)
    try:
        manifest = read_manifest(output)
        if not dry_run:
            on_the_real_clock(manifest, nothing="Nothing was deployed or announced")
    except ManifestError as error:
        raise StepFailed(str(error)) from None
    if manifest.edition != edition:
        raise StepFailed(
            f"{output} holds the {manifest.edition} edition; the {edition} edition's target takes only the "
            f"{edition} edition (an embargo preview or the intranet edition must never reach the public site)"
        )
    verified = _read_json(output / VERIFIED_PATH)
    if not dry_run:
        _verified_for_real(verified, output / VERIFIED_PATH)
    digest = site_digest(files)
    if verified.get("edition") != edition or verified.get("digest") != digest:
        raise StepFailed(
            f"{output} is not the build that was verified (it changed since, or was never verified); "
            "run the whole publish again: `invoke publish`"
        )
    return files, content_digest(files), verified.get("commit")


def _verified_record(editions: Mapping[str, dict]) -> dict:
    """What verify recorded about the public edition's build (its clock, its commit); {} if nothing."""
    return _read_json(Path(editions["public"]["OUTPUT_PATH"]) / VERIFIED_PATH)


def _set_clock(clock: datetime | None) -> list[str]:
    """A publish with NEWSROOM_NOW set (a clock meant for a preview, left in the settings): refused when it is
    ahead of the real time, since it would lift embargoes early; obeyed, and said, when it is behind."""
    if clock is None:
        return []
    problem = ahead_of_real_time(
        "NEWSROOM_NOW",
        clock,
        nothing="Nothing was built or sent",
        fix="no NEWSROOM_NOW in the settings a publish uses: it runs on the real clock",
    )
    if problem:
        raise StepFailed(problem)
    return [
        f"NEWSROOM_NOW is set: this publish shows the site as of {shown(clock)}, not the real time (remove it "
        "from the settings for a publish on the real clock)"
    ]


def _verified_clock(editions: Mapping[str, dict], fallback: datetime, dry_run: bool) -> datetime:
    """A resumed publish (`--after deploy`) keeps the clock of the build it deploys; outside a dry run, only a
    build a real run verified, on a clock not ahead of the real time (the same rule as NEWSROOM_NOW's)."""
    path = Path(editions["public"]["OUTPUT_PATH"]) / VERIFIED_PATH
    record = _read_json(path)
    if not dry_run:
        _verified_for_real(record, path)
    try:
        clock = datetime.fromisoformat(record["now"])
    except (KeyError, TypeError, ValueError):
        return fallback
    if clock.tzinfo is None:
        return fallback  # verify writes it in UTC: anything else was not written by verify
    if dry_run:
        return clock  # a dry run may show the site on any clock
    problem = ahead_of_real_time(
        f"{_shown(path)}: now",
        clock,
        nothing="Nothing was deployed or announced",
        fix="a build on the real clock; run the whole publish again: `invoke publish`",
    )
    if problem:
        raise StepFailed(problem)
    return clock


def _verified_for_real(record: Mapping, path: Path) -> None:
    """A real run deploys and announces only a build a real run verified: a dry run's may have been made on
    settings a publish refuses (a NEWSROOM_NOW ahead of the real time), and its record must not pass for one."""
    if not record or record.get("dry_run") is False:
        return  # verified by a real run, or never verified (which the digest check refuses)
    raise StepFailed(
        f"{_shown(path)}: dry_run is {record.get('dry_run')!r}, not false: this build was not verified by a "
        "publish (a dry run's, `invoke publish --dry-run`, may use settings a publish refuses). Nothing was "
        "deployed or announced (expected a build a publish verified itself: run the whole publish again, "
        "`invoke publish`)"
    )


def _due(run: Run) -> tuple[Decision, LastPublish | None]:
    """Whether a publish is due, from the restored state, git and the content; and what this run publishes."""
    public = run.editions["public"]
    last = LastPublish.from_json(_read_json(run.config.last_publish))
    commit = _last_commit(run.config.project, run.store.files, run.environ)
    embargoes = upcoming_embargoes(public, run.newsrooms["public"], last.at) if last else []
    ledger = _ledger_path(public, run.config)
    digest = hashlib.sha256(ledger.read_bytes()).hexdigest() if ledger.exists() else ""
    posts = [(Path(os.path.relpath(e.path, run.config.project)).as_posix(), e.lifts) for e in embargoes]
    decision = decide(last, commit, run.now, posts, digest, _waiting(ledger), _clock_changes(run.newsrooms["public"]))
    return decision, LastPublish(commit, run.now, digest) if commit else None


def _clock_changes(newsroom) -> list[tuple[str, datetime]]:
    """The moments, other than embargoes, from which the site shows something else by the clock alone: each
    language's `since`, from which its versions are required and its disclosure pages list other channels."""
    return [
        (f"{language.name} ({language.code}) is required from its `since`", language.since)
        for language in newsroom.languages.all
        if language.since is not None
    ]


def _waiting(ledger: Path) -> int | None:
    """How many sends the ledger holds for the next run; None when it cannot be read."""
    try:
        return len(Ledger.open(ledger).waiting())
    except LedgerError:
        return None


def _last_commit(project: Path, state_files, environ: Mapping[str, str]) -> str | None:
    """HEAD's last commit that changed anything but the publish state (whose commits the publish makes itself);
    None outside a git checkout."""
    top = run_git("rev-parse", "--show-toplevel", cwd=project, environ={**os.environ, **environ})
    if top.returncode != 0:
        return None
    repo = Path(top.stdout.decode().strip())
    excluded = []
    for file in state_files:
        try:
            excluded.append(f":(top,exclude){Path(file).resolve().relative_to(repo.resolve()).as_posix()}")
        except ValueError:
            continue  # kept outside the checkout: its changes are no commit of this repository
    found = run_git(
        "log", "-1", "--format=%H", "HEAD", "--", ":/", *excluded, cwd=repo, environ={**os.environ, **environ}
    )
    if found.returncode != 0:
        return None
    return found.stdout.decode().strip() or None


def open_store(
    config: StateConfig, files: Sequence[Path], project: Path, environ: Mapping[str, str], ledger: Path
) -> StateStore:
    """The store NEWSROOM_PUBLISH['state'] names, for the state `files` (the syndication `ledger` among them)."""
    if config.store == "git":
        # The ledger says when a copy of it is older than another: the store never restores one that forgot.
        return GitStore(project, files, config, environ, behind={ledger: partial(forgotten_in_copy, path=ledger)})
    return LocalStore(files)


def _ledger_path(settings: Mapping, config: PublishConfig) -> Path:
    return config.project / settings.get("SYNDICATION_LEDGER", "syndication/ledger.jsonl")


def _register_path(settings: Mapping, newsroom) -> list[Path]:
    return [Path(register_path(settings, newsroom.archive))]


def _internal_websub_state(config: PublishConfig) -> Path:
    return config.state_dir / "websub-internal.json"


def _message(run: Run, report: PublishReport) -> str:
    done = ", ".join(step.step for step in report.steps if step.step in CHANGES_STATE and step.ok) or "nothing"
    where = f" (run {run.environ['GITHUB_RUN_ID']})" if run.environ.get("GITHUB_RUN_ID") else ""
    return f"Newsroom publish state after {done}{where} [skip ci]"


def _deploy_records(path: Path) -> dict[str, dict]:
    """publishing/deployed.json: each target's last deploy record. A file that holds anything else is one line
    naming it: never a traceback, and never read as "nothing deployed yet", which would let an older build
    replace a newer site (the records are its compare-and-swap)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        wrong = [f"cannot be read as JSON ({error})"]
    else:
        if not isinstance(data, dict):
            wrong = [f"holds {type(data).__name__}, not a record per target"]
        else:
            wrong = [
                f"the record for {key!r} is {value!r}" for key, value in data.items() if not isinstance(value, dict)
            ]
    if wrong:
        raise StepFailed(
            f"{_shown(path)}: {wrong[0]}, not a deploy record (expected {{target: {{'digest': …, 'commit': …}}}}); "
            f"nothing was deployed. Restore it from git (`git checkout -- {_shown(path)}`), or delete it: the next "
            "deploy then compares each target afresh and records it again"
        )
    return data


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: Mapping) -> None:
    write_text_atomically(path, json.dumps(dict(sorted(data.items())), indent=1) + "\n")


def _shown(path: Path) -> str:
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:
        return str(path)


__all__ = ["STEPS", "PublishReport", "StepFailed", "StepReport", "check_steps", "publish"]
