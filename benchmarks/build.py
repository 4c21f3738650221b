"""Benchmark: the same corpus built by vanilla Pelican, by the newsroom and by Hugo; a CI rebuild from a cache.

    python benchmarks/build.py                          # 1,000 and 5,000 posts, then the CI rebuild at 5,000
    python benchmarks/build.py --posts 1000             # one size
    python benchmarks/build.py --posts 5000 --no-compare --rebuild 5000
    python benchmarks/build.py --no-hugo                # without Hugo (otherwise `apt-get install hugo`)
    python benchmarks/build.py --posts 5000 --languages 2 --repeat 1 --rebuild 5000   # in English and French

1. **Vanilla vs newsroom vs Hugo.** For each size, benchmarks/corpus.py writes the posts three times, the same
   posts in each one's dialect (vanilla Pelican cannot read `2026-12-03 16:05 America/New_York`; it gets
   `2026-12-03T16:05-05:00`; Hugo gets YAML front matter and benchmarks/hugo/, a minimal theme with vanilla's
   page set). Vanilla: the default theme and feeds, no plugins (pagination 12, as the newsroom). Newsroom:
   publishconf.py in one language (as the corpus is), every plugin and feed, as `invoke preview` builds it: the
   content checks, Pelican with the plugin, and the Pagefind index written beside the render (`build_and_index`),
   content cache off; and the same with the index made after Pelican, to show what the second core buys. Hugo:
   cold, both cores. Each build is its own process: wall time, CPU time (user + system, children included) and
   peak resident memory (the largest single process: Python or, for the newsroom, the Pagefind service) come
   from os.wait4().
   **Plugin share**: inside one more newsroom build (timing costs the build ~0.5 s at 5,000 posts, so the builds
   compared above are not timed), every entry point into the plugin's code is timed (signal
   receivers, the newsroom's generators, its Markdown reader's metadata hook, its Jinja filters and globals;
   nested entries count once), over Pelican's run up to `finalized`. Theme rendering of Pelican's own pages is
   not the plugin's.
2. **CI rebuild** (`--rebuild N`): a git clone of an N-post site is built cold with the content cache on; the
   cache folder is kept (as actions/cache would), the clone deleted, the site cloned again (every file gets a new
   mtime), one post edited and committed, the cache restored, and the site rebuilt. The same edited clone is also
   built cold without a cache; the two outputs, search index included, are compared byte for byte. Hugo builds
   the same corpus cold three times, for the target "rebuild <= Hugo's cold build".
3. **Two languages** (`--languages 2`): the corpus in English and French (benchmarks/corpus.py, `Bilingual`:
   every material post and a share of the rest have a French version). Vanilla Pelican, the newsroom and Hugo
   build it, and build the same English posts alone; the report gives the two-language build against vanilla's
   and Hugo's, and what the second language costs each: the build divided by its two language editions, and by
   its posts, against the English build of the same run. The newsroom's two-language build publishes French over
   the whole archive (publishconf.py's `since` dropped, so the checks require every material post in French); its
   English build is a newsroom in one language (NEWSROOM_LANGUAGES None). Vanilla links the versions by `Id`
   (ARTICLE_TRANSLATION_ID); Hugo runs in its multilingual mode (benchmarks/hugo/languages.toml). With
   `--rebuild`, the CI rebuild runs on the two-language corpus too, and Hugo's cold builds in two languages.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT / "plugins"), str(HERE)]

SITEURL = "https://newsroom.larkspur-energy.example"
GIT = ["git", "-c", "user.name=Benchmark", "-c", "user.email=bench@example.org", "-c", "commit.gpgsign=false"]

VANILLA_SETTINGS = """\
# Vanilla Pelican: default theme, default feeds, no plugins. Pagination as in the newsroom.
AUTHOR = "Larkspur Energy"
SITENAME = "Larkspur Energy Newsroom"
SITEURL = {siteurl!r}
TIMEZONE = "America/New_York"
DEFAULT_LANG = "en"
PATH = {content!r}
OUTPUT_PATH = {output!r}
CACHE_PATH = {cache!r}
ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "downloads"]
PLUGINS = []
DEFAULT_PAGINATION = 12
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
"""


@dataclass
class Run:
    """One build process: what it cost, and what it reported about itself."""

    label: str
    wall: float
    cpu: float
    peak_mb: float
    report: dict = field(default_factory=dict)


def run_process(label: str, command: list[str], log: Path, report: Path | None = None) -> Run:
    """Run `command`, reap it with wait4 for its own CPU time and peak memory (its children included)."""
    started = time.perf_counter()
    with open(log, "w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"{label} failed (exit {process.returncode}); see {log}:\n{log.read_text()[-3000:]}")
    data = json.loads(report.read_text()) if report and report.exists() else {}
    return Run(label, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, data)


# --- The builds -------------------------------------------------------------------------------------------------


# Pelican's own content cache, as the newsroom configures it: for comparing builds that both use it.
VANILLA_CACHE_SETTINGS = """
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CHECK_MODIFIED_METHOD = "sha256"
GZIP_CACHE = False
"""


# Pelican links translations by the metadata ARTICLE_TRANSLATION_ID names (the slug by default); a French
# version has a French slug and its original's Id, so vanilla links them by Id, as the newsroom does.
VANILLA_TRANSLATION_SETTINGS = """
ARTICLE_TRANSLATION_ID = "id"
"""


def vanilla_build(
    content: Path,
    work: Path,
    label: str = "vanilla",
    cache: bool = False,
    translations: bool = False,
    language: str = "en",
    output: str = "out-vanilla",
) -> Run:
    settings = work / "vanilla_settings.py"
    text = VANILLA_SETTINGS.format(
        siteurl=SITEURL, content=str(content), output=str(work / output), cache=str(work / "cache-vanilla")
    ).replace('DEFAULT_LANG = "en"', f"DEFAULT_LANG = {language!r}")
    text += VANILLA_CACHE_SETTINGS if cache else ""
    settings.write_text(text + (VANILLA_TRANSLATION_SETTINGS if translations else ""), encoding="utf-8")
    command = [sys.executable, "-m", "pelican", str(content), "-s", str(settings), "-q"]
    return run_process(label, command, work / "vanilla.log")


def newsroom_build(
    label: str,
    content: Path,
    output: Path,
    cache: Path | None,
    work: Path,
    index_after: bool = False,
    one_process: bool = False,
    languages: int = 1,
    timed: bool = False,
) -> Run:
    """The newsroom's production build in a child process (this script with --child); `cache` None: no cache.
    `index_after`: Pagefind reads the pages after Pelican instead of while it renders. `one_process`: the pages
    are rendered in one process (NEWSROOM_PARALLEL_RENDER = False) instead of two. `languages`: 1 a newsroom in
    English alone (the one-language corpus: publishconf.py's French would add a French edition of every listing
    of English posts, which the two-language comparison measures); 2 English and French over the whole archive."""
    report = work / f"{label}.json"
    command = [sys.executable, __file__, "--child", str(content), str(output), str(report)]
    if cache is not None:
        command += ["--cache", str(cache)]
    if index_after:
        command.append("--index-after")
    if one_process:
        command.append("--one-process")
    command += ["--child-languages", str(languages)]
    if timed:
        command.append("--plugin-timer")
    return run_process(label, command, work / f"{label}.log", report)


def hugo_version() -> str | None:
    """Hugo's version line, or None when the `hugo` command is missing."""
    if shutil.which("hugo") is None:
        return None
    return subprocess.run(["hugo", "version"], capture_output=True, text=True, check=True).stdout.strip()


