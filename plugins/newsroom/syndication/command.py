"""`invoke syndicate`: read the manifests and the ledger, plan, then send (or print the plan). Returns an
exit code; everything it prints is safe to show in CI logs (no secret ever reaches a message)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from newsroom.kit.errors import NewsroomError
from newsroom.kit.printed import printable, printable_lines
from newsroom.kit.settings import SettingsProblems
from newsroom.model.feed_catalogue import post_tag
from newsroom.model.language_editions import in_language_edition
from newsroom.model.material import disclosure_feeds
from newsroom.model.settings import Newsroom, load_newsroom
from newsroom.syndication.alerts import send_alerts
from newsroom.syndication.attention import (
    HeldChannel,
    OpenItem,
    attention_lines,
    new_channel_line,
    open_items,
    syndicate_command,
    urgent,
)
from newsroom.syndication.channel import Channel
from newsroom.syndication.claims import Claim, claim_sends
from newsroom.syndication.config import SyndicationConfig, load_config
from newsroom.syndication.disclosure import DisclosureReport, disclosure_channels, disclosure_report, material_in_play
from newsroom.syndication.engine import Pacing, run
from newsroom.syndication.language_routing import LanguageRouting, in_their_languages, language_routing
from newsroom.syndication.ledger import Ledger, LedgerBusy, LedgerError, LedgerLock
from newsroom.syndication.planning import Step, new_to_the_ledger, plan, routed, waiting_on_new_channels
from newsroom.syndication.published import (
    MANIFEST_PATH,
    ManifestError,
    PublishedPost,
    on_the_real_clock,
    read_manifest,
)
from newsroom.syndication.registry import CHANNEL_CLASSES
from newsroom.syndication.states import OPEN, REACHED, SENDING, Action

Print = Callable[[str], None]


class Stop(NewsroomError):
    """The run cannot go ahead; the message says why and what to do."""

    exit_code = 2


def usage_problem(
    *,
    dry_run: bool,
    bootstrap: bool,
    channel: str | None,
    resolve: str | None,
    posted: str | None,
    retry: bool,
    reshare: str | None,
    status: bool,
) -> str | None:
    """The one line `invoke syndicate` answers options that do not go together with (nothing is done), or None.
    An option the chosen command would not read must not be dropped silently: `--posted URL` without `--resolve`
    would otherwise run a real syndication, which sends."""
    if (posted or retry) and not resolve:
        return "--posted and --retry go with --resolve ID --channel NAME; nothing was done"
    if posted and retry:
        return "--resolve takes --posted URL (on the platform) or --retry (send it again), not both; nothing was done"
    chosen = [
        name
        for name, given in (
            ("--resolve", resolve),
            ("--reshare", reshare),
            ("--status", status),
            ("--bootstrap", bootstrap),
            ("--dry-run", dry_run),
        )
        if given
    ]
    if len(chosen) > 1:
        return f"{' and '.join(chosen)} do not go together (choose one); nothing was done"
    if status and channel:
        return "--status lists what needs a person on every channel: leave out --channel; nothing was done"
    return None


def syndicate(
    settings: Mapping,
    *,
    dry_run: bool = False,
    bootstrap: bool = False,
    only: str | None = None,
    environ: Mapping[str, str] = os.environ,
    out: Print = print,
    sleep: Callable[[float], None] | None = None,
    save_claim: Callable[[Claim], None] | None = None,
    internal_channels: bool = True,
    validated: tuple[Newsroom, SyndicationConfig] | None = None,
) -> int:
    """Syndicate what the last production build published. Returns the exit code.

    With `save_claim`, every send is first claimed in the ledger and `save_claim` makes the claim durable before
    anything is sent (syndication/claims.py; `invoke publish` commits it). It raises Stop to send nothing.
    Without `internal_channels`, only the public channels run (a publish that does not deploy the intranet).
    `validated`: the settings' Newsroom and SyndicationConfig, when the caller has them (invoke publish)."""

    out = printable_lines(out)  # every line as written: no value in it can add a line or act on the terminal

    def syndicate_and_report() -> int:
        newsroom, config = validated or _validated(settings)
        configured = None if only else {channel.name for channel in config.channels}  # to see removed channels
        config, public, internal = _load(settings, config, only, internal_channels=internal_channels, sends=not dry_run)
        # Each version with the words of its language, which the channels write around it.
        public, internal = (in_their_languages(posts, newsroom, settings) for posts in (public, internal))
        routing = language_routing(newsroom.languages, (*public, *internal))
        channels, broken = _channels(config, only, environ, need_secrets=not (dry_run or bootstrap))
        with LedgerLock(config.ledger):
            ledger = Ledger.open(config.ledger)
            if not dry_run and ledger.existed:
                ledger.settle()  # a ledger written before attempts were settled when another version superseded them
            if bootstrap:
                return _bootstrap(ledger, channels, public, internal, out, routing, named=only is not None)
            if not ledger.existed and not (public or internal) and not dry_run:
                ledger.know(set(channels))  # a new site: start the ledger, so its first post is posted
            if not ledger.existed and (public or internal):
                count = len({post.id for post in (*public, *internal)})
                raise Stop(
                    f"{config.ledger} does not exist, but the site already has {count} "
                    "published post(s). Posting them all now would flood every channel with old news. Run "
                    "`invoke syndicate --bootstrap` once: it records every published post as already syndicated, "
                    "without posting anything; later runs then post only what is new."
                )
            steps = plan(public, internal, channels, ledger, config.cap, routing)
            if dry_run:
                out(format_plan(steps, channels, broken))
                return 0
            waiting = waiting_on_new_channels(steps)
            idle = new_to_the_ledger(channels, ledger) - set(waiting)
            if idle:  # no published post for it yet, so no archive to flood it with: its first post goes out
                ledger.know(idle)
            if save_claim is not None:
                steps = claim_sends(ledger, steps, save_claim)
            disclosing = disclosure_channels(config.channels, only)
            in_play = material_in_play(public, disclosing, ledger, routing)  # material news not yet everywhere
            pacing = Pacing(retries=config.retries, backoff=config.backoff, max_wait=config.max_wait)
            report = run(steps, channels, ledger, pacing, say=out, **({"sleep": sleep} if sleep else {}))
            disclosure = _disclosure(settings, newsroom, public, in_play, disclosing, ledger, report, broken, routing)
            items = open_items(ledger, {*channels, *broken}, configured)
            if config.alert_channel in channels:
                links = {post.id: post.url for post in (*public, *internal)}
                send_alerts(items, channels[config.alert_channel], ledger, links, out)
        report.broken_channels.update(broken)
        held_channels = [HeldChannel(name, count) for name, count in sorted(waiting.items())]
        # Above the summary, which stays the last word.
        attention = _attention(items, config.attention_days, out, held_channels)
        out(report.summary())
        if disclosure.reaches:
            out("\n".join(disclosure.lines()))
        if not disclosure.ok:
            missed = sorted({f"{reach.post_id} on {reach.channel}" for reach in disclosure.unreached})
            out(f"syndicate: material news did not reach every disclosure channel: {'; '.join(missed)}")
            return 1
        return max(0 if report.ok else 1, attention)

    return _reported(out, syndicate_and_report)


