"""Per-language channels: each channel carries the version in its language (one ledger entry per version and
channel), and the default language's only where the settings allow it. Through real signed webhooks on 127.0.0.1
and the real `invoke syndicate` code path."""

from __future__ import annotations

import pytest
from servers.loopback import Fault
from servers.webhook import WebhookReceiver
from test_languages import LANGUAGES, MATERIAL, french

from newsroom.model.settings import load_newsroom
from newsroom.syndication import command
from newsroom.syndication.config import load_config
from newsroom.syndication.ledger import Ledger

SECRET = "whsec-fedcba9876543210fedcba9876543210"
ENVIRON = {"HOOK_EN_SECRET": SECRET, "HOOK_FR_SECRET": SECRET}
RELEASE_ID = MATERIAL["Id"]


@pytest.fixture
def receivers():
    with WebhookReceiver(SECRET) as english, WebhookReceiver(SECRET) as french_receiver:
        yield english, french_receiver


def hook(name: str, receiver: WebhookReceiver, **extra) -> dict:
    return {
        "name": name,
        "type": "webhook",
        "audiences": ["media", "investors"],
        "url": receiver.hook_url,
        "credentials": {"secret": f"{name.upper().replace('-', '_')}_SECRET"},
        "disclosure": True,
        "account_url": f"https://{name}.example/",
        **extra,
    }


def english_and_french_hooks(site, english, french_receiver, fallback: bool, languages=LANGUAGES) -> None:
    """The site in `languages`, one webhook channel per language (French: `hook-fr`), and a ledger; English posts
    may go first, and fall back on the French channel if `fallback`."""
    site.overrides.update(
        NEWSROOM_LANGUAGES=languages,
        NEWSROOM_TRANSLATION_RULES={"one_language_first": True, "channel_fallback": fallback},
        SYNDICATION_CHANNELS=[hook("hook-en", english), hook("hook-fr", french_receiver, language="fr")],
        SYNDICATION_LEDGER="ledger.jsonl",
    )


def bilingual_run(site, tmp_path, receivers, fallback: bool) -> tuple[int, str, Ledger]:
    """A material release in English and French and an English-only post, built, then syndicated once."""
    english, french_receiver = receivers
    english_and_french_hooks(site, english, french_receiver, fallback=fallback, languages=LANGUAGES)
    site.post("release", **MATERIAL)
    french(site, "release-fr", **MATERIAL)
    site.post("english-only", Title="Larkspur opens a visitor centre", Date="2026-06-02 10:00 UTC", Id="centre")
    site.build()
    Ledger.open(tmp_path / "ledger.jsonl").know({"hook-en", "hook-fr"})
    lines: list[str] = []
    code = command.syndicate(site.settings(), environ=ENVIRON, out=lines.append)
    return code, "\n".join(lines), Ledger.open(tmp_path / "ledger.jsonl")


def titles(receiver: WebhookReceiver) -> list[str]:
    return [delivery["data"]["post"]["title"] for delivery in receiver.deliveries]


def syndicate(site, **options) -> tuple[int, str]:
    lines: list[str] = []
    code = command.syndicate(site.settings(), environ=ENVIRON, out=lines.append, **options)
    return code, "\n".join(lines)


def test_each_channel_gets_the_version_in_its_language_with_one_ledger_entry_each(site, tmp_path, receivers):
    code, printed, ledger = bilingual_run(site, tmp_path, receivers, fallback=False)
    english, french_receiver = receivers
    assert code == 0, printed
    assert titles(english) == ["Larkspur opens Kessler Ridge wind farm", "Larkspur opens a visitor centre"]
    assert titles(french_receiver) == ["Larkspur met en service le parc éolien de Kessler Ridge"]
    assert ledger.get(RELEASE_ID, "hook-en").state == "done"
    assert ledger.get(f"{RELEASE_ID}@fr", "hook-fr").state == "done"
    assert ledger.get(RELEASE_ID, "hook-fr") is None and ledger.get(f"{RELEASE_ID}@fr", "hook-en") is None
    assert ledger.get("centre", "hook-fr") is None  # no French version, and no fallback allowed
    # Material news reached every disclosure channel in its language, and each language's feeds carry it.
    assert f"  {RELEASE_ID}: all " in printed and f"  {RELEASE_ID}@fr: all " in printed
    assert "reached  feed feeds/fr/investors.atom.xml: in the deployed build" in printed
    assert "NOT REACHED" not in printed

    # A second run sends nothing again: every version is in the ledger for its channel.
    lines: list[str] = []
    assert command.syndicate(site.settings(), environ=ENVIRON, out=lines.append) == 0
    assert len(english.deliveries) == 2 and len(french_receiver.deliveries) == 1


