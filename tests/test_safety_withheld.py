"""Only what a public item claims is published: files of withheld posts, however they are referenced, static
files nothing public references, the image and attachments of a withdrawn post, and links from a public post
to a withheld one. Verify names every file without an owner, and random mixtures of posts keep the rule."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

from conftest import WITHHELD_KINDS, TinySite, files_containing, run_invoke, text_of
from newsroom.model.dates import parse_timestamp
from newsroom.model.settings import load_newsroom
from newsroom.publishing.verify import verify_output
from newsroom.search.index import index_site
from newsroom.site.build import BuildFailed, check
from refusals import lines_naming, problems

NOW = "2026-11-26 12:00 UTC"
SVG = "<svg xmlns='http://www.w3.org/2000/svg'><title>{}</title></svg>"

# Every way a post can point at a file of content/images or content/downloads. Posts live in content/posts/2026/,
# as `invoke new` writes them, so a path relative to the post's file climbs two folders to content/.
WAYS = {
    "static": ("images", "svg", "![chart]({{static}}/images/{name})"),
    "plain": ("images", "svg", "![chart](/images/{name})"),
    "filename": ("images", "svg", "![chart]({{filename}}/images/{name})"),
    "relative": ("images", "svg", "![chart](../../images/{name})"),
    "img-tag": ("images", "svg", '<img src="/images/{name}" alt="chart">'),
    # An image in full (https://…/images/x.svg) is refused as an image from another site; a link in full is not.
    "site-url": ("images", "svg", "[chart]({siteurl}/images/{name})"),
    "lead": ("images", "svg", None),  # the post's Image: field
    "download-static": ("downloads", "txt", "[terms]({{static}}/downloads/{name})"),
    "download-plain": ("downloads", "txt", "[terms](/downloads/{name})"),
}


def file_of(owner: str, way: str) -> tuple[str, str]:
    """(path under content/, distinctive bytes) of the file `owner` references `way`."""
    folder, suffix, _ = WAYS[way]
    token = f"{owner}-{way}-bytes"
    return f"{folder}/{owner}-{way}.{suffix}", SVG.format(token) if suffix == "svg" else f"Terms: {token}\n"


def reference(relative: str, way: str, siteurl: str) -> str:
    return WAYS[way][2].format(name=relative.split("/", 1)[1], siteurl=siteurl)


WITHDRAWN = {
    "Title": "Larkspur signs Kessler Ridge turbine contract",
    "Slug": "turbine-contract",
    "Summary": "Larkspur awarded the Kessler Ridge turbine contract to Brennholt Werke.",
    "Withdrawn": "2026-11-02 10:00 UTC | Withdrawn at the request of the Maine Superior Court.",
    "Image": "{static}/images/withdrawn-lead.svg",
    "Image_Alt": "The turbine site",
}
WITHDRAWN_ONLY = ["images/withdrawn-lead.svg", "images/withdrawn-body.svg", "downloads/withdrawn-terms.txt"]
PRESS_KIT = [
    {"title": "Fact sheet", "path": "downloads/fact-sheet.txt", "description": "Key figures."},
    {"title": "Logo", "path": "images/kit-logo.svg", "description": "The logo."},
]


@pytest.fixture(scope="module")
def withheld_build(tmp_path_factory) -> tuple[TinySite, Path]:
    """One public edition: a withheld post of each kind referencing a file of its own in each way and a file
    it shares with the public post, a withdrawn post, orphan files and press-kit files."""
    site = TinySite(tmp_path_factory.mktemp("withheld"), overrides={"NEWSROOM_PRESS_KIT": PRESS_KIT})
    (site.content / "pages").mkdir(parents=True)
    siteurl = site.settings()["SITEURL"]
    site.file("images/shared-chart.svg", SVG.format("shared-chart-bytes"))
    for marker, fields in WITHHELD_KINDS.items():
        owner = marker.lower()
        lines = []
        for way in WAYS:
            relative, data = file_of(owner, way)
            site.file(relative, data)
            if way != "lead":
                lines.append(reference(relative, way, siteurl))
        site.post(
            f"2026/{owner}",
            Title=f"Larkspur {marker} agreement signed",
            Slug=f"{owner}-agreement",
            Image=f"{{static}}/{file_of(owner, 'lead')[0]}",
            Image_Alt="A chart",
            body="\n\n".join([f"Body of {marker}.", *lines, "![shared](/images/shared-chart.svg)"]),
            **fields,
        )
    site.file("images/public-chart.svg", SVG.format("public-chart-bytes"))
    site.post(
        "2026/public",
        Title="Larkspur opens Kessler Ridge wind farm",
        Slug="kessler-ridge-opens",
        body="![ours]({static}/images/public-chart.svg)\n\n![shared]({static}/images/shared-chart.svg)",
    )
    for relative in WITHDRAWN_ONLY:
        site.file(relative, SVG.format(f"{relative}-bytes"))
    site.post(
        "2026/withdrawn",
        body="The contract was signed.\n\n![site]({static}/images/withdrawn-body.svg)\n\n"
        "[Terms](/downloads/withdrawn-terms.txt)\n\n![shared](/images/shared-chart.svg)",
        **WITHDRAWN,
    )
    site.file("images/orphan-photo.svg", SVG.format("orphan-photo-bytes"))
    site.file("downloads/orphan-terms.txt", "orphan-terms-bytes")
    site.file("downloads/fact-sheet.txt", "fact-sheet-bytes")
    site.file("images/kit-logo.svg", SVG.format("kit-logo-bytes"))
    assert problems(site) == []
    return site, site.build()


CASES = [(marker.lower(), way) for marker in WITHHELD_KINDS for way in WAYS]


@pytest.mark.parametrize("owner, way", CASES, ids=[f"{owner}-{way}" for owner, way in CASES])
def test_a_file_only_a_withheld_post_references_is_not_published(withheld_build, owner, way):
    _, output = withheld_build
    relative, _ = file_of(owner, way)
    assert not (output / relative).exists()
    assert files_containing(output, f"{owner}-{way}") == []  # neither its name nor its bytes, anywhere


def test_files_a_public_post_references_are_published_even_when_a_withheld_one_shares_them(withheld_build):
    _, output = withheld_build
    for relative in ("images/shared-chart.svg", "images/public-chart.svg"):
        assert (output / relative).is_file(), relative
    assert (output / "news/2026/kessler-ridge-opens/index.html").is_file()


@pytest.mark.parametrize("relative", ["images/orphan-photo.svg", "downloads/orphan-terms.txt"])
def test_a_static_file_nothing_public_references_is_not_written(withheld_build, relative):
    _, output = withheld_build
    assert not (output / relative).exists()
    assert files_containing(output, relative.split("/")[1].split(".")[0]) == []


@pytest.mark.parametrize("entry", PRESS_KIT, ids=[entry["path"] for entry in PRESS_KIT])
def test_a_file_listed_in_the_press_kit_is_written_though_no_post_references_it(withheld_build, entry):
    _, output = withheld_build
    assert (output / entry["path"]).is_file()


@pytest.mark.parametrize("marker", WITHHELD_KINDS)
def test_no_trace_of_a_withheld_post_is_in_any_output_file(withheld_build, marker):
    _, output = withheld_build
    assert files_containing(output, marker) == []
    assert files_containing(output, f"{marker.lower()}-agreement") == []  # its address


@pytest.mark.parametrize("relative", WITHDRAWN_ONLY)
def test_a_withdrawn_posts_own_files_are_gone_from_every_output(withheld_build, relative):
    """Neither the file nor a reference to it: no og:image, JSON-LD image, listing card or feed enclosure."""
    _, output = withheld_build
    assert not (output / relative).exists()
    assert files_containing(output, relative.split("/")[1]) == []
    assert files_containing(output, f"{relative}-bytes") == []


def test_a_withdrawn_posts_summary_is_replaced_by_its_notice_everywhere(withheld_build):
    _, output = withheld_build
    assert files_containing(output, WITHDRAWN["Summary"]) == []
    assert files_containing(output, "Brennholt") == []  # the summary's words, however a template cut it
    page = "news/2026/turbine-contract/index.html"
    assert "Withdrawn at the request of the Maine Superior Court." in text_of(output, page)
    assert "Withdrawn at the request of the Maine Superior Court." in text_of(output, "feeds/all.atom.xml")
    assert (output / "images/shared-chart.svg").is_file()  # still the public post's


# --- links from a public post to a withheld one ------------------------------------------------------------


LINK_FORMS = {
    "site-path": "/news/2026/secret-deal/",
    "full-url": "{siteurl}/news/2026/secret-deal/",
    "relative": "../secret-deal/",
    "no-trailing-slash": "/news/2026/secret-deal",
    # The intranet edition shows the post at the same path under its own address: the address, made from the
    # title, is the same leak whichever of the newsroom's addresses it is written under.
    "intranet-url": "{intranet}/news/2026/secret-deal/",
}
LINK_CASES = [(marker, form) for marker in WITHHELD_KINDS for form in LINK_FORMS]


@pytest.mark.parametrize("marker, form", LINK_CASES, ids=[f"{m.lower()}-{f}" for m, f in LINK_CASES])
def test_a_public_post_linking_to_a_withheld_posts_address_is_refused_naming_both(site, marker, form):
    site.post("2026/secret", Title=f"Secret {marker} deal", Slug="secret-deal", **WITHHELD_KINDS[marker])
    href = LINK_FORMS[form].format(
        siteurl=site.settings()["SITEURL"], intranet=site.settings(edition="internal")["SITEURL"]
    )
    site.post("teaser", Title="Larkspur teases a deal", body=f"Read about [the deal]({href}).")
    found = problems(site)
    lines = lines_naming(found, "posts/teaser.md", "link")
    assert len(lines) == 1 and "posts/2026/secret.md" in lines[0], found


def test_an_intranet_post_linking_to_a_drafts_public_address_is_refused_on_the_intranet(site):
    """The intranet edition withholds drafts too: a link to one at the public site's address is no external link."""
    site.post("2026/secret", Title="Secret deal", Slug="secret-deal", Status="draft")
    href = f"{site.settings()['SITEURL']}/news/2026/secret-deal/"
    site.post("memo", Title="Staff memo", Audience="employees", body=f"Read about [the deal]({href}).")
    found = check(site.settings(edition="internal"))
    lines = lines_naming(found, "posts/memo.md", "link")
    assert len(lines) == 1 and "posts/2026/secret.md" in lines[0], found