def status(settings: Mapping, *, out: Print = print) -> int:
    """`invoke syndicate --status`: the ledger's open items, without a build. Exit code 1 while any of them is
    younger than SYNDICATION_ATTENTION_DAYS, as a run's would be."""

    out = printable_lines(out)

    def report() -> int:
        config, _, _ = _load(settings, _validated(settings)[1], None, manifests=False)
        configured = {channel.name for channel in config.channels}
        ledger = Ledger.open(config.ledger)
        items = open_items(ledger, configured, configured)
        new = sorted(configured - ledger.known_channels()) if ledger.existed else []
        if not items:
            out(f"{config.ledger.name}: nothing needs a person (no uncertain, failed or pending syndication)")
        code = _attention(items, config.attention_days, out)
        # Without a build it cannot count the posts routed to them: said, not failed (a run fails while one waits).
        if new:
            out("\n".join(new_channel_line(channel) for channel in new))
        return code

    return _reported(out, report)


def _attention(items: list[OpenItem], attention_days: float, out: Print, held: Sequence[HeldChannel] = ()) -> int:
    """Print what needs a person; 1 while any of it is recent enough to fail the run, or a channel is held."""
    now = datetime.now(UTC)
    lines = attention_lines(items, now, attention_days, held)
    if lines:
        out("\n".join(lines))
    return 1 if urgent(items, now, attention_days) or held else 0


