"""A generated newsroom for benchmarks: thousands of realistic posts that pass every content check.

    from corpus import write_corpus
    content = write_corpus(Path("/tmp/bench"), posts=5000)   # -> /tmp/bench/content

Posts are ~400 words of Markdown (headings, lists, a table, links), spread over ten years in several time
zones, with audiences (about one in ten internal), categories, tags, summaries, lead images, corrections,
and a few drafts, hidden and embargoed posts. The same `seed` always writes the same corpus.

`dialect="vanilla"` writes the same posts for plain Pelican (benchmarks/build.py compares the two): dates as ISO
8601 with a UTC offset (`2026-12-03T16:05-05:00`, which both read) instead of a zone name, and pages without
the newsroom theme's `Template:`. `dialect="hugo"` writes them for Hugo: the same fields and Markdown body under
YAML front matter (drafts and hidden posts as drafts), in a Hugo site folder (benchmarks/hugo/).

`bilingual=Bilingual()` writes a newsroom in English and French (benchmarks/build.py --languages 2): the same
English posts, a share of the public posts for investors in a disclosure category made material news
(`Material: yes` and a contact), and a French version (benchmarks/french.py) of every material post and of a
share of the rest, beside its original as `<name>-fr.md`: same `Id:`, `Lang: fr`, same Date, Status, Material and
corrections' moments, as the newsroom's translation checks require. `Bilingual(with_french=False)` writes the
same English posts alone, for the one-language build they are compared with. The vanilla dialect gets the same
French files (Pelican reads `Lang:` itself; benchmarks/build.py links the versions by `Id` as Pelican links
translations, with ARTICLE_TRANSLATION_ID).
"""

from __future__ import annotations

import json
import random
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from french import french_post
from pelican.utils import slugify
from prose import Language, post_body, sentence

from newsroom.model.dates import format_timestamp

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-10-15 12:00 UTC"  # the clock the corpus is built at (benchmarks/build.py): posts after it are embargoed
CORRECTED_BEFORE = datetime(2026, 10, 14)  # corrections before the clock in every zone of ZONES
# A sample page's link to a sample post: [words]({filename}/posts/…), with its {: attributes} if any.
_SAMPLE_POST_LINK = re.compile(r"\[([^\]]+)\]\(\{filename\}/posts/[^)]*\)(?:\{:[^}]*\})?")

AUDIENCES = ["investors", "media", "regulators", "communities", "employees"]
AUDIENCE_WEIGHTS = [4, 5, 2, 3, 1]
CATEGORIES = ["Press releases", "News", "Insights", "Events", "Policy notices", "Regulatory filings"]
ZONES = ["America/New_York", "America/Chicago", "Europe/London", "UTC"]
TAGS = [
    "wind", "solar", "storage", "earnings", "dividend", "guidance", "safety", "permits", "community fund",
    "apprenticeships", "transmission", "hydro", "governance", "sustainability", "Kessler Ridge", "Bluestem",
    "Marrow Flats", "Ironbridge", "grid", "jobs",
]  # fmt: skip
PLACES = ["Wexford Falls", "Ordway", "Bellmont", "Calder Mills", "Marrow Flats", "Portland", "Halden", "Briar Creek"]
SUBJECTS = ["wind farm", "solar plant", "battery storage centre", "substation", "transmission line", "training centre"]
VERBS = ["opens", "expands", "reports progress at", "files plans for", "completes work on", "invests in"]
PROSE = (
    "the project will supply renewable power to homes and businesses across the region while creating local jobs "
    "and paying property taxes that support schools roads and emergency services larkspur worked with residents "
    "town officials and state agencies to shape the layout the construction schedule and the community fund "
    "turbines panels and batteries were delivered on time and within budget and crews completed safety training "
    "before work began output is sold under long term contracts with regional utilities and public agencies "
    "monitoring of birds bats water and noise continues throughout operation and results are published every year"
)
ENGLISH = Language(
    words=tuple(PROSE.split()),
    key_facts="Key facts",
    next_steps="What comes next",
    read_more="Read [our approach to {subject}s](/about/) and the [archive](/archive/).",
)
IMAGES = ["kessler-ridge.svg", "bluestem-battery.svg", "marrow-flats.svg", "q3-2026-results.svg"]
DIALECTS = ("newsroom", "vanilla", "hugo")
HUGO_THEME = Path(__file__).resolve().parent / "hugo"