def test_the_same_link_is_accepted_once_the_embargo_has_lifted(site):
    site.post("2026/secret", Title="Secret deal", Slug="secret-deal", **WITHHELD_KINDS["EMBARGOMARKER"])
    site.post("teaser", Title="Larkspur teases a deal", body="Read about [the deal](/news/2026/secret-deal/).")
    assert problems(site, NEWSROOM_NOW="2026-12-04 09:00 UTC") == []


# --- contacts: the public site prints no contact of internal audiences only -----------------------------------

INTERNAL_CONTACT = "internal-comms@larkspur-energy.example"  # the employees' contact, a person's address
MEDIA_CONTACT = "press@larkspur-energy.example"
MIXED_POST = "news/2026/larkspur-opens-kessler-ridge-wind-farm/index.html"


def test_a_post_for_media_and_employees_shows_only_the_medias_contact_on_the_public_site(site):
    """The public page names only the audiences the edition shows; their contacts likewise, in the page and every
    feed. The internal edition, which shows the employees too, prints both."""
    site.post("mixed", Audience="media, employees")
    public = site.build(NEWSROOM_PARALLEL_RENDER=False)
    assert files_containing(public, INTERNAL_CONTACT) == []
    assert MIXED_POST in files_containing(public, MEDIA_CONTACT)
    internal = site.build(edition="internal", NEWSROOM_PARALLEL_RENDER=False)
    assert MIXED_POST in files_containing(internal, INTERNAL_CONTACT)
    assert MIXED_POST in files_containing(internal, MEDIA_CONTACT)


