"""`invoke syndicate` announces only a build made on the real clock. A build on a preview's clock (NEWSROOM_NOW
ahead of the real time) shows posts whose embargo has not lifted; its manifest says which clock it was made on,
and a real run (a bootstrap too) refuses it in one line before anything is sent or recorded. A dry run plans it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from conftest import TinySite
from newsroom.site.build import build
from newsroom.syndication import command
from newsroom.syndication.ledger import Ledger

LIFTS = datetime.now(UTC) + timedelta(days=20)  # the embargo, in real time
AHEAD = (LIFTS + timedelta(days=10)).strftime("%Y-%m-%d %H:%M UTC")  # a preview of the site after it
REAL = "2026-11-26 12:00 UTC"  # a clock behind the real time, as a drill's: obeyed
CHANNELS = [
    {"name": "outbox", "type": "outbox", "audiences": ["investors", "media"], "folder": "outbox"},
    {"name": "staff", "type": "outbox", "audiences": ["employees"], "internal": True, "folder": "outbox"},
]


def newsroom(tmp_path, ledger_known: bool = True) -> TinySite:
    """A release and a note to staff, both embargoed for twenty days; an older post that is public."""
    site = TinySite(tmp_path)
    lifts = LIFTS.strftime("%Y-%m-%d %H:%M UTC")
    site.post("deal", "EMBARGOEDDEALTEXT for the markets.", Id="deal", Title="Secret acquisition", Date=lifts)
    site.post("memo", "EMBARGOEDMEMOTEXT for staff.", Id="memo", Title="Staff memo", Audience="employees", Date=lifts)
    site.post("opening", Id="opening", Title="Kessler Ridge opens", Date="2026-11-21 10:00 UTC")
    if ledger_known:
        Ledger.open(tmp_path / "ledger.jsonl").know({"outbox", "staff"})  # set up; nothing posted yet
    return site


def settings(site: TinySite, clock: str, edition: str = "public") -> dict:
    return site.settings(
        edition=edition,
        NEWSROOM_NOW=clock,
        SYNDICATION_LEDGER=str(site.root / "ledger.jsonl"),
        SYNDICATION_CHANNELS=[{**channel, "folder": str(site.root / "outbox")} for channel in CHANNELS],
    )


def built(site: TinySite, public: str, internal: str) -> None:
    build(settings(site, public))
    build(settings(site, internal, "internal"))


def syndicate(site: TinySite, **options) -> tuple[int, list[str]]:
    printed: list[str] = []
    code = command.syndicate(settings(site, REAL), out=lambda text: printed.extend(text.splitlines()), **options)
    return code, printed


def sent(site: TinySite) -> list[str]:
    return sorted(path.name for path in (site.root / "outbox").glob("*.txt"))


def test_a_build_made_on_a_clock_ahead_of_the_real_time_is_never_announced(tmp_path):
    site = newsroom(tmp_path)
    built(site, public=AHEAD, internal=REAL)

    code, printed = syndicate(site)

    assert code == 2 and len(printed) == 1, printed
    manifest = tmp_path / "output/.newsroom/manifest.json"
    assert printed[0].startswith(f"syndicate: {manifest}: the build's clock: {AHEAD} is later than the real time")
    assert "Nothing was sent or recorded" in printed[0] and "`invoke preview`" in printed[0]
    assert sent(site) == [] and list(Ledger.open(tmp_path / "ledger.jsonl")) == []


def test_an_internal_build_made_on_a_clock_ahead_of_the_real_time_is_never_announced(tmp_path):
    """The intranet edition is held to the same rule: the staff channel would announce its embargoed memo."""
    site = newsroom(tmp_path)
    built(site, public=REAL, internal=AHEAD)

    code, printed = syndicate(site)

    assert code == 2 and len(printed) == 1, printed
    assert f"{tmp_path / 'output-internal/.newsroom/manifest.json'}: the build's clock: {AHEAD}" in printed[0]
    assert sent(site) == []  # not even the public channel's post of the public build: the run is refused whole


def test_a_bootstrap_never_records_the_posts_of_a_build_made_ahead_as_announced(tmp_path):
    """A bootstrap records every post of the build as already announced: the embargoed release, recorded before
    its embargo lifted, would never be announced at all."""
    site = newsroom(tmp_path, ledger_known=False)
    built(site, public=AHEAD, internal=REAL)

    code, printed = syndicate(site, bootstrap=True)

    assert code == 2 and "the build's clock" in printed[0] and len(printed) == 1, printed
    assert not (tmp_path / "ledger.jsonl").exists() and sent(site) == []


def test_a_dry_run_plans_a_build_made_on_any_clock(tmp_path):
    """A dry run sends nothing: it shows the plan for a preview's build as for any other."""
    site = newsroom(tmp_path)
    built(site, public=AHEAD, internal=AHEAD)

    code, printed = syndicate(site, dry_run=True)

    assert code == 0, printed
    assert "  SEND      deal 'Secret acquisition'" in printed and "  SEND      memo 'Staff memo'" in printed
    assert sent(site) == []


def test_a_build_clock_a_moment_ahead_as_between_two_ci_machines_is_announced(tmp_path):
    """The scheduled publish builds in one CI job and announces in another, on a machine whose clock may be a few
    seconds behind the first's: a build clock within that skew is the real time, not a preview's."""
    site = newsroom(tmp_path)
    moment = (datetime.now(UTC) + timedelta(seconds=50)).strftime("%Y-%m-%d %H:%M:%S UTC")
    built(site, public=moment, internal=moment)

    code, printed = syndicate(site)

    assert code == 0, printed
    assert [name for name in sent(site) if "--opening--" in name] and not [n for n in sent(site) if "--deal--" in n]


def test_a_manifest_that_does_not_record_its_clock_is_rebuilt_not_trusted(tmp_path):
    """A manifest written before builds recorded their clock cannot show it was made on the real one."""
    site = newsroom(tmp_path)
    built(site, public=REAL, internal=REAL)
    manifest = tmp_path / "output/.newsroom/manifest.json"
    data = json.loads(manifest.read_text())
    del data["clock"]
    manifest.write_text(json.dumps({**data, "version": 1}))

    code, printed = syndicate(site)

    assert code == 2 and printed == [f"syndicate: {manifest}: manifest version 1 (expected 2); rebuild"]
    assert sent(site) == []