# Material news as NEWSROOM_MATERIAL_RULES (pelicanconf.py) allows it: for investors, in a disclosure category.
MATERIAL_CATEGORIES = ("Press releases", "Regulatory filings")
MATERIAL_FIELDS = {"Material": "yes", "Contact": "investor-relations"}
FRENCH_SUFFIX = "-fr.md"


@dataclass(frozen=True)
class Bilingual:
    """A corpus in English and French: which posts are material news and which have a French version."""

    translated_share: float = 0.4  # of the posts that are not material news (every material post is translated)
    material_share: float = 0.5  # of the public posts for investors in a disclosure category
    with_french: bool = True  # False: the same English posts alone (the one-language build to compare with)

    def __post_init__(self) -> None:
        for name in ("translated_share", "material_share"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"{name} {getattr(self, name)!r} is not a share (expected 0 to 1)")


def write_corpus(
    root: Path, posts: int = 5000, seed: int = 2026, dialect: str = "newsroom", bilingual: Bilingual | None = None
) -> Path:
    """Write content/ (the sample site's pages and images plus `posts` generated posts, and their French versions
    for a `bilingual` corpus); return its path."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r} (expected one of: {', '.join(DIALECTS)})")
    content = root / "content"
    if content.exists():
        shutil.rmtree(content)
    if dialect == "hugo":
        return _write_hugo_corpus(root, posts, seed, bilingual)
    (content / "pages").mkdir(parents=True)
    for page in _sample_pages(bilingual):
        lines = _page_text(page).splitlines(keepends=True)
        if dialect == "vanilla":  # plain Pelican's theme has no contacts/disclosure templates
            lines = [line for line in lines if not line.startswith("Template:")]
        (content / "pages" / page.name).write_text("".join(lines), encoding="utf-8")
    shutil.copytree(ROOT / "content" / "images", content / "images")
    shutil.copytree(ROOT / "content" / "downloads", content / "downloads")
    for name, text, french in _generate(posts, seed, dialect, bilingual):
        path = content / "posts" / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if french is not None:
            path.with_name(path.stem + FRENCH_SUFFIX).write_text(french, encoding="utf-8")
    return content


def _generate(
    posts: int, seed: int, dialect: str, bilingual: Bilingual | None
) -> Iterator[tuple[str, str, str | None]]:
    """Each post as (its path under posts/ without '.md', its text, its French version's text or None)."""
    rng = random.Random(seed)
    # Materiality and the French text have draws of their own, so the English posts are the same in every corpus.
    materiality, french = random.Random(f"{seed}-material"), random.Random(f"{seed}-fr")
    start = datetime(2016, 11, 1, 8, 0)
    span_minutes = 10 * 365 * 24 * 60
    for number in range(1, posts + 1):
        published = start + timedelta(minutes=rng.randrange(span_minutes))
        name = f"{published:%Y}/{published:%Y-%m-%d}-post-{number:05d}"
        post = _generated(rng, number, published, dialect)
        if bilingual is None:
            yield name, post.text(), None
            continue
        material = materiality.random() < bilingual.material_share and _may_be_material(post.fields)
        if material:
            post.fields |= MATERIAL_FIELDS
        version = None
        if bilingual.with_french and (french.random() < bilingual.translated_share or material):
            version = _text(*french_post(post.fields, post.verb, post.subject, post.place, number, french))
        yield name, post.text(), version


def _may_be_material(fields: dict[str, str]) -> bool:
    """A public post for investors in a disclosure category (an internal audience would keep it off the site)."""
    audiences = fields["Audience"].split(", ")
    return "investors" in audiences and "employees" not in audiences and fields["Category"] in MATERIAL_CATEGORIES


def _write_hugo_corpus(root: Path, posts: int, seed: int, bilingual: Bilingual | None) -> Path:
    """The same posts as a Hugo site: config and layouts from benchmarks/hugo/, posts under content/posts/, a
    French version as `<name>.fr.md` (Hugo's own way to say a file's language and link it to its original)."""
    shutil.copytree(HUGO_THEME, root, dirs_exist_ok=True)
    shutil.copytree(ROOT / "content" / "images", root / "static" / "images", dirs_exist_ok=True)
    for name, text, french in _generate(posts, seed, "vanilla", bilingual):  # the same draws, so the same posts
        path = root / "content" / "posts" / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_hugo_post(text), encoding="utf-8")
        if french is not None:
            path.with_suffix(".fr.md").write_text(_hugo_post(french), encoding="utf-8")
    for page in _sample_pages(bilingual):
        header, _, body = _page_text(page).partition("\n\n")
        title = next((line[7:] for line in header.splitlines() if line.startswith("Title: ")), page.stem)
        (root / "content" / f"{page.stem}.md").write_text(f"---\ntitle: {title!r}\n---\n\n{body}", "utf-8")
    return root