def test_a_public_post_naming_a_contact_of_internal_audiences_it_is_not_for_is_refused(site):
    """The public site would not show it, and the post's public readers would have no contact at all."""
    site.post("media", Audience="media", Contact="internal-comms")
    site.post("staff", Title="Staff benefits change", Audience="employees", Contact="internal-comms")
    found = problems(site)
    assert lines_naming(found, "posts/media.md", "contact") == found and len(found) == 1, found
    assert (
        "contact: 'internal-comms' is the contact of employees only, internal audiences this post is not for, so the "
        "public site would not show it (expected a contact of the post's audiences, e.g. 'media-relations', or no "
        "Contact line"
    ) in found[0]
    assert problems(site, edition="internal") == found  # the same post, whichever edition is checked


def test_a_post_for_media_and_employees_names_both_contacts_and_each_edition_shows_its_own(site):
    site.post("mixed", Audience="media, employees", Contact="media-relations, internal-comms")
    assert problems(site) == []
    public = site.build(NEWSROOM_PARALLEL_RENDER=False)
    assert files_containing(public, INTERNAL_CONTACT) == []
    assert MIXED_POST in files_containing(public, MEDIA_CONTACT)
    internal = site.build(edition="internal", NEWSROOM_PARALLEL_RENDER=False)
    assert MIXED_POST in files_containing(internal, INTERNAL_CONTACT)


