"""`invoke embargoes` and the embargo preview: what is waiting, when it lifts, and that a preview can never be
deployed to the public site."""

from __future__ import annotations

from conftest import files_containing, run_invoke
from newsroom.publishing import publish
from newsroom.site.build import build


def test_embargoes_lists_upcoming_posts_soonest_first_in_utc_and_in_their_own_zone(site):
    site.post(
        "deal", Title="Acquisition of Halvorsen", Date="2026-12-03 16:05 America/New_York", Audience="investors, media"
    )
    site.post("memo", Title="Office move", Date="2026-11-27T09:00+01:00", Audience="employees")
    site.post("draft", Title="Not approved", Date="2026-11-28 09:00 UTC", Status="draft")
    site.post("old", Title="Already out", Date="2026-06-01 10:00 UTC")
    settings = site.settings_file("publishconf.py", NEWSROOM_NOW="2026-11-26 12:00 UTC")

    result = run_invoke("embargoes", "--settings", str(settings))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "2026-11-27 08:00 UTC  = 2026-11-27 09:00 UTC+01:00 (UTC+0100)  in 20 h 0 min",
        "    Office move",
        f"    {site.content}/posts/memo.md · employees · intranet only",
        "2026-12-03 21:05 UTC  = 2026-12-03 16:05 EST (America/New_York)  in 7 d 9 h 5 min",
        "    Acquisition of Halvorsen",
        f"    {site.content}/posts/deal.md · investors, media · public site",
    ]


def test_embargoes_says_so_when_nothing_is_waiting(site):
    site.post("old", Title="Already out", Date="2026-06-01 10:00 UTC")
    result = run_invoke(
        "embargoes", "--settings", str(site.settings_file("publishconf.py", NEWSROOM_NOW="2026-11-26 12:00 UTC"))
    )
    assert result.stdout == "No upcoming embargoes: every approved post is already public.\n"


def test_invoke_preview_embargo_builds_the_marked_preview_into_its_own_folder(site):
    site.with_sample_content()
    settings = site.settings_file("publishconf.py", NEWSROOM_NOW="2026-11-26 12:00 UTC")
    result = run_invoke("preview", "--embargo", "--settings", str(settings))
    assert result.returncode == 0, result.stderr
    preview = site.root / "output-embargo-preview"
    assert "Built the embargo-preview edition" in result.stdout
    found = files_containing(preview, "Halvorsen Hydro")
    assert (
        "press-releases/2026/larkspur-energy-to-acquire-halvorsen-hydro-adding-410-megawatts-of-hydropower/index.html"
        in found
    )
    assert not (site.root / "output").exists()  # the public output is untouched


def test_publish_refuses_to_deploy_an_embargo_preview_to_the_public_target(site):
    site.with_sample_content()
    public_output = site.root / "output"
    # Someone builds the preview into the public edition's folder, then resumes a publish at the deploy step.
    build(site.settings(edition="embargo-preview", OUTPUT_PATH=str(public_output)))
    assert files_containing(public_output, "Halvorsen Hydro")
    lines: list[str] = []
    target = {"type": "rsync", "destination": str(site.root / "www")}
    report = publish(
        lambda edition: site.settings(edition=edition, NEWSROOM_PUBLISH={"target": target, "source": None}),
        after="verify",
        out=lines.append,
    )
    assert [step.step for step in report.failed] == ["deploy"]
    assert any(
        "holds the embargo-preview edition; the public edition's target takes only the public edition" in line
        for line in lines
    )
    assert not (site.root / "www").exists()