def _sample_pages(bilingual: Bilingual | None) -> list[Path]:
    """The sample site's pages the corpus takes: all of them for a corpus in two languages; for one in English
    alone, not the French versions (a newsroom in one language refuses a `Lang: fr`)."""
    pages = sorted((ROOT / "content" / "pages").glob("*.md"))
    if bilingual is not None and bilingual.with_french:
        return pages
    return [page for page in pages if "\nLang: " not in page.read_text(encoding="utf-8").partition("\n\n")[0]]


def _page_text(page: Path) -> str:
    """A sample page's text for the corpus: its links to the sample's posts (which the corpus does not have, and
    the checks would refuse as broken) become their plain words."""
    return _SAMPLE_POST_LINK.sub(r"\1", page.read_text(encoding="utf-8"))


def _hugo_post(pelican_text: str) -> str:
    """A post written for Pelican (vanilla dialect), as Hugo reads it: YAML front matter."""
    header, _, body = pelican_text.partition("\n\n")
    fields = dict(line.split(": ", 1) for line in header.splitlines())
    front = {
        "title": fields["Title"],
        "date": fields["Date"][:16] + ":00" + fields["Date"][16:],  # Hugo needs the seconds
        "slug": slugify(fields["Title"]),
        "categories": [fields["Category"]],
        "tags": fields["Tags"].split(", "),
        "authors": ["Larkspur Energy"],
        "summary": fields["Summary"],
        "draft": "Status" in fields,
    }
    lines = [f"{key}: {json.dumps(value)}" for key, value in front.items()]  # JSON values are valid YAML
    body = body.replace("{static}/images/", "/images/")
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body


@dataclass
class GeneratedPost:
    """One English post: its header and body, and the parts of its title a French version is written from."""

    fields: dict[str, str]
    body: list[str]
    verb: str
    subject: str
    place: str

    def text(self) -> str:
        return _text(self.fields, self.body)


def _text(fields: dict[str, str], body: list[str]) -> str:
    lines = [f"{key}: {value}" for key, value in fields.items()]
    return "\n".join(lines) + "\n\n" + "\n\n".join(body) + "\n"


def _generated(rng: random.Random, number: int, published: datetime, dialect: str) -> GeneratedPost:
    zone = rng.choice(ZONES)
    place, subject = rng.choice(PLACES), rng.choice(SUBJECTS)
    verb = rng.choice(VERBS)
    title = f"Larkspur {verb} {place} {subject} ({number})"
    audiences = sorted(set(rng.choices(AUDIENCES, weights=AUDIENCE_WEIGHTS, k=rng.randint(1, 2))))
    fields = {
        "Title": title,
        "Id": f"bench-{number:05d}",
        "Date": _timestamp(published, zone, dialect),
        "Audience": ", ".join(audiences),
        "Category": rng.choice(CATEGORIES),
        "Tags": ", ".join(rng.sample(TAGS, rng.randint(1, 4))),
        "Summary": sentence(rng, ENGLISH, 14, 30)[:290],
    }
    if rng.random() < 0.3:
        fields |= {"Image": f"{{static}}/images/{rng.choice(IMAGES)}", "Image-Alt": f"The {subject} near {place}"}
    if rng.random() < 0.05:
        when = published + timedelta(days=rng.randint(1, 30))
        if when < CORRECTED_BEFORE:  # a correction still to come is refused (and the draw is made either way)
            fields["Correction"] = f"{_timestamp(when, zone, dialect)} | An earlier version misstated a figure."
    if rng.random() < 0.02:
        fields["Status"] = rng.choice(["draft", "hidden"])
    body = post_body(rng, ENGLISH, place, subject)
    return GeneratedPost(fields, body, verb, subject, place)


def _timestamp(moment: datetime, zone: str, dialect: str) -> str:
    """'2026-12-03 16:05 America/New_York' (newsroom) or '2026-12-03T16:05-05:00' (vanilla): the same instant.
    The newsroom's form is written as the newsroom writes it (`invoke new`): a time its zone's clocks repeat or
    skip takes its offset instead of the zone's name, which would not say which instant it is."""
    instant = moment.replace(tzinfo=ZoneInfo(zone))
    if dialect == "vanilla":
        return instant.isoformat(timespec="minutes")
    return format_timestamp(instant)
