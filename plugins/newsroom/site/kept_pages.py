"""Pages kept between builds: a page whose inputs are all unchanged is written from the content cache, not rendered.

A CI rebuild after one edited post rendered every page again (~7 of its 12 s at 5,000 posts), although all but a
few came out the same. With the content cache on, each page the build renders is kept in the cache with a record of
everything it was made from; the next build writes a page from there only when all of that compares equal. What
a page is made from is split in two:

- **What every page may see** (`SiteInputs`): the theme's files; the code (every module loaded from outside the
  Python installation, by its file, and every installed library by its version); the settings (with the
  newsroom's code, they also name the cache folder); every context the writer is given, each variable of it; and
  the state of every post, page and static file those reach, except their PER_PAGE attributes. A change to any
  of it (a title, a date, a category, an added post) renders every page again. Nothing here is chosen by hand: the
  contexts are encoded whole, so a variable added later is compared without anyone listing it.
- **What one page saw**: the variables Pelican gives that page alone (its post, its page of a listing, its file
  name), and the PER_PAGE attributes (body, summary, revision history...) of each post it read. Those attributes
  are read only through recording descriptors installed on Pelican's Content class, so every way of reading one,
  from a template or from Python, is seen; a value remembered across pages (a post's card) is remembered with what
  it read (`remembered`).

A page that opened a file or started a process while rendering is not kept (that file is an input nobody records),
nor is one whose variables cannot be encoded. A record whose file is missing or altered is rendered again. So the
cache can only cost time: tests/test_kept_pages.py builds each change both ways and compares every byte.

The contexts are encoded once, before the first page: they are complete by then and do not change while pages are
written (the second render process, forked at that moment, relies on the same, parallel_render.py). The build's
own bookkeeping in them (HIDDEN: which file is whose, the reader's hand-over, where the build writes) does change,
and is no page's input: pages are rendered without it, so none can depend on it.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import logging
import os
import pickle
import shutil
import sys
import types
from collections.abc import Iterable, Mapping
from pathlib import Path

from pelican.contents import Content
from pelican.paginator import Page as PaginatorPage
from pelican.paginator import Paginator
from pelican.urlwrappers import URLWrapper

from newsroom.checks.checked_texts import CHECKED_TEXTS
from newsroom.kit.content_cache import PLUGIN_DIR, remembering
from newsroom.kit.errors import NewsroomError
from newsroom.model.classification import POST_FACTS
from newsroom.model.ownership import OUTPUT_OWNERS
from newsroom.model.rendering import RENDERED
from newsroom.site.owning_writer import OwningWriter
from newsroom.site.page_reads import PER_PAGE, Reads, held_value, reading_page, watch_outside_inputs
from newsroom.site.post_lists import PostList
from newsroom.site.shared_partials import SHARED_PARTIALS
from newsroom.site.validated import NEWSROOM

KEPT = "newsroom_kept_pages"  # where the build keeps its KeptPages (lower case: not a setting)
FOLDER = "pages"
# Not a page's input, so pages are rendered without them (KeptPages.render): the build's bookkeeping, filled in
# while pages are written; the checks' facts, which read the body (a link's line number), and their record of the
# texts they checked; and where the build writes (a rebuild may write elsewhere; only Pelican's writer and the
# signal receivers need to know).
HIDDEN = frozenset({OUTPUT_OWNERS, RENDERED, CHECKED_TEXTS, POST_FACTS, "OUTPUT_PATH", "CACHE_PATH"})
# Remembered partials (cards, header, footer): not an input but a memo whose entries carry their reads
# (shared_partials.py uses `remembered`).
UNCOMPARED = frozenset({SHARED_PARTIALS, KEPT})

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------------------------
# Encoding inputs: equal inputs give equal bytes, in any process and under any hash seed


class Unencodable(NewsroomError):
    """A value whose state cannot be compared between builds: pages that see it are rendered (never raised out
    of this module)."""


# A list or dict with more entries than this is encoded once, by digest, however often it is met (SiteInputs.encode).
SHARED = 16
_PLAIN = frozenset({str, int, float, bool, type(None), bytes})
_CODE = frozenset({types.FunctionType, types.BuiltinFunctionType, type})
_COLLECTIONS = frozenset({list, tuple, dict, PostList})
_SEQUENCES = frozenset({list, tuple, PostList})
_PAGINATION = frozenset({Paginator, PaginatorPage})


class SiteInputs:
    """The build's contexts and content objects, encoded: each content object has a stable name (its class and
    source file) and a digest of its state without PER_PAGE; `digest` is what every page may see."""

    def __init__(self, settings: Mapping, contexts: Iterable[dict], code_and_theme: str):
        self.settings = settings
        self._names: dict[int, tuple] = {}  # id(content) -> name
        self.contents: dict[tuple, Content] = {}  # name -> content
        self._per_page: dict[int, str] = {}
        self.contexts: dict[int, str] = {}  # id(context) -> digest of its variables (contents by name)
        # id(context) -> its variables as they were encoded: a page's own variables are those that differ
        self.snapshots: dict[int, dict] = {}
        self.snapshot_ids: dict[int, dict[int, str]] = {}  # id(context) -> id of each of its values -> its name
        self._contexts = list(contexts)
        self._known_contexts = {id(context) for context in self._contexts}
        self.frozen = False
        self._files: dict[str, str] = {}
        self._shared: dict[int, tuple] = {}  # the memo while the site is encoded (SiteInputs.encode)
        whole = hashlib.sha256(code_and_theme.encode())
        # The settings proper (upper case); the build's own state that pages may see is in the contexts, copied
        # from the settings when Pelican started (what was added later is the build's machinery: the writer...).
        whole.update(self.encode(sorted((k, v) for k, v in settings.items() if k.isupper() and _compared(k))))
        for context in self._contexts:
            self.contexts[id(context)] = self._context_digest(context)
            self.snapshots[id(context)] = dict(context)
            self.snapshot_ids[id(context)] = {
                id(value): key for key, value in sorted(context.items()) if _compared(key) and type(value) not in _PLAIN
            }
        done = 0
        # Each content object reached so far, and those its state reaches in turn, in the order first met.
        names = list(self.contents)
        while done < len(names):
            for name in names[done:]:
                whole.update(repr(name).encode())
                whole.update(self.encode(self.state(self.contents[name])))
            done = len(names)
            names = list(self.contents)
        self.digest = whole.hexdigest()
        # From here on names are given in the order pages happen to be rendered, which differs between builds and
        # processes: a second object of a named file is then not named at all.
        self.frozen = True
        self._shared.clear()

    def _context_digest(self, context: Mapping) -> str:
        return hashlib.sha256(self.encode(sorted((k, v) for k, v in context.items() if _compared(k)))).hexdigest()

    def state(self, content: Content) -> dict:
        """The content object's attributes that every page may see (all but PER_PAGE and its back-references)."""
        state = {}
        for key, value in sorted(vars(content).items()):
            if key in PER_PAGE or key == "settings":
                continue
            if key == "_context":
                if id(value) not in self._known_contexts:
                    raise Unencodable(f"{content.source_path}: reads a context the writer was not given")
                continue
            state[key] = value
        return state

    def name_of(self, content: Content) -> tuple:
        """The content object's name, the same in every build that has it; the first time, it is registered."""
        name = self._names.get(id(content))
        if name is None:
            base = (type(content).__name__, str(getattr(content, "source_path", None)))
            name, n = base, 1
            if self.frozen and name in self.contents:
                raise Unencodable(f"a second object of {base[1]} met while rendering")
            while name in self.contents:  # two objects of one file: numbered in the order met, which is stable
                name, n = (*base, n), n + 1
            self._names[id(content)] = name
            self.contents[name] = content
        return name

    def file_digest(self, filename: str) -> str:
        """A source file's digest, read once per build (not per process: a test rebuilds in one)."""
        digest = self._files.get(filename)
        if digest is None:
            digest = self._files[filename] = _file_digest(filename)
        return digest

    def known(self, content: Content) -> bool:
        return id(content) in self._names

    def per_page_digest(self, content: Content) -> str:
        """A digest of the content object's PER_PAGE attributes (read without recording)."""
        digest = self._per_page.get(id(content))
        if digest is None:
            values = tuple(held_value(content, name, "\0absent") for name in PER_PAGE)
            digest = self._per_page[id(content)] = hashlib.sha256(self.encode(values)).hexdigest()
        return digest

    def encode(self, value, new: list | None = None, memo: dict | None = None) -> bytes:
        """`value` as bytes: content objects by name (their state is the site's; with `new`, a content object no
        context reaches is listed there, to be encoded with the page), sets sorted, the settings by name. `memo`
        (id -> entry) encodes a large list or dict once however often it is met: Pelican's paginator holds the
        whole listing on each of its pages, and a settings dict unpickled from Pelican's reader cache is in every
        category, tag and author of every post. Its entries keep their values alive, so no id names two objects."""
        buffer = io.BytesIO()
        if memo is None:
            memo = {} if self.frozen else self._shared
        _Encoder(buffer, self, new, memo, value).dump(value)
        return buffer.getvalue()

    def encode_variable(self, value, new: list, memo: dict) -> bytes:
        """A page's own variable, as `encode` would compare it, without a pickler for the kinds every page has
        (a post, a category, a listing's page of posts and its paginator): encoding them was most of the cost
        of keeping a page."""
        kind = type(value)
        if kind in _PLAIN:
            return b"p" + repr(value).encode()
        if isinstance(value, Content):
            if not self.known(value):
                new.append(value)
            return b"c" + repr(self.name_of(value)).encode()
        if isinstance(value, URLWrapper):
            return b"u" + repr((kind.__name__, value.name, value.slug, value.url, value.save_as)).encode()
        if kind in _PAGINATION:
            entry = memo.get(id(value))
            if entry is None or entry[0] is not value:
                parts = [kind.__name__.encode()]
                for name, item in sorted(vars(value).items()):
                    if name != "settings":  # the site's settings (compared with the site)
                        parts.append(name.encode() + b"=" + self.encode_variable(item, new, memo))
                entry = memo[id(value)] = (value, hashlib.sha256(b"\0".join(parts)).digest(), new[:])
            else:
                new.extend(entry[2])
            return b"g" + entry[1]
        if kind in _SEQUENCES and all(isinstance(item, Content) for item in value):
            entry = memo.get(id(value))
            if entry is None or entry[0] is not value:
                # Which are new first: naming a content object registers it, after which it is known.
                found = [item for item in value if not self.known(item)]
                names = "\0".join(repr(self.name_of(item)) for item in value)
                entry = memo[id(value)] = (value, hashlib.sha256(names.encode()).digest(), found)
            new.extend(entry[2])
            return b"l" + kind.__name__.encode() + entry[1]
        return b"e" + self.encode(value, new, memo)

    def collection_digest(self, value, new: list | None, memo: dict) -> str:
        entry = memo.get(id(value))
        if entry is None or entry[0] is not value:
            found: list = []
            items = list(value.items()) if isinstance(value, dict) else list(value)
            digest = hashlib.sha256(self.encode(items, found, memo)).hexdigest()
            entry = memo[id(value)] = (value, digest, found)
        if new is not None:
            new.extend(entry[2])
        return entry[1]