def hugo_build(site: Path, work: Path, label: str = "hugo", languages: bool = False) -> Run:
    """Hugo, cold: a new output folder and an empty cache folder each time (Hugo uses every core). `languages`:
    in English and French (benchmarks/hugo/languages.toml over config.toml)."""
    output, cache = work / "out-hugo", work / "cache-hugo"
    for folder in (output, cache):
        shutil.rmtree(folder, ignore_errors=True)
    command = ["hugo", "--source", str(site), "--destination", str(output), "--cacheDir", str(cache), "--quiet"]
    if languages:
        command += ["--config", f"{site / 'config.toml'},{site / 'languages.toml'}"]
    return run_process(label, command, work / "hugo.log")


def child(
    content: str,
    output: str,
    report: str,
    cache: str | None,
    index_after: bool,
    one_process: bool,
    languages: int,
    timed: bool = False,
) -> None:
    """In the child process: build as `invoke preview` does (the content checks run inside the build, before
    Pelican reads a post, and the search index is written from the pages it writes); `timed`: with every entry
    into the plugin timed, for its share (the timing costs the build some 0.5 s at 5,000 posts, so the builds
    whose times are compared are not timed)."""
    import logging

    from corpus import NOW
    from pelican import signals
    from plugin_timer import PluginTimer

    from newsroom.model.settings import in_one_language
    from newsroom.site.build import build_and_index, load_settings
    from newsroom.site.collector import leave_to_the_system_at_exit

    timer = PluginTimer()
    if timed:
        timer.instrument()
    overrides = {
        "PATH": content,
        "OUTPUT_PATH": output,
        "NEWSROOM_NOW": NOW,
        "SITEURL": SITEURL,
        "NEWSROOM_PARALLEL_RENDER": not one_process,
    }
    if cache is None:
        overrides |= {"CACHE_CONTENT": False, "LOAD_CONTENT_CACHE": False, "CACHE_PATH": output + "-nocache"}
    else:
        overrides["CACHE_PATH"] = cache
    if languages == 1:  # the project's texts in other languages are refused in a newsroom in one language
        overrides["NEWSROOM_LANGUAGES"] = None
        overrides |= in_one_language(load_settings(ROOT / "publishconf.py"))
    elif languages == 2:  # the corpus is in French over ten years: no `since` (which lets the archive be English)
        production = load_settings(ROOT / "publishconf.py")["NEWSROOM_LANGUAGES"]
        overrides["NEWSROOM_LANGUAGES"] = [{k: v for k, v in each.items() if k != "since"} for each in production]
    settings = load_settings(ROOT / "publishconf.py", overrides)
    rendered = {}
    signals.finalized.connect(lambda pelican: rendered.setdefault("at", time.perf_counter()), weak=False)
    started, cpu = time.perf_counter(), time.process_time()
    build_and_index(settings, verbosity=logging.ERROR, index_while_rendering=not index_after)
    leave_to_the_system_at_exit()  # as `invoke preview` ends (tasks.py); the exit is in the measured wall
    total, cpu = time.perf_counter() - started, time.process_time() - cpu
    # The plugin's share is of Pelican's run (to `finalized`); the search index is reported on its own.
    wall = rendered["at"] - started
    overhead = timer.overhead_per_call() if timed else 0.0
    Path(report).write_text(
        json.dumps(
            {
                "wall": wall,
                "total": total,
                "cpu": cpu,
                "peak_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                # The largest of its children: the Pagefind service or the second render process.
                "peak_pagefind_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                "plugin": timer.total - overhead * sum(calls for _, calls in timer.by_entry().values()),
                "overhead_per_call": overhead,
                "aside": timer.aside,
                "gc_total": timer.gc_total,
                "gc_collections": [timer.gc_collections_in_plugin, timer.gc_collections],
                "entries": timer.by_entry(),
            }
        ),
        encoding="utf-8",
    )