def _disclosure(settings, newsroom, public, in_play, disclosing, ledger, report, broken, routing) -> DisclosureReport:
    """The disclosure report of a run: the channels, and the disclosure audiences' feeds in the deployed build
    (a language version's, in its language's edition of the feeds)."""
    output = Path(settings["OUTPUT_PATH"])
    by_id = {post.id: post for post in public}
    feeds = {
        post_id: [
            (relative, output / relative)
            for relative in in_language_edition(
                disclosure_feeds(
                    by_id[post_id].audiences,
                    by_id[post_id].category,
                    newsroom.material,
                    settings["SITENAME"],
                    newsroom.public_audiences,
                    newsroom.categories,
                ),
                newsroom.languages.find(by_id[post_id].language),
            )
        ]
        for post_id in in_play
    }
    feed_ids = {post_id: post_tag(newsroom.feeds.id_authority, post_id) for post_id in in_play}
    return disclosure_report(
        in_play,
        disclosing,
        ledger,
        report,
        broken,
        feeds,
        feed_ids,
        lambda post_id, channel: routing.carries(by_id[post_id], channel),
    )


def resolve(
    settings: Mapping,
    post_id: str,
    channel: str,
    *,
    posted_url: str | None = None,
    retry: bool = False,
    out: Print = print,
) -> int:
    """A person's verdict on an uncertain or failed (post, channel): it was posted (at URL), or retry it."""

    out = printable_lines(out)

    def verdict() -> int:
        with _ledger_for_a_person(settings, channel) as ledger:
            record = ledger.get(post_id, channel)
            if record is None:
                raise Stop(f"the ledger has nothing for post {post_id!r} on channel {channel!r}")
            if posted_url:
                # One post on a platform is one record's: a person's slip must not drop this post for good.
                others = sorted(ledger.holding(channel, {posted_url}) - {post_id})
                if others or posted_url in record.earlier:
                    owner = f"post {others[0]!r}" if others else f"an earlier generation of {post_id!r}"
                    raise Stop(
                        f"{posted_url} is already recorded on {channel} for {owner}; nothing was changed. Give the "
                        f"address of {post_id!r}'s own post, or `--retry` if it is not on {channel}"
                    )
                ledger.resolve_posted(post_id, channel, posted_url)
                out(f"{post_id} on {channel}: recorded as posted at {posted_url}")
            elif retry:
                announced = ledger.announced(post_id, channel)
                if announced is not None and announced.post != post_id:
                    raise Stop(
                        f"{post_id} on {channel}: the post was announced there as {announced.post} "
                        f"({announced.where_seen}), and a post is announced once on a channel; nothing "
                        "was changed (to announce it there again on purpose: "
                        f"`{syndicate_command('--reshare', announced.post, '--channel', channel)}`)"
                    )
                if record.state not in OPEN:
                    raise Stop(
                        f"{post_id} on {channel} is {record.state}, not uncertain or failed; "
                        "to post it again on purpose use --reshare"
                    )
                ledger.requeue(post_id, channel)
                out(f"{post_id} on {channel}: will be sent by the next run")
            else:
                raise Stop("--resolve needs --posted URL (it is on the platform) or --retry (send it again)")
        return 0

    return _reported(out, verdict)


def reshare(settings: Mapping, post_id: str, channel: str | None = None, *, out: Print = print) -> int:
    """Post something again on purpose (editing a post never does): the next run sends it as a new post."""

    out = printable_lines(out)

    def requeue() -> int:
        with _ledger_for_a_person(settings, channel) as ledger:
            records = [
                r
                for r in ledger
                if r.post == post_id and (channel is None or r.channel == channel) and r.state in REACHED
            ]
            if not records:
                raise Stop(f"post {post_id!r} has not been posted on {channel or 'any channel'}; nothing to re-share")
            for record in records:
                ledger.requeue(record.post, record.channel)
                out(f"{post_id} on {record.channel}: will be posted again by the next run")
        return 0

    return _reported(out, requeue)