def test_a_contact_of_internal_audiences_only_is_left_off_the_public_site_should_it_get_past_the_checks(
    site, monkeypatch
):
    """The build's own rule, should the checks ever let such a Contact through: here they are made to read none."""
    import newsroom.checks.rules as rules

    monkeypatch.setattr(rules, "_check_contacts", lambda *args, **kwargs: None)
    site.post("mixed", Audience="media", Contact="internal-comms")
    assert files_containing(site.build(NEWSROOM_PARALLEL_RENDER=False), INTERNAL_CONTACT) == []
    internal = site.build(edition="internal", NEWSROOM_PARALLEL_RENDER=False)
    assert MIXED_POST in files_containing(internal, INTERNAL_CONTACT)


# --- verify: every file needs an owner ------------------------------------------------------------------

DRAFT_CHART = "images/draft-deal-chart.svg"


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory) -> tuple[TinySite, Path]:
    """The sample newsroom (whose pages the theme links to) plus a draft with an image of its own."""
    site = TinySite(tmp_path_factory.mktemp("verify"))
    site.with_sample_content()
    site.file(DRAFT_CHART, SVG.format("Halvorsen bid chart 7731"))
    site.post(
        "2026/draft-deal", Title="Larkspur bids for Halvorsen Hydro", Status="draft", body=f"![bid](/{DRAFT_CHART})"
    )
    assert problems(site) == []
    output = site.build()
    index_site(output)  # as `invoke publish` does: the search page needs its index
    return site, output


def verify(site, output):
    settings = site.settings()
    report = verify_output(output, settings, load_newsroom(settings), parse_timestamp(NOW))
    return report, report.lines(limit=1000)


def test_the_sample_build_with_a_draft_verifies_clean_without_the_drafts_image(sample_build):
    site, output = sample_build
    report, lines = verify(site, output)
    assert report.ok, lines
    assert not (output / DRAFT_CHART).exists()  # the old build copied it, and verify passed it


def _plant_the_old_builds_copy(site, output, tmp_path):
    shutil.copyfile(site.content / DRAFT_CHART, output / DRAFT_CHART)
    return DRAFT_CHART


def _plant_a_renamed_copy(site, output, tmp_path):
    shutil.copyfile(site.content / DRAFT_CHART, output / "images/renamed-chart.svg")
    return "images/renamed-chart.svg"


def _plant_an_unreferenced_file(site, output, tmp_path):
    (output / "downloads").mkdir(exist_ok=True)
    (output / "downloads/secret.txt").write_text("Board minutes, not for release.\n", encoding="utf-8")
    return "downloads/secret.txt"


def _plant_a_symlink(site, output, tmp_path):
    outside = tmp_path / "token.txt"
    outside.write_text("GITHUB_TOKEN=not-a-real-token\n", encoding="utf-8")
    os.symlink(outside, output / "images/logo-link.svg")
    return "images/logo-link.svg"


PLANTED = {
    "draft-image-as-the-old-build-copied-it": _plant_the_old_builds_copy,
    "draft-image-renamed": _plant_a_renamed_copy,
    "unreferenced-file": _plant_an_unreferenced_file,
    "symlink": _plant_a_symlink,
}