def test_a_channel_falls_back_to_the_default_language_only_when_the_settings_allow_it(site, tmp_path, receivers):
    code, printed, ledger = bilingual_run(site, tmp_path, receivers, fallback=True)
    _, french_receiver = receivers
    assert code == 0, printed
    assert titles(french_receiver) == [
        "Larkspur met en service le parc éolien de Kessler Ridge",
        "Larkspur opens a visitor centre",
    ]
    assert ledger.get("centre", "hook-fr").state == "done"
    assert ledger.get(RELEASE_ID, "hook-fr") is None  # the release has a French version: never the English one


def test_a_channel_that_fell_back_does_not_announce_the_post_again_when_its_translation_lands(
    site, tmp_path, receivers
):
    """One post, one announcement per channel: the French channel carried the English visitor-centre post (no
    French version yet); the French version merged later is not announced there a second time."""
    code, printed, _ = bilingual_run(site, tmp_path, receivers, fallback=True)
    english, french_receiver = receivers
    assert code == 0, printed
    french(
        site, "english-only-fr", Title="Larkspur ouvre un centre d'accueil", Date="2026-06-02 10:00 UTC", Id="centre"
    )
    site.build()
    lines: list[str] = []
    assert command.syndicate(site.settings(), environ=ENVIRON, out=lines.append) == 0, lines
    assert titles(french_receiver).count("Larkspur ouvre un centre d'accueil") == 0
    assert titles(french_receiver).count("Larkspur opens a visitor centre") == 1
    assert len(english.deliveries) == 2  # and the English channel never carries a French version
    plan: list[str] = []
    command.syndicate(site.settings(), environ=ENVIRON, out=plan.append, dry_run=True)
    assert any("centre@fr" in line and "announced on this channel already, as centre (" in line for line in plan), plan


def test_a_channel_language_the_newsroom_does_not_publish_in_is_refused(site, tmp_path, receivers):
    site.overrides.update(
        NEWSROOM_LANGUAGES=LANGUAGES,
        SYNDICATION_CHANNELS=[hook("hook-en", receivers[0], language="de")],
    )
    lines: list[str] = []
    assert command.syndicate(site.settings(), environ=ENVIRON, out=lines.append, dry_run=True) == 2
    assert any(
        "SYNDICATION_CHANNELS[0].language: 'de' is not one of the newsroom's languages (expected one of: en, fr;"
        in line
        for line in lines
    ), lines


# French from July 2026 only: the June release (MATERIAL's date) needs no French version when it goes out.
FRENCH_SINCE_JULY = [LANGUAGES[0], {**LANGUAGES[1], "since": "2026-07-01 00:00 UTC"}]


def test_material_news_a_channel_announced_in_another_version_counts_as_reached_there(site, tmp_path, receivers):
    """The English release went to the French disclosure channel by the fallback (no French version was due);
    its French version, merged a week later, is not announced there again, so the channel has announced the
    release: the disclosure check must count it reached, or every later run fails on something no command can
    settle (there is no record of the French version on that channel to resolve)."""
    english, french_receiver = receivers
    english_and_french_hooks(site, english, french_receiver, fallback=True, languages=FRENCH_SINCE_JULY)
    site.post("release", **MATERIAL)
    site.build()
    Ledger.open(tmp_path / "ledger.jsonl").know({"hook-en", "hook-fr"})
    code, printed = syndicate(site)
    assert code == 0, printed
    assert titles(french_receiver) == ["Larkspur opens Kessler Ridge wind farm"]  # English, by the fallback

    french(site, "release-fr", **MATERIAL)
    site.build()
    for _ in range(2):  # and every run after
        code, printed = syndicate(site)
        assert code == 0, printed
        assert "NOT REACHED" not in printed, printed
    assert len(french_receiver.deliveries) == 1 and len(english.deliveries) == 1  # announced once on each