# --- Reporting ----------------------------------------------------------------------------------------------------


def show(run: Run) -> None:
    extra = ""
    if "peak_pagefind_mb" in run.report:
        extra = f" (Python {run.report['peak_self_mb']:.0f} MB, largest child {run.report['peak_pagefind_mb']:.0f} MB)"
    print(f"  {run.label:<28} {run.wall:8.1f} s wall {run.cpu:8.1f} s CPU {run.peak_mb:8.0f} MB peak{extra}")


def ratio_line(name: str, newsroom: Run, other: Run, time_target: float, memory_target: float | None = None) -> str:
    """Time (wall and CPU) and peak memory of `newsroom` over `other`, against the targets."""
    wall, cpu, memory = newsroom.wall / other.wall, newsroom.cpu / other.cpu, newsroom.peak_mb / other.peak_mb
    verdicts = [
        f"wall {'meets' if wall <= time_target else 'MISSES'} <= {time_target}",
        f"CPU {'meets' if cpu <= time_target else 'MISSES'} <= {time_target}",
    ]
    if memory_target is not None:
        verdicts.append(f"memory {'meets' if memory <= memory_target else 'MISSES'} <= {memory_target}")
    return f"  {name}: time {wall:.2f} (wall), {cpu:.2f} (CPU); peak memory {memory:.2f} -> {'; '.join(verdicts)}"


