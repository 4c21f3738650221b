"""The build asks glibc for one malloc arena (kit/malloc_arenas.py): threads that allocate get no arena of their
own, and a MALLOC_ARENA_MAX the person set is left alone. Counted with glibc's own malloc_stats, in a fresh
Python each time (an arena, once made, lasts as long as the process)."""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
from pathlib import Path

import pytest

PLUGINS = Path(__file__).resolve().parents[1] / "plugins"
glibc = pytest.mark.skipif(
    platform.libc_ver()[0] != "glibc", reason="malloc arenas are glibc's: another C library has none to count"
)

# Threads that allocate at the same time as each other, then glibc's report of its arenas on stderr.
THREADS_THEN_STATS = """
import ctypes, sys, threading
sys.path.insert(0, {plugins!r})
from newsroom.kit.malloc_arenas import use_one_malloc_arena
print(use_one_malloc_arena() if {ask} else "not asked")
start = threading.Barrier(6)
def allocate():
    start.wait()
    kept = [bytearray(200_000) for _ in range(40)]
    start.wait()
threads = [threading.Thread(target=allocate) for _ in range(6)]
for thread in threads: thread.start()
for thread in threads: thread.join()
sys.stdout.flush()
ctypes.CDLL(None).malloc_stats()
"""


def arenas(ask: bool, **environment) -> tuple[str, int]:
    script = THREADS_THEN_STATS.format(plugins=str(PLUGINS), ask=ask)
    env = {key: value for key, value in os.environ.items() if key != "MALLOC_ARENA_MAX"} | environment
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    return done.stdout.strip(), len(re.findall(r"^Arena \d+:", done.stderr, re.MULTILINE))


@glibc
def test_threads_allocating_together_get_arenas_of_their_own_unless_asked():
    said, count = arenas(ask=False)
    assert said == "not asked"
    assert count > 1  # what the build changes: left to itself, glibc gives threads arenas of their own


@glibc
def test_asked_for_one_arena_every_thread_shares_it():
    assert arenas(ask=True) == ("True", 1)


@glibc
def test_a_malloc_arena_max_set_by_the_person_is_theirs():
    assert arenas(ask=True, MALLOC_ARENA_MAX="3") == ("False", 3)


def test_the_build_asks_before_pelican_starts(monkeypatch, site):
    from newsroom.site import build as build_module

    calls = []

    class Stopped(Exception):
        pass

    def pelican(settings):
        calls.append("Pelican")
        raise Stopped

    monkeypatch.setattr(build_module, "use_one_malloc_arena", lambda: calls.append("one arena"))
    monkeypatch.setattr(build_module, "Pelican", pelican)
    with pytest.raises(Stopped):
        build_module.build(site.settings())
    assert calls == ["one arena", "Pelican"]