def _compared(key: str) -> bool:
    return key not in HIDDEN and key not in UNCOMPARED


class _Encoder(pickle.Pickler):
    def __init__(self, file, site: SiteInputs, new: list | None, memo: dict, top):
        super().__init__(file, protocol=5)
        self.fast = True  # no pickle memo: equal values give equal bytes however they happen to be shared
        self._site, self._new, self._memo, self._top = site, new, memo, top

    def persistent_id(self, value):
        kind = type(value)
        if kind in _PLAIN:
            return None
        if isinstance(value, Content):
            site = self._site
            if not site.known(value) and self._new is not None:
                self._new.append(value)
            return ("content", site.name_of(value))
        if value is self._site.settings:
            return "settings"
        if kind in _COLLECTIONS and len(value) > SHARED and value is not self._top:
            return (kind.__name__, self._site.collection_digest(value, self._new, self._memo))
        if isinstance(value, URLWrapper):
            # What a category, tag or author shows. Not its settings: those read from Pelican's reader cache are
            # a copy from the build that wrote it (where it wrote to...), the same for what they do here.
            return ("urlwrapper", kind.__name__, value.name, value.slug, value.url, value.save_as)
        if kind is set or kind is frozenset:
            return (kind.__name__, sorted(self._site.encode(item, self._new, self._memo) for item in value))
        if kind is types.FunctionType:  # a function of the settings' own (a filter): by its code and its file
            source = self._site.file_digest(value.__code__.co_filename)
            return ("function", value.__module__, value.__qualname__, source)
        if kind in _CODE:  # the libraries' code: by name (their versions are in code_digest)
            return ("code", getattr(value, "__module__", None), getattr(value, "__qualname__", None))
        return None


