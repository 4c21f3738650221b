"""A post whose text Markdown cannot convert (lists, quotes or emphasis nested past Python's recursion limit) is the
post's problem: one line naming its file and the line to simplify, from `invoke check` and from the build, in one
process or two, and never a traceback or a line that names no file."""

from __future__ import annotations

import time

import pytest
from test_search_index_build import checked_as_they_are

from conftest import run_invoke
from newsroom.checks.parallel_convert import WORTH_A_HELPER, ConvertingAhead
from newsroom.model.rendering import MarkdownRenderer
from newsroom.model.settings import load_newsroom
from newsroom.site.reader import NewsroomMarkdownReader
from refusals import BODY_LINE, line_number, lines_naming, problems, refused_build

LEAD = "A first paragraph that converts as any other.\n\n"
# Each nests past the recursion limit: Markdown's toc extension on the emphasis, its block parser on the lists.
NESTED = {
    "emphasis": LEAD + "*" * 2000 + "deep" + "*" * 2000,
    "lists": LEAD + "\n".join("    " * level + "- item" for level in range(400)),
}
DEEPEST_LINE = {"emphasis": BODY_LINE + 2, "lists": BODY_LINE + 2 + 399}


@pytest.mark.parametrize("shape", NESTED)
def test_a_body_nested_too_deeply_is_one_line_pointing_at_the_deepest_line(site, shape):
    """The author learns which post, and which line of it, to simplify."""
    site.post("deep", NESTED[shape])
    site.post("plain", Title="A plain post beside it")
    found = problems(site)
    named = lines_naming(found, "posts/deep.md", "body")
    assert len(named) == 1, named
    assert "nested too deeply" in named[0] and "simplified" in named[0], named
    assert line_number(named[0], "posts/deep.md") == DEEPEST_LINE[shape], named
    assert not [line for line in found if "posts/plain.md" in line], found


def test_invoke_check_names_the_unconvertible_post_and_prints_no_traceback(site):
    site.post("deep", NESTED["lists"])
    result = run_invoke("check", "--settings", str(site.settings_file()))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr[-600:]
    assert "posts/deep.md" in result.stderr and "nested too deeply" in result.stderr, result.stderr[-600:]


@pytest.mark.parametrize("two_processes", [False, True], ids=["one-process", "two-processes"])
def test_the_build_refuses_the_unconvertible_post_by_name_in_one_or_two_processes(site, two_processes):
    """With enough posts the forked helper converts the last ones (parallel_convert.py): the failure comes back from
    it as a line about the post, as it does from this process."""
    for number in range(WORTH_A_HELPER):
        site.post(f"plain-{number:03d}", f"Post number {number}.", Title=f"Plain post {number}")
    site.post("zz-deep", NESTED["emphasis"])  # converted by the helper or by the checks, as the timing has it
    message = refused_build(site, NEWSROOM_PARALLEL_RENDER=two_processes)
    assert [line for line in message.splitlines() if "content/" in line] == lines_naming(
        message, "posts/zz-deep.md", "body"
    ), message
    assert "nested too deeply" in message and "recursion" not in message, message


def test_a_failed_conversion_leaves_the_renderer_converting_the_next_text_as_usual(site):
    """The failure is held in the result, never taken for a clean text, and Markdown is whole again afterwards."""
    renderer = MarkdownRenderer(site.settings())
    failed = renderer.convert(NESTED["emphasis"])
    assert failed.failure is not None and not failed.sanitiser_removed_nothing
    fine = renderer.convert("Some *emphasis* here.")
    assert fine.failure is None and "<em>emphasis</em>" in fine.html


def test_the_helper_process_brings_a_conversion_failure_back_as_such(site):
    """The forked helper takes the first files while the checks have not started: its failure must reach the
    checks as a failure, not as a helper that died (whose files would be converted again here) nor as an empty
    text."""
    paths = ["posts/aa-deep.md"] + [f"posts/plain-{number:03d}.md" for number in range(WORTH_A_HELPER)]
    texts = {path: f"Post {path}." for path in paths} | {"posts/aa-deep.md": NESTED["emphasis"]}
    renderer = MarkdownRenderer(site.settings())
    with ConvertingAhead(renderer, paths, texts.get) as ahead:
        deadline = time.monotonic() + 30
        while ahead.taken == 0 and time.monotonic() < deadline:  # the helper's first files: from the first
            time.sleep(0.01)
        assert ahead.finish() >= 1
    failed = renderer.ready["posts/aa-deep.md"]
    assert failed.failure is not None and "nested too deeply" in failed.failure.reason


def deeper(frames: int, call):
    """`call()`, made `frames` frames further down the stack."""
    return call() if frames == 0 else deeper(frames - 1, call)


def test_whether_a_text_converts_does_not_depend_on_where_the_conversion_starts(site):
    """The checks convert a post in this process or in their helper, and the reader converts some itself, each at
    another depth of the stack: a text nested just short of the limit must convert, or fail, in all of them alike,
    or the checks' verdict would be the machine's timing (and `invoke check`, which has no helper, would disagree
    with the build)."""
    renderer = MarkdownRenderer(site.settings())

    def fails(run: int, frames: int) -> bool:
        text = LEAD + "*" * run + "deep" + "*" * run
        return deeper(frames, lambda: renderer.convert(text)).failure is not None

    low, high = 1, 4000  # the longest run of `*` that converts, found where this test stands
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (low, middle - 1) if fails(middle, 0) else (middle, high)
    assert fails(low + 1, 0) and not fails(low, 0)
    for frames in (40, 150):  # the helper's and the reader's stacks differ from the checks' by some tens of frames
        assert not fails(low, frames), f"{frames} frames deeper, a text that converts here fails"
    assert fails(low + 1, 1)


def test_the_reader_converts_a_text_as_deep_as_the_checks_did_wherever_pelican_calls_it(site):
    """A text the checks need not convert (one an earlier build found clean) is converted by the reader, deep in
    Pelican's stack: nested just short of what the checks allow, it converts there too, never a failure there."""
    renderer = MarkdownRenderer(site.settings())
    run = 1
    while renderer.convert(LEAD + "*" * (run * 2) + "deep" + "*" * (run * 2)).failure is None:
        run *= 2
    low, high = run, run * 2  # converts at `low` stars, fails at `high`
    while high - low > 1:
        middle = (low + high) // 2
        fails = renderer.convert(LEAD + "*" * middle + "deep" + "*" * middle).failure is not None
        low, high = (low, middle) if fails else (middle, high)
    path = site.post("deep", LEAD + "*" * low + "deep" + "*" * low)
    settings = site.settings()
    settings["NEWSROOM"] = load_newsroom(settings)
    checked_as_they_are(settings, path)  # and no conversion of theirs: the reader converts it itself
    content, _ = deeper(200, lambda: NewsroomMarkdownReader(settings).read(str(path)))
    assert "deep" in content
