"""A publish whose state files (committed to git by the git store, so open to a bad merge or a hand edit) hold
something else than what it wrote: one line naming the file, from the step that reads it, which stops the steps
after it and still saves the state; never a traceback, and never a damaged deploy record read as "nothing was
deployed", which would let an older build replace a newer site."""

from __future__ import annotations

import shutil

import pytest

from conftest import ROOT
from newsroom.publishing import publish

PUBLISH = {"target": {"type": "rsync", "destination": "site/"}, "state": {"store": "local"}, "source": None}


def publish_once(site, **settings):
    """`invoke publish` with a local rsync target and no channels; the report, and every line it printed."""
    said: list[str] = []

    def load(edition):
        return site.settings(edition=edition, NEWSROOM_PUBLISH=PUBLISH, SYNDICATION_CHANNELS=[], **settings)

    return publish(load, environ={}, out=said.append), said


@pytest.fixture
def published(site, monkeypatch):
    """A site published once, from its own folder (where the state files and the local target live)."""
    monkeypatch.chdir(site.root)
    # What every page links to (the verify step checks each link): the sample's pages, logo and fact sheet.
    for name, template in (("subscribe", "subscribe"), ("media-contacts", "contacts"), ("disclosure", "disclosure")):
        site.file(f"pages/{name}.md", f"Title: {name.title()}\nSlug: {name}\nTemplate: {template}\n\nText.\n")
    for relative in ("images/larkspur-logo.svg", "downloads/larkspur-fact-sheet.txt"):
        (site.content / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "content" / relative, site.content / relative)
    site.post("wind", Title="Wind farm opens for the public", Slug="wind")
    report, said = publish_once(site)
    assert report.ok, said
    return site


@pytest.mark.parametrize(
    "text, wrong",
    [
        ('{"file://site/": "garbage"}', "the record for 'file://site/' is 'garbage'"),
        ("[1, 2]", "holds list, not a record per target"),
        ('{"file://site/": {"commit"', "cannot be read as JSON"),
    ],
    ids=["entry", "list", "cut-short"],
)
def test_a_damaged_deploy_record_stops_the_deploy_in_one_line_and_the_state_is_still_saved(published, text, wrong):
    record = published.root / "publishing/deployed.json"
    record.write_text(text, encoding="utf-8")
    report, said = publish_once(published)
    failed = [step for step in report.steps if not step.ok]
    assert [step.step for step in failed] == ["deploy"], said
    assert failed[0].lines[0].startswith(f"publishing/deployed.json: {wrong}"), failed[0].lines
    assert "not a deploy record" in failed[0].lines[0]
    assert "git checkout -- publishing/deployed.json" in failed[0].lines[0]
    assert not any("Traceback" in line for line in said)
    assert "persist" in [step.step for step in report.steps]  # what the run did before is kept
    assert record.read_text(encoding="utf-8") == text  # nothing written over it: a person decides


def test_a_websub_state_that_is_not_one_fails_its_step_and_the_later_steps_still_run_in_order(published):
    (published.root / "publishing/websub.json").write_text("[1, 2]", encoding="utf-8")
    feeds = {**published.settings()["NEWSROOM_FEEDS"], "hub": "http://127.0.0.1:9/"}
    report, said = publish_once(published, NEWSROOM_FEEDS=feeds)
    failed = [step for step in report.steps if not step.ok]
    assert [step.step for step in failed] == ["websub"], said
    assert "websub.json" in failed[0].lines[0] and not any("Traceback" in line for line in said)
    assert "persist" in [step.step for step in report.steps]
