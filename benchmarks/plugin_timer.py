"""Times the newsroom plugin's own code inside a real build: every way Pelican can call into `newsroom`.

    timer = PluginTimer()
    timer.instrument()        # before Pelican loads the plugin
    ...build...
    timer.total, timer.by_entry(), timer.overhead_per_call()

Entry points: signal receivers (wrapped when the plugin connects them), the generators the plugin adds
(generate_context, generate_output), its readers' methods, and the Jinja filters and globals it gives the theme.
A call made while another entry is being timed counts once, in the outer one. Time the plugin's reader spends
in Pelican's own MarkdownReader.process_metadata is not counted: vanilla Pelican spends it too. Time its
generators spend in Pelican's Writer.write_file (rendering theme templates) is counted apart, in `aside`.

Garbage collection pauses are counted apart too (`aside`, and `gc_total` for the whole build). Python's cyclic
collector runs when enough objects have been allocated, in whatever code allocates at that moment, and a full
collection scans the whole heap, mostly Pelican's objects: at 5,000 posts nine of them take 0.5 s, up to 90 ms
each, so whether one lands in a Jinja filter of the plugin or in Pelican's own code moved the plugin's measured
time by ±0.1 s from one build to the next. A steadier measure of the plugin's part in them: the number of
collections its allocations triggered (`gc_collections_in_plugin` of `gc_collections`).
"""

from __future__ import annotations

import functools
import gc
import importlib
import inspect
import sys
import time
from collections import defaultdict
from contextlib import contextmanager

import blinker
from pelican.generators import Generator
from pelican.readers import BaseReader, MarkdownReader
from pelican.writers import Writer

import newsroom
from newsroom.model.rendering import MarkdownRenderer

PACKAGE = newsroom.__name__
# A fast clock (reading the CPU-time clock is a system call, which would inflate ~150,000 short timings). The
# build is one CPU-bound thread, so when other processes take the CPU, its own code and the plugin's are
# slowed alike: plugin time / build wall time stays a fair share.
_clock = time.perf_counter