def _file_digest(filename: str) -> str:
    try:
        return hashlib.sha256(Path(filename).read_bytes()).hexdigest()
    except OSError:
        return f"unreadable {filename}"


def code_digest() -> str:
    """The code pages are rendered with, beyond what names the cache folder (the plugin, Pelican, Markdown): every
    module loaded from outside the Python installation (the settings' own modules, other plugins) by its file, and
    every installed distribution (Jinja2, MarkupSafe, Babel...) by its version."""
    digest = hashlib.sha256(sys.version.encode())
    # The plugin's own files name the cache folder already (content_cache.cache_fingerprint): not read again.
    installed = (*{sys.prefix, sys.base_prefix, sys.exec_prefix}, str(PLUGIN_DIR))
    for name, module in sorted(list(sys.modules.items()), key=lambda item: item[0]):
        file = getattr(module, "__file__", None)
        if isinstance(file, str) and not file.startswith(installed):
            digest.update(f"{name}\0{_file_digest(file)}\0".encode())
    versions = sorted({(dist.metadata["Name"] or "", dist.version) for dist in importlib.metadata.distributions()})
    digest.update(repr(versions).encode())
    return digest.hexdigest()


def theme_digest(settings: Mapping) -> str:
    """Every file the theme has (templates, translations, static files), and the templates' overrides."""
    digest = hashlib.sha256()
    roots = [Path(settings["THEME"]), *map(Path, settings.get("THEME_TEMPLATES_OVERRIDES") or ())]
    for root in roots:
        digest.update(f"{root}\0".encode())
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(f"{path.relative_to(root).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------------------------
# The kept pages of one build


class KeptPages:
    """The records of the last build (page key -> the contents it read with their PER_PAGE digests, and the
    digest of the page), and the records of this one as its pages are written."""

    def __init__(self, folder: Path, site: SiteInputs | None, records: dict):
        self.folder, self.site, self.records = folder, site, records
        self.written: dict[str, list] = {}
        self.counts = {"kept": 0, "rendered": 0}

    def render(self, template, context: Mapping, name: str, localcontext: dict, seen: dict) -> str:
        key = self._page_key(context, name, localcontext, seen)
        if key is not None:
            record = self.records.get(key)
            text = self._replay(record) if record is not None else None
            if text is not None:
                self.written[key] = record
                self.counts["kept"] += 1
                return text
        with reading_page() as reads:
            text = template.render({k: v for k, v in localcontext.items() if k not in HIDDEN})
        self.counts["rendered"] += 1
        if key is not None and reads.outside is None:
            record = self._record(reads, text)
            if record is not None:
                self.written[key] = record
        return text

    def _page_key(self, context: Mapping, name: str, localcontext: Mapping, seen: dict) -> str | None:
        """The digest of everything the page may see; None when some of it cannot be encoded. `seen`: the
        variables' encodings so far in this write_file call (a listing's pages share its list of posts)."""
        site = self.site
        if site is None:
            return None
        base, snapshot = site.contexts.get(id(context)), site.snapshots.get(id(context))
        snapshot_ids = site.snapshot_ids.get(id(context))
        if base is None or snapshot is None or snapshot_ids is None:
            return None  # a context the writer was not given at the start: not compared, so not kept
        digest = hashlib.sha256(f"{site.digest}\0{base}\0{name}\0".encode())
        try:
            for key in sorted(localcontext):
                value = localcontext[key]
                if not _compared(key) or snapshot.get(key, _ABSENT) is value:
                    continue
                shared = snapshot_ids.get(id(value))
                if shared is not None and snapshot[shared] is value:
                    # Another of the context's variables under this name (all_articles is articles): compared
                    # with the context already.
                    digest.update(f"{key}\0={shared}\0".encode())
                    continue
                new: list = []
                digest.update(f"{key}\0".encode())
                digest.update(site.encode_variable(value, new, seen))
                # A content object no context reaches: its whole state is this page's input.
                for content in new:
                    digest.update(site.encode(site.state(content), None, seen))
        except _CANNOT_ENCODE:
            return None
        return digest.hexdigest()

    def _replay(self, record) -> str | None:
        """The kept page, when the record is sound, what the page read is unchanged and its file hashes to the
        digest the record names; None otherwise (then the page is rendered)."""
        try:
            reads, page_digest = record
            unchanged = all(self._unchanged(tuple(name), per_page) for name, per_page in reads)
            if not unchanged or not _is_digest(page_digest):
                return None
            data = (self.folder / page_digest).read_bytes()
        except (OSError, TypeError, ValueError):  # a missing file, a record of another shape
            return None
        if hashlib.sha256(data).hexdigest() != page_digest:
            return None
        return data.decode("utf-8")

    def _unchanged(self, name: tuple, per_page) -> bool:
        content = self.site.contents.get(name)
        return content is not None and self.site.per_page_digest(content) == per_page

    def _record(self, reads: Reads, text: str) -> list | None:
        site = self.site
        if any(not site.known(content) for content in reads.contents.values()):
            return None
        seen = sorted([list(site.name_of(c)), site.per_page_digest(c)] for c in reads.contents.values())
        data = text.encode("utf-8")
        page_digest = hashlib.sha256(data).hexdigest()
        path = self.folder / page_digest
        if not _holds(path, data):  # missing, or damaged (altered, truncated, a link): written anew
            partial = path.with_name(f".{page_digest}.{os.getpid()}")
            partial.write_bytes(data)
            os.replace(partial, path)
        return [seen, page_digest]

    # -- saving: each process its part; the first merges them once the second has finished

    def save_part(self) -> None:
        """The second render process: its records and counts, for the first to merge."""
        part = self.folder / f"part-{os.getpid()}.json"
        part.write_text(json.dumps({"written": self.written, "counts": self.counts}), encoding="utf-8")

    def save(self) -> dict:
        """Merge the parts into this build's records, remove what no record names; returns the counts."""
        written, counts = dict(self.written), dict(self.counts)
        for part in self.folder.glob("part-*.json"):
            try:
                data = json.loads(part.read_text(encoding="utf-8"))
                written.update(data["written"])
                for kind in counts:
                    counts[kind] += data["counts"][kind]
            except (OSError, ValueError, KeyError, TypeError):
                pass  # a part from a build that died: its pages are simply rendered next time
            part.unlink(missing_ok=True)
        records = self.folder / "records.json"
        partial = records.with_name(f".records.{os.getpid()}")
        partial.write_text(json.dumps({"site": self.site.digest if self.site else None, "pages": written}), "utf-8")
        os.replace(partial, records)
        named = {page_digest for _, page_digest in written.values()}
        for path in self.folder.iterdir():
            if path.name in named or path.name == "records.json" or path.name.startswith("part-"):
                continue
            if path.is_symlink() or path.is_file():
                path.unlink(missing_ok=True)
            else:
                shutil.rmtree(path, ignore_errors=True)  # nothing the build made: the folder is the cache's
        logger.info("Newsroom: %d page(s) written from the cache, %d rendered", counts["kept"], counts["rendered"])
        (self.folder / "counts.json").write_text(json.dumps(counts), encoding="utf-8")
        return counts


_ABSENT = object()


def _is_digest(name) -> bool:
    return isinstance(name, str) and len(name) == 64 and all(c in "0123456789abcdef" for c in name)


def _holds(path: Path, data: bytes) -> bool:
    """Whether `path` is a plain file holding exactly `data`."""
    try:
        return not path.is_symlink() and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


# What pickling an object that cannot be compared raises (a lock, a generator, a cycle, a class in no module).
_CANNOT_ENCODE = (Unencodable, pickle.PicklingError, TypeError, ValueError, AttributeError, RecursionError)


def start(settings: dict, generators: Iterable) -> None:
    """all_generators_finalized (before the writer exists): encode what every page may see and load the last
    build's records, when the content cache is on and NEWSROOM_KEEP_PAGES allows."""
    if not settings[NEWSROOM].keep_pages or not remembering(settings):
        return
    folder = Path(settings["CACHE_PATH"]) / FOLDER  # CACHE_PATH is the fingerprint's folder by now (content_cache)
    watch_outside_inputs()
    contexts: list[dict] = []
    for generator in generators:
        for context in (getattr(generator, "context", None), *_edition_contexts(generator)):
            if isinstance(context, dict) and all(context is not seen for seen in contexts):
                contexts.append(context)
    try:
        site = SiteInputs(settings, contexts, theme_digest(settings) + code_digest())
    except _CANNOT_ENCODE as error:
        logger.info("Newsroom: every page is rendered (the site's inputs cannot be compared: %s)", error)
        site = None
    folder.mkdir(parents=True, exist_ok=True)
    records = {}
    try:
        saved = json.loads((folder / "records.json").read_text(encoding="utf-8"))
        if site is not None and saved.get("site") == site.digest and isinstance(saved.get("pages"), dict):
            records = saved["pages"]
    except (OSError, ValueError, AttributeError):
        pass
    settings[KEPT] = KeptPages(folder, site, records)


def _edition_contexts(generator) -> list:
    return [shadow.context for _, shadows in getattr(generator, "editions", ()) for shadow in shadows]


def kept_pages(settings: Mapping) -> KeptPages | None:
    return settings.get(KEPT)


class KeepingWriter(OwningWriter):
    """Pelican's writer (owning_writer.py), rendering each page through the build's KeptPages when it has one."""

    def write_file(self, name, template, context, *args, **kwargs):
        kept = self.settings.get(KEPT)
        if kept is not None and name:
            template = _KeptTemplate(kept, template, context, name)
        return super().write_file(name, template, context, *args, **kwargs)


class _KeptTemplate:
    """The template as Pelican's writer calls it (render(localcontext)), answered by KeptPages."""

    def __init__(self, kept: KeptPages, template, context: Mapping, name: str):
        self._kept, self._template, self._context, self._name = kept, template, context, name
        self._seen: dict = {}  # id -> (variable, its encoding): the same list of posts on every page of a listing

    def render(self, localcontext: dict) -> str:
        return self._kept.render(self._template, self._context, self._name, localcontext, self._seen)
