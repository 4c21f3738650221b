"""A file committed through Git LFS and checked out without it is a three-line pointer, not the file: actions/checkout
fetches LFS files only with `lfs: true`. Published, a pointer named .csv gives readers three lines of text for the
data, and a post that is a pointer has no header. Every file the site would publish or read as content is refused
when it is a pointer, in one line naming it and saying how to fetch the file."""

from __future__ import annotations

import pytest

from conftest import files_containing
from refusals import lines_naming, problems, refused_build

POINTER = (
    "version https://git-lfs.github.com/spec/v1\n"
    "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
    "size 123456\n"
)
FIX = "git lfs pull"


def refused_as_a_pointer(site, relative: str) -> None:
    """The check and the build each name content/<relative> once, as a pointer with the fix; nothing of it is
    published."""
    found = lines_naming(problems(site), relative, "file")
    assert len(found) == 1 and "Git LFS pointer" in found[0] and FIX in found[0], found
    message = refused_build(site)
    assert lines_naming(message, relative, "file") and FIX in message, message
    output = site.root / "output"
    assert not output.exists() or files_containing(output, "git-lfs.github.com") == []


# Text kinds have no first bytes to check, so a pointer was published as them; the others were refused as "not a
# PNG image", which does not say what happened or how to fix it.
@pytest.mark.parametrize(
    "relative",
    [
        "downloads/q3-segment-data.csv",
        "downloads/notes.txt",
        "downloads/agm.ics",
        "downloads/press-contact.vcf",
        "downloads/q3-results.pdf",
        "downloads/q3-figures.xlsx",
        "images/chart.svg",
        "images/chart.png",
    ],
)
def test_a_download_or_image_checked_out_as_an_lfs_pointer_is_refused_with_the_fix(site, relative):
    site.file(relative, POINTER)
    site.post("results", f"The [file]({{static}}/{relative}) is attached.", Title="Q3 results")
    refused_as_a_pointer(site, relative)


@pytest.mark.parametrize("relative", ["posts/q3-results.md", "pages/about.md"])
def test_a_post_or_page_checked_out_as_an_lfs_pointer_is_refused_as_one_not_as_a_post_without_a_title(site, relative):
    site.post("other", Title="Another post")
    site.file(relative, POINTER)
    refused_as_a_pointer(site, relative)


def test_a_text_download_that_only_mentions_git_lfs_is_published(site):
    """Only a file whose bytes begin as a pointer's is one: a how-to that quotes a pointer is text like any other."""
    site.file("downloads/how-we-store-data.txt", "How we store large files:\n\n" + POINTER)
    site.post("howto", "The [how-to]({static}/downloads/how-we-store-data.txt).", Title="How to")
    assert problems(site) == []
    assert files_containing(site.build(), "git-lfs.github.com")