@contextmanager
def _ledger_for_a_person(settings: Mapping, channel: str | None) -> Iterator[Ledger]:
    """The ledger, locked against a syndication run, for a change a person asked for. `channel` may be one the
    settings no longer name, as long as the ledger knows it: its open items are still listed, so they can be
    resolved."""
    config = _validated(settings)[1]
    with LedgerLock(config.ledger):
        ledger = Ledger.open(config.ledger)
        if channel not in ledger.channels():
            _load(settings, config, channel, manifests=False)  # says which channels there are
        yield ledger


def _reported(out: Print, action: Callable[[], int]) -> int:
    """Run `action`; a refusal or a ledger that cannot be trusted becomes one line and exit code 2."""
    try:
        return action()
    except Stop as stop:
        out(f"syndicate: {stop}")
        return stop.exit_code
    except (LedgerError, LedgerBusy, ManifestError) as error:
        out(f"syndicate: {error}")
        return 2


def format_plan(steps: list[Step], channels: Mapping[str, Channel], broken: Mapping[str, str]) -> str:
    """The dry run: for every (post, channel) the post's id and title (and whether it is material news), then the
    exact text and its length, or why it is skipped."""
    lines = ["Syndication plan (dry run: nothing is sent and the ledger is not written)", ""]
    for name, channel in channels.items():
        mine = [s for s in steps if s.channel == name]
        posted = [s for s in mine if s.action == Action.SKIP and s.record is not None and s.record.state in REACHED]
        audiences = ", ".join(channel.config.audiences)
        lines.append(
            f"{name} ({channel.channel_type.name}, for {audiences}): "
            f"{sum(s.action == Action.SEND for s in mine)} to send, {len(posted)} already syndicated"
        )
        for step in mine:
            if step in posted:
                continue
            material = " [material news]" if step.post.material else ""
            label = "RESEND" if step.action == Action.RESUME else step.action.name
            lines.append(
                f"  {label:<9} {step.post.id} {step.post.title!r}{material}"
                + (f": {step.reason}" if step.reason else "")
            )
            if step.message is not None and step.action in SENDING | {Action.DEFER}:
                lines.append(f"            {step.message.length}/{step.message.limit} {channel.length_unit}")
                lines.extend(f"            | {text}" for text in step.message.text.splitlines())
        lines.append("")
    for name, reason in broken.items():
        lines.append(f"{name}: cannot run: {reason}")
    return "\n".join(map(printable, lines)).rstrip() + "\n"  # a value holding a line break cannot add a line


def _validated(settings: Mapping) -> tuple[Newsroom, SyndicationConfig]:
    """Validate the settings once per command: NEWSROOM_*, then SYNDICATION_* (which needs the audiences)."""
    try:
        newsroom = load_newsroom(settings)
        return newsroom, load_config(settings, newsroom)
    except SettingsProblems as error:
        raise Stop("settings are invalid:\n" + "\n".join(error.problems)) from None


