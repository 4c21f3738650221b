"""What the build asks of glibc's malloc (kit/malloc.py), each in a fresh Python (glibc's choices last as long as
the process):

- one malloc arena: threads that allocate get no arena of their own (counted with glibc's own malloc_stats);
- large blocks mapped on their own, whatever was freed before: a page-sized block allocated after a large one was
  freed still comes from a mapping of its own (glibc's mallinfo2 counts the mapped bytes);

and a setting the person made in the environment is left alone."""

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
from newsroom.kit.malloc import use_one_malloc_arena
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
    done = fresh_python(script, environment)
    return done.stdout.strip(), len(re.findall(r"^Arena \d+:", done.stderr, re.MULTILINE))


def fresh_python(script: str, environment: dict) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("MALLOC_")} | environment
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)


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


# A large block freed (glibc would raise its threshold to that size), then blocks the size of a page's text: how
# many more bytes glibc has mapped on their own while they are held. (glibc serves a block from the heap's free
# space first, whatever its size: only what it must get from the system shows where the threshold stands.)
FREED_LARGE_THEN_PAGE = """
import ctypes, sys
sys.path.insert(0, {plugins!r})
from newsroom.kit.malloc import give_large_blocks_back
print(give_large_blocks_back() if {ask} else "not asked")
class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]
mallinfo2 = ctypes.CDLL(None).mallinfo2
mallinfo2.restype = MallInfo2
large = bytearray(4_000_000)
del large
before = mallinfo2().hblkhd
pages = [bytearray(300_000) for _ in range(40)]  # more than the heap has free: glibc must grow it or map them
print(mallinfo2().hblkhd - before)
"""


def mapped_while_pages_are_held(ask: bool, **environment) -> tuple[str, int]:
    said, mapped = fresh_python(
        FREED_LARGE_THEN_PAGE.format(plugins=str(PLUGINS), ask=ask), environment
    ).stdout.splitlines()
    return said, int(mapped)


@glibc
def test_left_to_itself_glibc_puts_page_sized_blocks_in_the_heap_once_a_larger_one_was_freed():
    said, mapped = mapped_while_pages_are_held(ask=False)
    assert said == "not asked"
    assert mapped == 0  # what the build changes: the threshold rose to 4 MB when the large block was freed


@glibc
def test_asked_large_blocks_are_mapped_on_their_own_whatever_was_freed_before():
    said, mapped = mapped_while_pages_are_held(ask=True)
    assert said == "True"
    assert mapped >= 20 * 300_000  # at least half of them: the rest may come from what the heap had free


@glibc
def test_a_malloc_mmap_threshold_set_by_the_person_is_theirs():
    said, mapped = mapped_while_pages_are_held(ask=True, MALLOC_MMAP_THRESHOLD_="1000000")
    assert said == "False"
    assert mapped == 0  # theirs: 1 MB, above the page-sized blocks


def test_the_build_asks_before_pelican_starts(monkeypatch, site):
    from newsroom.site import build as build_module

    calls = []

    class Stopped(Exception):
        pass

    def pelican(settings):
        calls.append("Pelican")
        raise Stopped

    monkeypatch.setattr(build_module, "tune_malloc", lambda: calls.append("malloc tuned"))
    monkeypatch.setattr(build_module, "Pelican", pelican)
    with pytest.raises(Stopped):
        build_module.build(site.settings())
    assert calls == ["malloc tuned", "Pelican"]