def test_a_disclosure_channel_whose_language_changes_is_not_reported_unreached_for_what_it_announced(
    site, tmp_path, receivers
):
    """A disclosure channel announced the release in English; the settings then make it French. The French
    version is not announced there again (the post is on it already), and the disclosure check agrees: the run
    is green, not failed in every run from then on."""
    _, channel = receivers
    site.overrides.update(
        NEWSROOM_LANGUAGES=LANGUAGES,
        NEWSROOM_TRANSLATION_RULES={"one_language_first": True, "channel_fallback": False},
        SYNDICATION_CHANNELS=[hook("hook-en", channel, language="en")],
        SYNDICATION_LEDGER="ledger.jsonl",
    )
    site.post("release", **MATERIAL)
    french(site, "release-fr", **MATERIAL)
    site.build()
    Ledger.open(tmp_path / "ledger.jsonl").know({"hook-en"})
    code, printed = syndicate(site)
    assert code == 0, printed
    assert titles(channel) == ["Larkspur opens Kessler Ridge wind farm"]

    site.overrides["SYNDICATION_CHANNELS"] = [hook("hook-en", channel, language="fr")]
    code, printed = syndicate(site)
    assert len(channel.deliveries) == 1
    assert code == 0, printed
    assert "NOT REACHED" not in printed, printed


def test_a_channel_in_a_language_the_newsroom_dropped_is_refused_not_fed_the_english_archive(site, tmp_path, receivers):
    """The newsroom drops French (NEWSROOM_LANGUAGES back to one language) and leaves its French channel
    configured. A newsroom in one language routes every post to every channel, so that channel would announce
    every English post it never carried, in the wrong language, all material news at once: its `language` is
    refused in one line naming the setting, the value and the fix, and nothing is sent."""
    english, french_receiver = receivers
    english_and_french_hooks(site, english, french_receiver, fallback=False, languages=LANGUAGES)
    site.post("release", **MATERIAL)
    release_fr = french(site, "release-fr", **MATERIAL)
    site.post("english-only", Title="Larkspur opens a visitor centre", Date="2026-06-02 10:00 UTC", Id="centre")
    site.build()
    Ledger.open(tmp_path / "ledger.jsonl").know({"hook-en", "hook-fr"})
    assert syndicate(site)[0] == 0

    release_fr.unlink()
    site.overrides["NEWSROOM_LANGUAGES"] = None
    code, printed = syndicate(site)
    assert code == 2, printed
    assert (
        "SYNDICATION_CHANNELS[1].language: 'fr' is not one of the newsroom's languages (expected one of: en; see "
        "NEWSROOM_LANGUAGES): channel 'hook-fr' would announce posts in a language they are not in; add 'fr' to "
        "NEWSROOM_LANGUAGES, or remove the channel or its language"
    ) in printed.splitlines(), printed
    assert titles(french_receiver) == ["Larkspur met en service le parc éolien de Kessler Ridge"]


@pytest.mark.parametrize("language", ["", "en"])
def test_a_newsroom_in_one_language_takes_channels_in_that_language(site, receivers, language):
    settings = site.settings(SYNDICATION_CHANNELS=[hook("hook-en", receivers[0], language=language)])
    assert load_config(settings, load_newsroom(settings)).channels[0].language == language


