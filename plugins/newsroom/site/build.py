"""Running Pelican for the tasks, the publish pipeline and the tests: `--fatal errors` semantics, clean failures.

`build_and_index` is the production build everything that deploys or previews calls: Pelican with the plugin
(the content checks run inside it) and the search index of what it wrote, built alongside it."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from pelican import Pelican, signals
from pelican.log import init as init_logging
from pelican.settings import get_settings_from_file, read_settings

from newsroom.checks.content_check import check_content
from newsroom.kit.content_cache import remembering
from newsroom.kit.errors import NewsroomError
from newsroom.kit.malloc import tune_malloc
from newsroom.kit.settings import SettingsProblems
from newsroom.model.editions import PUBLIC_SITEURL, edition_problems
from newsroom.model.settings import KNOWN_SETTINGS, Newsroom
from newsroom.search.index import SearchIndexer, SearchIndexFailed
from newsroom.site.page_reads import build_ended
from newsroom.site.parallel_render import WRITTEN_ELSEWHERE, abandon_render
from newsroom.site.validated import NEWSROOM, validate_settings


class BuildFailed(NewsroomError):
    """The build stopped; the message is what the person running it needs to read (no traceback), and the exit
    code that of what stopped it (2 for a settings mistake)."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


def load_settings(settings_file: str | Path, overrides: Mapping | None = None, edition: str = "public") -> dict:
    """Pelican's settings from `settings_file` for one edition of the site.

    An edition other than "public" applies its entry in NEWSROOM_EDITIONS (its own output folder, site URL…), and
    previews no drafts unless the entry says NEWSROOM_PREVIEW_DRAFTS; `overrides` are applied last, the way
    `pelican -e` applies them. An edition never writes into the public site's folder (model/editions.py)."""
    settings = _read_settings(settings_file, dict(overrides or {}))
    if edition == "public":
        return settings
    problems = edition_problems(settings, KNOWN_SETTINGS)
    editions = settings.get("NEWSROOM_EDITIONS", {})
    if not problems and edition not in editions:
        problems = [
            f"NEWSROOM_EDITIONS has no {edition!r} entry in {settings_file} "
            f"(expected one of: {', '.join(editions) or 'none'})"
        ]
    if problems:
        raise SettingsProblems(problems)
    # A draft preview is the local public build's (NEWSROOM_PREVIEW_DRAFTS in pelicanconf.py): an edition that is
    # published (the intranet) or shown around (the embargo preview) holds no draft or hidden post unless its own
    # entry asks for them.
    edition_settings = _read_settings(
        settings_file,
        {"NEWSROOM_PREVIEW_DRAFTS": False, **editions[edition], **(overrides or {}), "NEWSROOM_EDITION": edition},
    )
    # A link to the public site's copy of a post is one into this newsroom too (editions.site_addresses).
    edition_settings[PUBLIC_SITEURL] = settings.get("SITEURL", "")
    # The public site's folder as the settings file has it (a caller's OUTPUT_PATH override is for this edition:
    # only then is the file read a third time).
    public_settings = settings if "OUTPUT_PATH" not in (overrides or {}) else _read_settings(settings_file, {})
    public = Path(public_settings["OUTPUT_PATH"]).resolve()
    own = Path(edition_settings["OUTPUT_PATH"]).resolve()
    if public == own or public.is_relative_to(own) or own.is_relative_to(public):
        raise SettingsProblems(
            [
                f"NEWSROOM_EDITIONS[{edition!r}].OUTPUT_PATH: {own} is {'' if own == public else 'in or around '}the "
                f"public site's folder ({public}); the {edition} edition would be published with it (expected a "
                f"folder of its own, e.g. 'output-{edition}')"
            ]
        )
    return edition_settings


def _read_settings(settings_file: str | Path, overrides: dict) -> dict:
    """Pelican's reading of the owner's settings file: what stops it (a content folder that does not exist, a
    DEFAULT_LANG that is not text, a mistake in the file's Python) is one line naming the file, not a traceback."""
    fallbacks = _FallbacksHeard()
    logging.getLogger("pelican.settings").addHandler(fallbacks)
    try:
        settings = read_settings(str(settings_file), override=overrides)
    except Exception as error:  # the file is the owner's Python, run by Pelican: any error in it is theirs to fix
        raw = {**_settings_in_file(settings_file), **overrides}
        base = Path(settings_file).resolve().parent
        content = base / str(raw.get("PATH", "content")) if isinstance(raw.get("PATH", ""), str) else None
        if content is None or not content.is_dir():
            why = f"PATH: {raw.get('PATH')!r} is not a folder (expected the content folder, e.g. 'content')"
        elif not isinstance(raw.get("DEFAULT_LANG", "en"), str):
            why = f"DEFAULT_LANG: {raw['DEFAULT_LANG']!r} must be a language tag such as 'en' or 'fr-CA'"
        else:
            why = f"Pelican cannot read it ({type(error).__name__}: {error})"
        raise SettingsProblems([f"{settings_file}: {why}"]) from None
    finally:
        logging.getLogger("pelican.settings").removeHandler(fallbacks)
    if fallbacks.heard:
        raw = {**_settings_in_file(settings_file), **overrides}
        raise SettingsProblems(
            [
                f"{settings_file}: {name}: {raw.get(name)!r} is a string where Pelican takes a list, so Pelican would "
                f"ignore it for its default (expected a list, e.g. [{raw.get(name)!r}])"
                for name in fallbacks.heard
            ]
        )
    return settings