@pytest.mark.parametrize("plant", PLANTED.values(), ids=PLANTED.keys())
def test_verify_fails_naming_a_planted_file_without_an_owner(sample_build, tmp_path, plant):
    site, built = sample_build
    output = Path(shutil.copytree(built, tmp_path / "output", symlinks=True))
    relative = plant(site, output, tmp_path)
    report, lines = verify(site, output)
    assert not report.ok, lines
    assert any(relative in line for line in lines[1:]), lines


# --- property: random mixtures of posts and files --------------------------------------------------------

KINDS = ("public", "draft", "hidden", "internal", "embargoed", "withdrawn")
PUBLIC_WAYS = ("static", "plain", "filename", "img-tag", "lead", "download-static", "download-plain")
CATEGORIES = {"News": "news", "Insights": "insights", "Events": "events"}


def random_site(seed: int, root: Path) -> tuple[TinySite, dict]:
    """A site of 6 to 10 posts of random kinds sharing 8 files at random; returns what the build must show."""
    rng = random.Random(seed)
    files = {f"images/s{seed}img{j}.svg": SVG.format(f"s{seed}img{j}bytes") for j in range(5)}
    files |= {f"downloads/s{seed}doc{j}.txt": f"s{seed}doc{j}bytes\n" for j in range(3)}
    kit = rng.choice(sorted(files))
    site = TinySite(root, overrides={"NEWSROOM_PRESS_KIT": [{"title": "Kit", "path": kit, "description": "x"}]})
    (site.content / "pages").mkdir(parents=True)
    siteurl = site.settings()["SITEURL"]
    for relative, data in files.items():
        site.file(relative, data)

    count = rng.randint(6, 10)
    kinds = ["public", rng.choice(KINDS[1:]), *(rng.choice(KINDS) for _ in range(count - 2))]
    expected = {"public_pages": [], "withheld_words": {}, "public_files": {kit}}
    for number, kind in enumerate(kinds):
        word = f"s{seed}p{number}word"  # distinctive: in nothing but this post
        slug = f"s{seed}-post-{number}-page"
        category = rng.choice(sorted(CATEGORIES))
        fields = {
            "Title": f"Larkspur update {seed}.{number}" if kind in ("public", "withdrawn") else f"Larkspur {word}",
            "Slug": slug,
            "Date": f"2026-0{1 + number % 9}-{10 + number} 10:00 UTC",
            "Category": category,
            "Audience": rng.choice(["media", "investors", "communities", "investors, media"]),
            "Summary": f"The {word} summary.",
        }
        fields |= {
            "draft": {"Status": "draft"},
            "hidden": {"Status": "hidden"},
            "internal": {"Audience": "employees"},
            "embargoed": {"Date": "2026-12-03 16:05 America/New_York"},
            "withdrawn": {"Withdrawn": "2026-11-20 10:00 UTC | Withdrawn at the request of the court."},
        }.get(kind, {})
        ways = PUBLIC_WAYS if kind == "public" else tuple(WAYS)
        body = [f"Body of the {word} post." if kind not in ("public", "withdrawn") else f"Body of a {kind} post."]
        for relative in rng.sample(sorted(files), rng.randint(0, 3)):
            folder = relative.split("/")[0]
            way = rng.choice([w for w in ways if WAYS[w][0] == folder])
            if way == "lead":
                fields |= {"Image": f"{{static}}/{relative}", "Image_Alt": "A chart"}
            else:
                body.append(reference(relative, way, siteurl))
            if kind == "public":
                expected["public_files"].add(relative)
        site.post(f"2026/p{number}", body="\n\n".join(body), **fields)
        page = f"{CATEGORIES[category]}/2026/{slug}/index.html"
        if kind in ("public", "withdrawn"):
            expected["public_pages"].append(page)
        if kind != "public":
            expected["withheld_words"][word] = f"{kind} post {number}: its words"
        if kind not in ("public", "withdrawn"):
            expected["withheld_words"][slug] = f"{kind} post {number}: its address"
    expected["withheld_files"] = {
        relative: data for relative, data in files.items() if relative not in expected["public_files"]
    }
    return site, expected