def median_run(runs: list[Run]) -> Run:
    """The run with the median wall time: on a shared machine single runs vary by 10% or more."""
    return sorted(runs, key=lambda run: run.wall)[len(runs) // 2]


def spread(runs: list[Run]) -> str:
    return ", ".join(f"{run.wall:.1f}" for run in runs)


def compare(posts: int, root: Path, repeat: int, hugo: bool, lean: bool = False) -> None:
    from corpus import write_corpus

    work = root / f"compare-{posts}"
    work.mkdir(parents=True)
    newsroom_content = write_corpus(work / "newsroom", posts=posts)
    commit_all(newsroom_content.parent, "corpus")  # the revision history plugin reads git, as in CI
    vanilla_content = write_corpus(work / "vanilla", posts=posts, dialect="vanilla")
    hugo_site = write_corpus(work / "hugo", posts=posts, dialect="hugo") if hugo else None

    runs: dict[str, list[Run]] = {"vanilla": [], "newsroom": [], "one process": [], "index after": [], "hugo": []}
    for _ in range(repeat):  # alternated, so that a slow spell on the machine hits every kind
        runs["vanilla"].append(vanilla_build(vanilla_content, work))
        runs["newsroom"].append(newsroom_build("newsroom", newsroom_content, work / "out-newsroom", None, work))
        if not lean:  # the variants explain the build; the targets need only vanilla, the newsroom and Hugo
            runs["one process"].append(
                newsroom_build("one process", newsroom_content, work / "out-serial", None, work, one_process=True)
            )
            runs["index after"].append(
                newsroom_build("index after", newsroom_content, work / "out-after", None, work, index_after=True)
            )
        if hugo_site:
            runs["hugo"].append(hugo_build(hugo_site, work))
    medians = {name: median_run(each) for name, each in runs.items() if each}
    vanilla, newsroom = medians["vanilla"], medians["newsroom"]
    newsroom.label = "newsroom (production build)"
    for name, label in (("one process", "newsroom, one render process"), ("index after", "newsroom, index after")):
        if name in medians:
            medians[name].label = label
    print(
        f"\n{posts} posts (median of {repeat} builds each; wall s: "
        + "; ".join(f"{name} {spread(each)}" for name, each in runs.items() if each)
        + ")"
    )
    for run in medians.values():
        show(run)
    report = newsroom.report
    print(
        f"  newsroom: Pelican with the plugin (checks included) {report['wall']:.1f} s, then "
        f"{report['total'] - report['wall']:.1f} s to finish the search index"
    )
    if not lean:
        serial, after = medians["one process"], medians["index after"]
        print(f"  indexing after Pelican instead: {after.report['total'] - after.report['wall']:.1f} s after it")
        print(
            f"  Pelican's run {report['wall']:.1f} s with pages rendered in two processes, "
            f"{serial.report['wall']:.1f} s in one; whole build: wall {newsroom.wall / serial.wall:.2f}, "
            f"CPU {newsroom.cpu / serial.cpu:.2f} of the one-process build"
        )
        for other in ("out-serial", "out-after"):
            same = differences(work / "out-newsroom", work / other)
            print(f"  outputs, newsroom and {other}: {'byte-identical' if not same else f'DIFFER in {same[:5]}'}")
    print(ratio_line("full production build / vanilla Pelican", newsroom, vanilla, 1.0, 1.3))
    if hugo_site:
        hugo_run = median_run(runs["hugo"])
        print(ratio_line("full production build / Hugo", newsroom, hugo_run, 1.0))
        print(ratio_line("vanilla Pelican / Hugo", vanilla, hugo_run, 1.0))
    plugin_share(
        [newsroom_build("newsroom, plugin timed", newsroom_content, work / "out-timed", None, work, timed=True)]
    )


def compare_languages(posts: int, root: Path, repeat: int, hugo: bool, translated_share: float) -> None:
    """Vanilla Pelican, the newsroom and Hugo on the two-language corpus and on its English posts alone."""
    from corpus import FRENCH_SUFFIX, Bilingual, write_corpus
    from language_cost import language_cost_lines

    work = root / f"languages-{posts}"
    work.mkdir(parents=True)
    kinds = {"vanilla": "vanilla", "newsroom": "newsroom", **({"hugo": "Hugo"} if hugo else {})}
    labels = {
        (kind, editions): f"{name}, {'two languages' if editions == 2 else 'English'}"
        for kind, name in kinds.items()
        for editions in (1, 2)
    }
    corpora = {}
    for kind, editions in labels:
        bilingual = Bilingual(translated_share, with_french=editions == 2)
        corpora[kind, editions] = write_corpus(work / f"{kind}-{editions}", posts, 2026, kind, bilingual)
    for editions in (1, 2):
        commit_all(corpora["newsroom", editions].parent, "corpus")  # the revision history plugin reads git
    french = sorted((corpora["newsroom", 2] / "posts").rglob(f"*{FRENCH_SUFFIX}"))
    material = sum("\nMaterial: yes\n" in path.read_text(encoding="utf-8") for path in french)
    # Vanilla's French posts as a site of their own (French its default language), beside its English site: every
    # listing and feed in each language, as the newsroom writes them (and as Pelican's i18n_subsites plugin builds
    # a site in several languages: one whole build per language).
    french_site = work / "vanilla-french" / "content"
    shutil.copytree(
        corpora["vanilla", 2],
        french_site,
        ignore=lambda folder, names: [
            name
            for name in names
            if "posts" in Path(folder).parts and name.endswith(".md") and not name.endswith(FRENCH_SUFFIX)
        ],
    )
    french_runs: list[Run] = []

    runs: dict[tuple[str, int], list[Run]] = {key: [] for key in labels}
    for _ in range(repeat):  # alternated, so that a slow spell on the machine hits every kind
        for (kind, editions), label in labels.items():
            source = corpora[kind, editions]
            if kind == "vanilla":
                run = vanilla_build(source, work, label, translations=True)
            elif kind == "hugo":
                run = hugo_build(source, work, label, languages=editions == 2)
            else:
                output = work / f"out-newsroom-{editions}"
                run = newsroom_build(f"newsroom-{editions}", source, output, None, work, languages=editions)
            run.label = label
            runs[kind, editions].append(run)
        french_runs.append(
            vanilla_build(french_site, work, "vanilla, French site", language="fr", output="out-vanilla-french")
        )
    medians = {key: median_run(each) for key, each in runs.items()}
    french_site_run = median_run(french_runs)
    english_site_run = medians["vanilla", 1]
    per_language = Run(
        "vanilla, a site per language",
        english_site_run.wall + french_site_run.wall,
        english_site_run.cpu + french_site_run.cpu,
        max(english_site_run.peak_mb, french_site_run.peak_mb),
    )
    print(
        f"\n{posts} posts in two languages: {posts} in English, {len(french)} in French (all {material} material "
        f"posts and about {translated_share:.0%} of the rest); median of {repeat} builds each; wall s: "
        + "; ".join(f"{labels[key]} {spread(each)}" for key, each in runs.items())
    )
    for run in [*medians.values(), french_site_run, per_language]:
        show(run)
    # The last build of each kind was its two-language one: what it wrote is in its output folder.
    written = [
        f"vanilla {files_in(work / 'out-vanilla')} "
        f"({len(list((work / 'out-vanilla').glob('*-fr.html')))} French posts as translations)",
        f"newsroom {files_in(work / 'out-newsroom-2')} ({files_in(work / 'out-newsroom-2' / 'fr')} under fr/; "
        f"English alone {files_in(work / 'out-newsroom-1')})",
    ]
    if hugo:
        written.append(f"Hugo {files_in(work / 'out-hugo')} ({files_in(work / 'out-hugo' / 'fr')} under fr/)")
    print(f"  files written in two languages: {'; '.join(written)}")
    for editions, name in ((2, "two languages"), (1, "English")):
        newsroom = medians["newsroom", editions]
        print(
            ratio_line(
                f"full production build / vanilla Pelican, {name}", newsroom, medians["vanilla", editions], 1.0, 1.3
            )
        )
        if hugo:
            print(ratio_line(f"full production build / Hugo, {name}", newsroom, medians["hugo", editions], 1.0))
    print(
        ratio_line(
            "full production build / vanilla Pelican, a site per language (its English site and its French site, "
            f"{french_site_run.wall:.1f} s: every listing in each language, as the newsroom writes them)",
            medians["newsroom", 2],
            per_language,
            1.0,
            1.3,
        )
    )
    print("  what the second language costs (two languages against English alone, in the same run):")
    for kind, name in kinds.items():
        print("\n".join(language_cost_lines(name, medians[kind, 1], medians[kind, 2], posts, len(french))))
    output = work / "out-newsroom-timed"
    plugin_share(
        [newsroom_build("newsroom-timed", corpora["newsroom", 2], output, None, work, languages=2, timed=True)]
    )


def plugin_share(newsrooms: list[Run]) -> None:
    """The plugin's share of Pelican's run, read from the build with the median share."""
    shares = sorted((run.report["plugin"] / run.report["wall"], index) for index, run in enumerate(newsrooms))
    share, median_index = shares[len(shares) // 2]
    report = newsrooms[median_index].report
    print(
        f"  plugin share of Pelican's run: {share:.1%} ({report['plugin']:.2f} s of {report['wall']:.1f} s; "
        f"{'meets' if share <= 0.10 else 'MISSES'} the 10% target; median of "
        f"{', '.join(f'{each:.1%}' for each, _ in shares)}; timing overhead of "
        f"{report['overhead_per_call'] * 1e6:.2f} µs per call subtracted)"
    )
    for label, seconds in report["aside"].items():
        share_with = (report["plugin"] + seconds) / report["wall"]
        print(f"  plugin share including {label} ({seconds:.2f} s): {share_with:.1%}")
    in_plugin, collections = report["gc_collections"]
    apportioned = report["gc_total"] * in_plugin / max(collections, 1)
    print(
        f"  garbage collection: {report['gc_total']:.2f} s in the whole build; plugin code triggered {in_plugin} of "
        f"its {collections} collections, so its part is {apportioned:.2f} s: plugin share with it "
        f"{(report['plugin'] + apportioned) / report['wall']:.1%}"
    )
    for name, (seconds, calls) in sorted(report["entries"].items(), key=lambda item: -item[1][0])[:12]:
        print(f"      {seconds:7.2f} s {calls:>8} calls  {name}")


def commit_all(repository: Path, message: str) -> None:
    if not (repository / ".git").exists():
        subprocess.run([*GIT, "init", "-q", "-b", "main", str(repository)], check=True)
    subprocess.run([*GIT, "-C", str(repository), "add", "-A"], check=True)
    subprocess.run([*GIT, "-C", str(repository), "commit", "-q", "-m", message], check=True)


def fresh_clone(origin: Path, checkout: Path) -> Path:
    shutil.rmtree(checkout, ignore_errors=True)
    subprocess.run([*GIT, "clone", "-q", str(origin), str(checkout)], check=True)
    return checkout / "content"


def edit_one_post(content: Path) -> Path:
    """Change one sentence in the body of a published post, as a typical pull request would."""
    for path in sorted((content / "posts").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if "Status:" not in text and "## Key facts" in text:
            path.write_text(text.replace("## Key facts", "Edited in this pull request.\n\n## Key facts", 1), "utf-8")
            return path
    raise RuntimeError("no published post to edit")


def files_in(folder: Path) -> int:
    return sum(1 for path in folder.rglob("*") if path.is_file())


def differences(first: Path, second: Path) -> list[str]:
    """Relative paths of files that differ between two output trees, or exist in only one (empty: identical)."""
    names = {p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file()}
    others = {p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file()}
    differing = sorted(names ^ others)
    differing += [n for n in sorted(names & others) if not filecmp.cmp(first / n, second / n, shallow=False)]
    return differing


def rebuild(posts: int, root: Path, hugo: bool, languages: int = 1, translated_share: float = 0.4) -> None:
    from corpus import Bilingual, write_corpus

    work = root / f"rebuild-{posts}"
    origin = work / "origin"
    bilingual = Bilingual(translated_share) if languages == 2 else None
    write_corpus(origin, posts=posts, bilingual=bilingual)
    commit_all(origin, "corpus")
    checkout, cache, saved = work / "checkout", work / "cache", work / "saved-cache"
    setting = 2 if bilingual else 1

    content = fresh_clone(origin, checkout)
    first = newsroom_build("cold, writing the cache", content, work / "out-first", cache, work, languages=setting)
    shutil.copytree(cache, saved)  # actions/cache saves the folder at the end of the job
    # Pelican empties a cache file before pickling into it and only warns when pickling fails: the rebuild would
    # then read every post again and measure a cold build under the rebuild's name.
    empty = sorted(
        path.relative_to(saved).as_posix() for path in saved.rglob("*") if path.is_file() and not path.stat().st_size
    )
    if empty:
        sys.exit(f"the cold build left empty cache files ({', '.join(empty)}): a save failed, see {work}/*.log")

    content = fresh_clone(origin, checkout)  # the next CI run: a fresh checkout, every mtime new
    edited = edit_one_post(content)
    commit_all(checkout, "Edit one post")
    shutil.rmtree(cache)
    shutil.copytree(saved, cache)  # ... and actions/cache restores it
    cached = newsroom_build("rebuild, cache restored", content, work / "out-cached", cache, work, languages=setting)
    cold = newsroom_build("cold, no cache", content, work / "out-cold", None, work, languages=setting)
    hugo_runs = []
    if hugo:
        hugo_site = write_corpus(work / "hugo", posts=posts, dialect="hugo", bilingual=bilingual)
        hugo_runs = [hugo_build(hugo_site, work, "hugo, cold", languages=bilingual is not None) for _ in range(3)]

    size = sum(p.stat().st_size for p in saved.rglob("*") if p.is_file()) / 1e6
    in_languages = " in two languages" if bilingual else ""
    print(
        f"\nCI rebuild, {posts} posts{in_languages}, one post edited ({edited.relative_to(content)}); "
        f"cache {size:.0f} MB"
    )
    for run in (first, cached, cold, *([median_run(hugo_runs)] if hugo_runs else [])):
        show(run)
    print(
        f"  rebuild/cold: {cached.wall / cold.wall:.0%} wall, {cached.cpu / cold.cpu:.0%} CPU "
        f"(search index included in both)"
    )
    if hugo_runs:
        print(f"  Hugo cold builds (wall s): {spread(hugo_runs)}")
        print(ratio_line("rebuild / Hugo's cold build", cached, median_run(hugo_runs), 1.0))
    different = differences(work / "out-cached", work / "out-cold")
    files = files_in(work / "out-cold")
    if different:
        print(f"  outputs DIFFER in {len(different)} of {files} files: {different[:10]}")
    else:
        print(f"  outputs byte-identical, search index included: {files} files compared")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, action="append", help="corpus size (repeatable; default 1000 and 5000)")
    parser.add_argument("--no-compare", action="store_true", help="skip vanilla vs newsroom")
    parser.add_argument("--repeat", type=int, default=3, help="builds of each kind to take the median of")
    parser.add_argument("--rebuild", type=int, default=5000, help="posts for the CI rebuild benchmark (0: skip)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder and print its path")
    parser.add_argument(
        "--work-dir",
        default="/dev/shm" if Path("/dev/shm").is_dir() else None,
        help="where corpora and outputs go (default: /dev/shm, a RAM disk, when there is one: on a shared machine "
        "the disk's latency varies tenfold and writing 7,000 files would measure it, not the build)",
    )
    parser.add_argument(
        "--lean", action="store_true", help="compare only vanilla, the production build and Hugo (large corpora)"
    )
    parser.add_argument("--no-hugo", action="store_true", help="skip Hugo (otherwise the `hugo` command is needed)")
    parser.add_argument(
        "--languages",
        type=int,
        choices=(1, 2),
        default=1,
        help="2: the corpus in English and French, against its English posts alone",
    )
    parser.add_argument(
        "--translated-share",
        type=float,
        default=0.4,
        help="with --languages 2: the share of the posts that are not material news given a French version "
        "(every material post has one; default 0.4)",
    )
    parser.add_argument("--child", nargs=3, metavar=("CONTENT", "OUTPUT", "REPORT"), help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    parser.add_argument("--index-after", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--one-process", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-languages", type=int, choices=(1, 2), help=argparse.SUPPRESS)
    parser.add_argument("--plugin-timer", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child, args.cache, args.index_after, args.one_process, args.child_languages, args.plugin_timer)
        return
    if not 0 <= args.translated_share <= 1:
        parser.error(f"--translated-share {args.translated_share!r} is not a share (expected 0 to 1, e.g. 0.4)")

    hugo = None if args.no_hugo else hugo_version()
    if not args.no_hugo and hugo is None:
        sys.exit("hugo: command not found (install Debian's package: apt-get install hugo; or pass --no-hugo)")
    if args.work_dir:
        Path(args.work_dir).mkdir(parents=True, exist_ok=True)  # a folder named for the run, made if need be
    root = Path(tempfile.mkdtemp(prefix="newsroom-build-bench-", dir=args.work_dir))
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; {hugo or 'no Hugo'}; work folder {root}")
    try:
        if not args.no_compare:
            for posts in args.posts or [1000, 5000]:
                if args.languages == 2:
                    compare_languages(posts, root, args.repeat, hugo is not None, args.translated_share)
                else:
                    compare(posts, root, args.repeat, hugo is not None, args.lean)
        if args.rebuild:
            rebuild(args.rebuild, root, hugo is not None, args.languages, args.translated_share)
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