class _FallbacksHeard(logging.Handler):
    """Pelican replaces a list setting given as a string (STATIC_PATHS = "images") by its default, with only a
    warning in the log: the setting the owner wrote would be silently ignored. Each is kept here, as a problem."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.heard: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if str(record.msg).startswith("Detected misconfiguration with") and record.args:
            self.heard.append(str(record.args[0]))


def _settings_in_file(settings_file: str | Path) -> dict:
    """The names the settings file sets, as it sets them; {} when the file itself cannot be run."""
    try:
        return get_settings_from_file(str(settings_file))
    except Exception:
        return {}


def check(settings: Mapping, newsroom: Newsroom | None = None) -> list[str]:
    """The content problems `invoke check` reports, one line each; `newsroom` when the caller has validated the
    settings already (invoke publish). A settings mistake raises SettingsProblems first, with every settings
    problem: the content is checked against valid settings only, and the task exits with 2 for it."""
    if newsroom is None:
        # Every settings family the build validates: a pull request's check must refuse what it would.
        newsroom = validate_settings(dict(settings))
    problems, _ = check_content(settings, newsroom)
    return [str(problem) for problem in problems]


def build(settings: Mapping, *, verbosity: int = logging.WARNING) -> None:
    """Build the site described by `settings`; any logged error fails it (Pelican's `--fatal errors`)."""
    init_logging(level=verbosity, fatal="errors")
    tune_malloc()  # before any thread: memory freed is reused or handed back (kit/malloc.py)
    pelican = None
    try:
        pelican = Pelican(dict(settings))
        pelican.run()
    except SearchIndexFailed:
        raise  # the indexer, not the site: build_and_index says so
    except NewsroomError as error:  # the plugin stopped it, or something it called refused
        raise BuildFailed(str(error), error.exit_code) from None
    except RuntimeError as error:
        # Pelican's fatal logger raises this after printing the error it refers to. A refusal of the newsroom's
        # that Pelican caught and logged (its generators log whatever reading a file raises: the reader's) is
        # the line to give.
        if isinstance(error.__context__, NewsroomError):
            refused = error.__context__
            raise BuildFailed(str(refused), refused.exit_code) from None
        raise BuildFailed(f"the build logged an error and was stopped ({error})") from None
    finally:
        if pelican is not None:
            abandon_render(pelican.settings)  # a build stopped half-way leaves no second process writing
        build_ended()  # nor a text store the next build's posts would be written to, nor this build's posts held


def build_edition(settings: Mapping) -> str:
    """The build `invoke build`, `preview` and `livereload` run: the site and its search index (the content
    checks run inside the build, so they are not run twice); returns the line that says what was built."""
    build_and_index(settings)
    return f"Built the {settings.get('NEWSROOM_EDITION', 'public')} edition in {settings['OUTPUT_PATH']}"


def build_and_index(settings: Mapping, *, verbosity: int = logging.WARNING, index_while_rendering: bool = True) -> str:
    """Build the site, then write its search index (`pagefind/`); returns the index's one-line summary.

    Pagefind reads each page as Pelican writes it (on the second core) unless `index_while_rendering` is False,
    when it reads them all after the build; the index is the same either way."""
    languages = settings.get("NEWSROOM_LANGUAGES")  # checked by the build's settings validation, which reports it
    several = isinstance(languages, list | tuple) and len(languages) > 1  # an index per language (languages.md)
    language = None if several else settings.get("DEFAULT_LANG", "en")
    # The search index's pieces are kept with the content cache, and reused on the same terms (content_cache.py);
    # each edition has its own, so that building one edition does not replace the other's pieces.
    cached = remembering(settings)
    edition = settings.get("NEWSROOM_EDITION", "public")
    indexer = SearchIndexer(
        settings["OUTPUT_PATH"],
        language=language,
        while_writing=index_while_rendering,
        cache=Path(settings["CACHE_PATH"]) / f"search-{edition}" if cached else None,
    )

    def page_written(path, context=None):
        # A page rendered by the second process (parallel_render.py) is read once it is on disk.
        indexer.page_written(path, (context or {}).get(WRITTEN_ELSEWHERE))

    def articles_ready(generator):
        # Every article the edition publishes, each language's version its own page: the pages the theme marks
        # for search, so the number of the index's pieces is known before the first page is written. The
        # settings were validated when the build started, before any article was read.
        marked = len(generator.articles) + len(generator.translations)
        indexer.expect_pages(marked, generator.settings[NEWSROOM].search_pages_per_piece)

    def articles_written(generator, writer=None):
        # The article pages, the only ones the theme marks for search, are all written: Pagefind can build the
        # index while the build writes the rest (search/index.py says why this is always safe).
        indexer.index_ahead()

    signals.content_written.connect(page_written)
    signals.article_generator_finalized.connect(articles_ready)
    signals.article_writer_finalized.connect(articles_written)
    try:
        build(settings, verbosity=verbosity)
        return indexer.finish()
    except SearchIndexFailed as error:
        raise BuildFailed(f"search index: {error}") from None
    finally:
        signals.content_written.disconnect(page_written)
        signals.article_generator_finalized.disconnect(articles_ready)
        signals.article_writer_finalized.disconnect(articles_written)
        indexer.close()