class PluginTimer:
    def __init__(self):
        self._depth = 0
        self._excluded = 0.0  # time spent, inside the current entry, in code that is not the plugin's
        self._entries: dict[str, list] = defaultdict(lambda: [0.0, 0])  # name -> [seconds, calls]
        self.total = 0.0
        self.aside: dict[str, float] = {}  # label -> seconds excluded from the plugin's own time
        self.gc_total = 0.0  # every garbage collection pause of the build, wherever it landed
        self.gc_collections = 0
        self.gc_collections_in_plugin = 0  # collections that plugin code's allocations triggered
        self._outside = 0  # > 0 while an excluded (not the plugin's) call runs inside an entry
        self._gc_started = 0.0

    def _record(self, name: str, seconds: float) -> None:
        record = self._entries[name]
        record[0] += seconds
        record[1] += 1
        self.total += seconds

    @contextmanager
    def entry(self, name: str):
        """Time a block as plugin work (unless an outer entry already does)."""
        if self._depth:
            yield
            return
        self._depth, self._excluded = 1, 0.0
        started = _clock()
        try:
            yield
        finally:
            self._depth = 0
            self._record(name, _clock() - started - self._excluded)

    def wrap(self, name: str, function):
        """`function`, timed as plugin work. Lean on purpose: filters are called ~10 times per post."""

        @functools.wraps(function)
        def timed(*args, **kwargs):
            if self._depth:
                return function(*args, **kwargs)
            self._depth, self._excluded = 1, 0.0
            started = _clock()
            try:
                return function(*args, **kwargs)
            finally:
                self._depth = 0
                self._record(name, _clock() - started - self._excluded)

        return timed

    def exclude(self, function, label: str | None = None):
        """`function`, whose time is not the plugin's own even when plugin code calls it; with a `label`, that
        time is added up separately (see `aside`)."""

        @functools.wraps(function)
        def untimed(*args, **kwargs):
            if not self._depth:
                return function(*args, **kwargs)
            started = _clock()
            self._outside += 1
            try:
                return function(*args, **kwargs)
            finally:
                self._outside -= 1
                spent = _clock() - started
                self._excluded += spent
                if label:
                    self.aside[label] = self.aside.get(label, 0.0) + spent

        return untimed

    def _on_gc(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._gc_started = _clock()
            return
        spent = _clock() - self._gc_started
        self.gc_total += spent
        self.gc_collections += 1
        if self._depth and not self._outside:
            self.gc_collections_in_plugin += 1
            self._excluded += spent
            label = "garbage collection pauses that began in plugin code"
            self.aside[label] = self.aside.get(label, 0.0) + spent

    def by_entry(self) -> dict[str, tuple[float, int]]:
        return {name: (seconds, calls) for name, (seconds, calls) in self._entries.items()}

    def overhead_per_call(self, calls: int = 200_000) -> float:
        """Seconds the timing itself adds to one timed call (measured on a function that does nothing)."""
        probe = PluginTimer()
        timed = probe.wrap("probe", _nothing)
        for _ in range(calls):
            timed()
        started = _clock()
        for _ in range(calls):
            _nothing()
        direct = _clock() - started
        return max(0.0, (probe.total - direct) / calls)

    def instrument(self) -> None:
        # Only what a build imports (newsroom.site.plugin and its imports): importing more would inflate peak memory.
        importlib.import_module(f"{PACKAGE}.site.plugin")
        modules = [module for name, module in list(sys.modules.items()) if name.split(".")[0] == PACKAGE]
        self._wrap_signal_receivers()
        gc.callbacks.append(self._on_gc)
        MarkdownReader.process_metadata = self.exclude(MarkdownReader.process_metadata)
        # Converting each post from Markdown is work vanilla Pelican's reader does too; the newsroom does it once,
        # in its checks (rendering.py: every conversion goes through `convert`, whether the checks ask for one or
        # convert a few posts ahead), or in Pelican's reader when the checks did not: counted apart.
        converting = "converting Markdown (vanilla's reader does it too)"
        MarkdownReader.read = self.exclude(MarkdownReader.read, converting)
        MarkdownRenderer.convert = self.exclude(MarkdownRenderer.convert, converting)
        # Pages the plugin adds (audience, disclosure…) are rendered by Pelican's writer with the theme, like
        # category pages: counted apart, so the share can be read with or without them.
        Writer.write_file = self.exclude(Writer.write_file, "rendering the pages the plugin adds")
        wrapped: dict = {}  # function -> its one wrapper, which pickle must find under the function's name
        for module in modules:
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ != module.__name__:
                    continue
                if issubclass(cls, Generator):
                    self._wrap_methods(cls, ("generate_context", "generate_output"))
                elif issubclass(cls, BaseReader):
                    self._wrap_methods(cls, ("read", "process_metadata"))
            for table in ("FILTERS", "GLOBALS"):  # Jinja filters and globals the theme calls while rendering
                functions = getattr(module, table, None)
                if isinstance(functions, dict):
                    for key, function in functions.items():
                        if function in wrapped.values():  # one function under two names (`gettext` and `_`)
                            functions[key] = function
                            continue
                        if function in wrapped:
                            functions[key] = wrapped[function]
                            continue
                        functions[key] = wrapped[function] = self.wrap(f"jinja {table.lower()}: {key}", function)
                        # The settings hold these functions and the content cache pickles the settings: pickle
                        # finds a function by its module and name, which must then give the wrapper.
                        home = sys.modules[function.__module__]
                        if getattr(home, function.__name__, None) is function:
                            setattr(home, function.__name__, functions[key])

    def _wrap_methods(self, cls, names) -> None:
        for name in names:
            if name in vars(cls):
                setattr(cls, name, self.wrap(f"{cls.__name__}.{name}", vars(cls)[name]))

    def _wrap_signal_receivers(self) -> None:
        original = blinker.Signal.connect
        timer = self

        def connect(signal, receiver, sender=blinker.ANY, weak=True):
            if getattr(receiver, "__module__", "").startswith(PACKAGE):
                receiver = timer.wrap(f"signal {signal.name}: {receiver.__name__}", receiver)
                weak = False  # the wrapper has no other reference
            return original(signal, receiver, sender, weak)

        blinker.Signal.connect = connect


def _nothing():
    return None