def _load(
    settings: Mapping,
    config: SyndicationConfig,
    only: str | None,
    manifests: bool = True,
    internal_channels=True,
    sends: bool = True,
):
    """The channels this run may use, and the public and internal posts of the builds it reads. A run that `sends`
    (or records posts as sent: a bootstrap) reads only builds made on the real clock; a dry run reads any."""
    held = partial(on_the_real_clock, nothing="Nothing was sent or recorded") if sends else lambda manifest: manifest
    if not internal_channels:
        config = replace(config, channels=tuple(c for c in config.channels if not c.internal))
    if only is not None and only not in {c.name for c in config.channels}:
        raise Stop(
            f"--channel {only!r} is not configured (expected one of: "
            f"{', '.join(c.name for c in config.channels) or 'none'})"
        )
    if not manifests:
        return config, (), ()
    builds = _builds(settings, config, only)
    missing = [edition for edition, output in builds.items() if not (output / MANIFEST_PATH).exists()]
    if missing:
        manifests = " and ".join(str(builds[edition] / MANIFEST_PATH) for edition in missing)
        commands = " and ".join(f"`{BUILD_COMMANDS[edition]}`" for edition in missing)
        raise Stop(
            f"no {' and no '.join(missing)} build to syndicate from ({manifests} does not exist): run {commands} "
            "first (with the same --settings), or `invoke syndicate --dry-run`, which builds what is missing"
        )
    public = held(read_manifest(builds["public"]))
    if public.edition != "public":
        raise Stop(
            f"{settings['OUTPUT_PATH']} holds the {public.edition} edition; public channels must only ever "
            "see the public build (run `invoke preview`)"
        )
    internal: tuple[PublishedPost, ...] = ()
    if "internal" in builds:
        edition = held(read_manifest(builds["internal"]))
        if edition.edition != "internal":
            raise Stop(
                f"{config.internal_output} holds the {edition.edition} edition (expected the internal one: "
                "`invoke preview --internal`)"
            )
        internal = edition.posts
    return config, public.posts, internal


# The command that writes each edition's build, for the messages that ask for one.
BUILD_COMMANDS = {"public": "invoke preview", "internal": "invoke preview --internal"}


def _builds(settings: Mapping, config: SyndicationConfig, only: str | None) -> dict[str, Path]:
    """The builds a run reads, by edition: the public one always, the internal one when an internal channel runs."""
    builds = {"public": Path(settings["OUTPUT_PATH"])}
    if any(c.internal for c in config.channels if only in (None, c.name)):
        builds["internal"] = config.internal_output
    return builds


def missing_builds(settings: Mapping, only: str | None = None) -> list[str]:
    """The editions a run would read that have not been built yet (`invoke syndicate --dry-run` builds them);
    none when the settings are invalid: the run itself says what is wrong with them."""
    try:
        config, _, _ = _load(settings, _validated(settings)[1], only, manifests=False)
    except Stop:
        return []
    return [
        edition for edition, output in _builds(settings, config, only).items() if not (output / MANIFEST_PATH).exists()
    ]


def _channels(
    config: SyndicationConfig, only: str | None, environ: Mapping[str, str], need_secrets: bool
) -> tuple[dict[str, Channel], dict[str, str]]:
    channels, broken = {}, {}
    for channel_config in config.channels:
        if only not in (None, channel_config.name):
            continue
        try:
            secrets = channel_config.read_secrets(environ) if need_secrets else {}
        except SettingsProblems as error:
            broken[channel_config.name] = "; ".join(error.problems)
            continue
        channel_class = CHANNEL_CLASSES[channel_config.type]
        channels[channel_config.name] = channel_class(channel_config, secrets, timeout=config.timeout)
    return channels, broken


def _bootstrap(
    ledger: Ledger,
    channels: Mapping[str, Channel],
    public,
    internal,
    out: Print,
    routing: LanguageRouting,
    *,
    named: bool,
) -> int:
    """Record the archive as sent on a new ledger's channels, or on the channels new to an existing one (a channel
    `named` by --channel: on it, whatever the ledger knows). On a channel the ledger knows, a post without a record
    is not archive but waiting: held back by the per-run cap, or routed to it by a widened audience."""
    new = set(channels) if not ledger.existed or named else new_to_the_ledger(channels, ledger)
    for name in sorted(set(channels) - new):
        out(
            f"{name}: the ledger knows it already, so its posts without a record are waiting to be sent, and none "
            f"was recorded as sent (`{syndicate_command('--bootstrap', '--channel', name)}` would record them)"
        )
    archive = [
        (post.id, name)
        for name, channel in channels.items()
        if name in new
        for post in (internal if channel.config.internal else public)
        if routed(post, channel.config, routing)
    ]
    # One write: the archive and the channels known together, so a run stopped part way records nothing. Even with
    # nothing to seed, later runs must know these channels are ready.
    seeded = ledger.know(set(channels), seeded=archive)
    out(
        f"Bootstrapped {ledger.path}: recorded {seeded} (post, channel) pair(s) as already syndicated; "
        "nothing was posted."
    )
    return 0
