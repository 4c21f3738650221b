"""kit/paths.py: a written file's path under its folder is exactly what os.path.relpath gives, for every form of
path the build or a hostile setting could hand it (dot segments, doubled slashes, a prefix that is not a folder,
the folder itself, a path outside it, a relative folder)."""

from __future__ import annotations

import itertools
import os

from newsroom.kit.paths import relative_posix

FOLDERS = ["/srv/out", "/srv/out/", "/srv//out", "/srv/./out", "/srv/x/../out", "out", "./out", "/"]
NAMES = [
    "index.html",
    "news/2026/x/index.html",
    "news//x/index.html",
    "news/./x/index.html",
    "news/../index.html",
    "../index.html",
    "../out-other/index.html",
    "../outside/../out/a.html",
    "",
    ".",
    ".well-known/a.html",
    "fr/é/index.html",
]


def test_every_form_of_path_gives_what_relpath_gives():
    checked = 0
    for folder, name, absolute in itertools.product(FOLDERS, NAMES, (True, False)):
        base = os.path.abspath(folder) if absolute else folder
        path = os.path.join(base, name) if name else base
        expected = os.path.relpath(os.path.abspath(path), folder).replace(os.sep, "/")
        assert relative_posix(path, folder) == expected, (path, folder)
        checked += 1
    assert checked == len(FOLDERS) * len(NAMES) * 2


def test_a_sibling_folder_that_shares_the_prefix_is_not_taken_for_the_folder():
    assert relative_posix("/srv/out-other/index.html", "/srv/out") == "../out-other/index.html"
    assert relative_posix("/srv/out/index.html", "/srv/out") == "index.html"