def test_a_refused_send_is_settled_once_another_version_is_announced_on_that_channel(site, tmp_path, receivers):
    """The French channel refused (422) the English post it fell back on; the French version lands later and is
    announced there. The channel has the post now: the refusal is settled as `superseded` (the ledger keeps what
    it was and which version superseded it), nobody is asked to act on it, and a `--retry` of it, which would
    announce the post there a second time, is refused."""
    english, french_receiver = receivers
    english_and_french_hooks(site, english, french_receiver, fallback=True, languages=LANGUAGES)
    site.post("english-only", Title="Larkspur opens a visitor centre", Date="2026-06-02 10:00 UTC", Id="centre")
    site.build()
    Ledger.open(tmp_path / "ledger.jsonl").know({"hook-en", "hook-fr"})
    french_receiver.faults.append(Fault(status=422, body={"error": "not today"}))
    code, printed = syndicate(site)
    assert code == 1 and Ledger.open(tmp_path / "ledger.jsonl").get("centre", "hook-fr").state == "failed", printed

    french(
        site, "english-only-fr", Title="Larkspur ouvre un centre d'accueil", Date="2026-06-02 10:00 UTC", Id="centre"
    )
    site.build()
    code, printed = syndicate(site)
    assert code == 0, printed
    assert "Needs a person" not in printed, printed
    assert titles(french_receiver) == ["Larkspur ouvre un centre d'accueil"]
    refused = Ledger.open(tmp_path / "ledger.jsonl").get("centre", "hook-fr")
    assert refused.state == "superseded", refused
    announced = Ledger.open(tmp_path / "ledger.jsonl").get("centre@fr", "hook-fr")
    assert announced.state == "done" and announced.remote_id
    assert refused.reason.startswith(f"announced on this channel as centre@fr ({announced.remote_id})"), refused
    assert "this was failed: " in refused.reason, refused.reason

    lines: list[str] = []
    assert command.resolve(site.settings(), "centre", "hook-fr", retry=True, out=lines.append) == 2
    assert lines == [
        "syndicate: centre on hook-fr: the post was announced there as centre@fr "
        f"({announced.remote_id}), and a post is announced once "
        "on a channel; nothing was changed (to announce it there again on purpose: `invoke syndicate --reshare "
        "centre@fr --channel hook-fr`)"
    ]
    assert syndicate(site)[0] == 0
    assert len(french_receiver.deliveries) == 1 and len(english.deliveries) == 1


def test_an_uncertain_send_stays_open_when_another_version_is_announced_on_that_channel(tmp_path):
    """An English send to the French channel that may have been posted (its answer was lost), then the French
    version recorded there (a person's --resolve --posted, or --bootstrap): the channel may have the post twice,
    so the uncertain attempt stays open for a person to look at, never settled on their behalf."""
    path = tmp_path / "ledger.jsonl"
    ledger = Ledger.open(path)
    ledger.know({"hook-fr"})
    ledger.begin("centre", "hook-fr", "nr-key", "2026-06-09T10:00:00+00:00")
    ledger.uncertain("centre", "hook-fr", "the answer was lost after the server took the request")
    ledger.begin("centre@fr", "hook-fr", "nr-key-fr", "2026-06-10T10:00:00+00:00")
    ledger.complete("centre@fr", "hook-fr", "1", "https://hook-fr.example/1")
    assert Ledger.open(path).get("centre", "hook-fr").state == "uncertain"


def test_a_ledger_holding_a_refusal_another_version_superseded_is_settled_by_the_next_run(tmp_path):
    """A ledger written before refusals were settled: the English post refused on the French channel, its French
    version announced there since. Whichever command writes it next settles the refusal; a run does so first."""
    path = tmp_path / "ledger.jsonl"
    ledger = Ledger.open(path)
    ledger.know({"hook-fr"})
    ledger.record_failure("centre", "hook-fr", "422 not today")
    ledger.begin("centre@fr", "hook-fr", "nr-key", "2026-06-09T10:00:00+00:00")
    ledger.complete("centre@fr", "hook-fr", "1", "https://hook-fr.example/1")
    assert Ledger.open(path).get("centre", "hook-fr").state == "superseded"  # a run's own write settles it

    old = path.read_text(encoding="utf-8").replace('"state": "superseded"', '"state": "failed"')
    path.write_text(old, encoding="utf-8")
    ledger = Ledger.open(path)
    assert ledger.get("centre", "hook-fr").state == "failed"
    ledger.settle()
    settled = Ledger.open(path).get("centre", "hook-fr")
    assert settled.state == "superseded" and settled.post == "centre", settled
    assert Ledger.open(path).get("centre@fr", "hook-fr").state == "done"
