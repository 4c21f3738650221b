"""`invoke syndicate --dry-run` as a newcomer meets it: right after `invoke preview`, one command is enough, and
the plan says which post is which (its title) and which is material news."""

from __future__ import annotations

import pytest
from test_disclosure import DISCLOSURE_PAGE, MATERIAL

from conftest import TinySite, run_invoke
from newsroom.syndication.ledger import Ledger

CHANNELS = [
    {
        "name": "outbox",
        "type": "outbox",
        "audiences": ["investors", "media"],
        "folder": "outbox",
        "disclosure": True,
        "account_url": "mailto:press@larkspur-energy.example",
    },
    {"name": "staff", "type": "outbox", "audiences": ["employees"], "internal": True, "folder": "outbox"},
]


def newsroom(tmp_path) -> tuple[TinySite, str]:
    site = TinySite(tmp_path)
    site.file("pages/disclosure.md", DISCLOSURE_PAGE)
    site.post("deal", Id="deal", **MATERIAL)
    site.post("opening", Id="opening", Title="Kessler Ridge opens", Date="2026-11-21 10:00 UTC")
    site.post("canteen", Id="canteen", Title="The canteen reopens", Audience="employees", Date="2026-11-22 10:00 UTC")
    ledger = tmp_path / "ledger.jsonl"
    Ledger.open(ledger).know({"outbox", "staff"})  # both channels are set up; nothing has been posted yet
    settings = site.settings_file(
        "publishconf.py",
        CACHE_PATH=str(tmp_path / "cache"),
        NEWSROOM_NOW="2026-11-26 12:00 UTC",
        NEWSROOM_EDITIONS={"internal": {"OUTPUT_PATH": str(tmp_path / "output-internal")}},
        NEWSROOM_FEEDS={"max_items": 50, "hub": "", "id_authority": "larkspur-energy.example,2026"},
        SYNDICATION_LEDGER=str(ledger),
        SYNDICATION_CHANNELS=CHANNELS,
    )
    return site, str(settings)


def test_dry_run_right_after_preview_builds_the_internal_edition_and_names_each_post(tmp_path):
    _, settings = newsroom(tmp_path)
    preview = run_invoke("preview", "--settings", settings)
    assert preview.returncode == 0, preview.stderr
    assert not (tmp_path / "output-internal").exists()

    plan = run_invoke("syndicate", "--dry-run", "--settings", settings)

    assert plan.returncode == 0, plan.stdout + plan.stderr
    assert "No internal build yet; building it first, as `invoke preview --internal` would." in plan.stdout
    assert (tmp_path / "output-internal/.newsroom/manifest.json").is_file()
    assert "No public build yet" not in plan.stdout  # the preview's build is used as it is
    lines = plan.stdout.splitlines()
    assert "  SEND      deal 'Larkspur agrees to buy Halvorsen Hydro' [material news]" in lines
    assert "  SEND      opening 'Kessler Ridge opens'" in lines
    assert "  SEND      canteen 'The canteen reopens'" in lines
    assert not (tmp_path / "outbox").exists()  # a plan sends nothing


def test_a_real_run_without_the_internal_build_names_the_command_that_makes_it(tmp_path):
    _, settings = newsroom(tmp_path)
    assert run_invoke("preview", "--settings", settings).returncode == 0

    run = run_invoke("syndicate", "--settings", settings)

    assert run.returncode == 2
    manifest = tmp_path / "output-internal/.newsroom/manifest.json"
    assert run.stdout.strip() == (
        f"syndicate: no internal build to syndicate from ({manifest} does not exist): run `invoke preview "
        "--internal` first (with the same --settings), or `invoke syndicate --dry-run`, which builds what is missing"
    )
    assert not (tmp_path / "output-internal").exists()  # only a dry run builds: a real run posts what was built


@pytest.mark.parametrize(
    "options, said",
    [
        (["--posted", "https://mastodon.example/@larkspur/1"], "--posted and --retry go with --resolve ID"),
        (["--retry"], "--posted and --retry go with --resolve ID"),
        (["--resolve", "deal", "--channel", "outbox", "--posted", "https://x.example/1", "--retry"], "not both"),
        (["--bootstrap", "--dry-run"], "--bootstrap and --dry-run do not go together"),
        (["--status", "--reshare", "deal"], "--reshare and --status do not go together"),
        (["--status", "--channel", "nochannel"], "--status lists what needs a person on every channel"),
    ],
)
def test_options_that_do_not_go_together_are_one_line_and_nothing_is_sent_or_recorded(tmp_path, options, said):
    """An option the command would not read was dropped: `--posted URL` without `--resolve` ran a real
    syndication, which sent the posts; `--bootstrap --dry-run` recorded the archive as sent."""
    site, settings = newsroom(tmp_path)
    assert run_invoke("preview", "--internal", "--settings", settings).returncode == 0
    assert run_invoke("preview", "--settings", settings).returncode == 0
    ledger = (tmp_path / "ledger.jsonl").read_bytes()
    done = run_invoke("syndicate", *options, "--settings", settings)
    assert (done.returncode == 2 and said in done.stderr and "nothing was done" in done.stderr) or "--status" in said
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert (tmp_path / "ledger.jsonl").read_bytes() == ledger
    assert not (site.root / "outbox").exists() or not any((site.root / "outbox").iterdir())


def test_a_custom_text_for_a_channel_that_does_not_exist_is_refused_naming_the_closest(tmp_path):
    """`Syndicate-Text-outbx:` (a typo) was left unused, and the channel posted the title and summary instead."""
    site, settings = newsroom(tmp_path)
    site.post("opening", Id="opening", Title="Kessler Ridge opens", **{"Syndicate-Text-outbx": "Our own words."})
    done = run_invoke("check", "--settings", settings)
    assert done.returncode == 1, done.stdout + done.stderr
    assert (
        "content/posts/opening.md:7: syndicate-text-outbx: names no channel of SYNDICATION_CHANNELS: 'outbx' "
        "(did you mean 'outbox'?); the text would be unused"
    ) in done.stderr
    site.post("opening", Id="opening", Title="Kessler Ridge opens", **{"Syndicate-Text-outbox": "Our own words."})
    assert run_invoke("check", "--settings", settings).returncode == 0