@pytest.mark.parametrize("seed", range(8))
def test_random_mixtures_publish_nothing_withheld_and_only_files_a_public_item_owns(tmp_path, seed):
    site, expected = random_site(seed, tmp_path)
    assert problems(site) == []
    output = site.build()

    wrong = [f"{page}: missing" for page in expected["public_pages"] if not (output / page).is_file()]
    for word, described in expected["withheld_words"].items():
        wrong += [f"{found}: holds {described}" for found in files_containing(output, word)]
    for relative, data in expected["withheld_files"].items():
        token = data.split("<title>")[-1].split("</title>")[0].strip()
        wrong += [f"{found}: holds the bytes of {relative}" for found in files_containing(output, token)]
    pages = [path.read_text(encoding="utf-8") for path in output.rglob("*.html")]
    kit = {entry["path"] for entry in site.overrides["NEWSROOM_PRESS_KIT"]}
    for folder in ("images", "downloads"):
        for path in sorted((output / folder).rglob("*")) if (output / folder).is_dir() else []:
            relative = path.relative_to(output).as_posix()
            if relative not in kit and not any(relative in text for text in pages):
                wrong.append(f"{relative}: no public page references it and the press kit does not list it")
    assert wrong == [], "\n".join(wrong)


# A change to a public post dated at a time still to come (the site's clock is NOW, 2026-11-26 12:00 UTC).
CHANGES_AHEAD = {
    "correction": {"Correction": "2026-12-03 16:05 America/New_York | Revenue is restated to CHANGEAHEADWORD."},
    "withdrawal": {"Withdrawn": "2026-12-03 16:05 America/New_York | Court order CHANGEAHEADWORD."},
    "modified": {"Modified": "2026-12-03 16:05 America/New_York"},
}


@pytest.mark.parametrize("fields", CHANGES_AHEAD.values(), ids=CHANGES_AHEAD)
def test_a_change_dated_ahead_of_the_clock_is_refused_not_published_early(site, fields):
    """A post dated ahead is embargoed; a correction or withdrawal dated ahead was shown at once, in the page
    and every feed: a restatement disclosed a week before its time."""
    site.post("kessler", "The wind farm is online.", **fields)
    field = next(iter(fields)).lower()
    found = lines_naming(problems(site), "posts/kessler.md", field)
    assert (
        len(found) == 1
        and "is dated 2026-12-03 16:05 EST, which has not come yet (the newsroom's clock says " in (found[0])
    ), found
    assert "2026-11-26 07:00 EST): the change would be published now, before its time" in found[0]
    with pytest.raises(BuildFailed):
        site.build()
    assert files_containing(site.root / "output", "CHANGEAHEADWORD") == []


@pytest.mark.parametrize("fields", CHANGES_AHEAD.values(), ids=CHANGES_AHEAD)
def test_the_same_change_once_its_time_has_come_is_published(site, fields):
    site.post("kessler", "The wind farm is online.", **fields)
    assert problems(site, NEWSROOM_NOW="2026-12-03 21:05 UTC") == []
    output = site.build(NEWSROOM_NOW="2026-12-03 21:05 UTC")
    if "Modified" not in fields:
        assert files_containing(output, "CHANGEAHEADWORD")


def test_the_internal_edition_invoke_build_writes_holds_no_draft_or_hidden_post(site):
    """`invoke build --internal` builds the intranet edition from the local settings, whose draft preview it
    inherited: drafts and hidden posts were written into output-internal/. An edition previews drafts only if its
    own entry says so."""
    site.post("fine")
    site.post("draft", Title="A draft DRAFTMARKER", Status="draft")
    site.post("hidden", Title="A hidden post HIDDENMARKER", Status="hidden")
    path = site.settings_file("pelicanconf.py")  # what `invoke build --internal` reads by default
    output = site.root / "output-internal"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text + f"\nNEWSROOM_EDITIONS = {{**NEWSROOM_EDITIONS, 'internal': {{'OUTPUT_PATH': {str(output)!r}}}}}\n",
        encoding="utf-8",
    )
    built = run_invoke("build", "--internal", "--settings", str(path))
    assert built.returncode == 0, built.stderr
    assert output.is_dir()
    assert files_containing(output, "DRAFTMARKER") == []
    assert files_containing(output, "HIDDENMARKER") == []
