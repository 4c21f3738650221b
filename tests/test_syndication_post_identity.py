"""The ledger knows every announced post by its id: whatever changes a post's id, or lets two posts share a key,
would announce a post again or never. Each test here is an attacker's or a tidy-minded editor's move on a post
that has been announced: the checks must stop it, naming the file and the fix, before anything is sent."""

from __future__ import annotations

import json

import pytest
from servers.webhook import WebhookReceiver

from newsroom.checks.sources import register_published
from newsroom.model.settings import load_newsroom
from newsroom.site.build import BuildFailed
from newsroom.syndication import command

SECRET = "s" * 40
MEMO = {"Slug": "benefits-memo", "Title": "Benefits open enrolment", "Audience": "employees"}


def on_the_intranet_channel(site, url: str) -> None:
    site.overrides.update(
        SYNDICATION_LEDGER=str(site.root / "ledger.jsonl"),
        SYNDICATION_BACKOFF=0,
        SYNDICATION_CHANNELS=[
            {
                "name": "intranet",
                "type": "webhook",
                "internal": True,
                "audiences": ["employees"],
                "url": url,
                "credentials": {"secret": "HOOK_SECRET"},
            }
        ],
    )


def published(site) -> None:
    """Both editions built, then the register step, as `invoke publish` runs them."""
    site.build()
    site.build(edition="internal")
    settings = site.settings()
    register_published(settings, load_newsroom(settings))


def syndicated(site, **options) -> int:
    return command.syndicate(
        site.settings(), environ={"HOOK_SECRET": SECRET}, out=lambda line: None, sleep=lambda s: None, **options
    )


def announced_memo(site, receiver, **memo_fields):
    """The intranet channel bootstrapped on an older post, then the memo published and announced once."""
    on_the_intranet_channel(site, receiver.hook_url)
    site.post("old", Slug="old", Title="Old news")
    published(site)
    assert syndicated(site, bootstrap=True) == 0
    memo = site.post("benefits-memo", **(MEMO | memo_fields))
    published(site)
    assert syndicated(site) == 0
    assert len(receiver.deliveries) == 1
    return memo


def test_an_announced_internal_post_is_in_the_register_marked_internal(site):
    with WebhookReceiver(SECRET) as receiver:
        announced_memo(site, receiver)
    lines = [json.loads(line) for line in (site.root / "archive/register.jsonl").read_text().splitlines()]
    assert {"id": "posts/benefits-memo", "path": "posts/benefits-memo.md", "internal": True}.items() <= next(
        line for line in lines if line["id"] == "posts/benefits-memo"
    ).items()
    assert "internal" not in next(line for line in lines if line["id"] == "posts/old")


def test_moving_an_announced_internal_posts_file_is_refused_before_it_is_announced_again(site):
    with WebhookReceiver(SECRET) as receiver:
        memo = announced_memo(site, receiver)
        moved = site.content / "posts" / "2026" / "benefits-memo.md"  # its Id is its path: a new Id
        moved.parent.mkdir(parents=True)
        memo.rename(moved)
        problems = site.check()
        assert problems == site.check(edition="internal")
        assert len(problems) == 1
        assert "content/posts/benefits-memo.md:1: file: published post 'posts/benefits-memo'" in problems[0]
        # Its Id is its path (which an Id: line cannot be): the file stays where it was, and the post is one post.
        moved.rename(memo)
        assert site.check() == []
        published(site)
        assert syndicated(site) == 0
        assert len(receiver.deliveries) == 1


def test_changing_an_announced_internal_posts_id_even_its_case_is_refused(site):
    with WebhookReceiver(SECRET) as receiver:
        announced_memo(site, receiver, Id="Benefits-Memo")
        site.post("benefits-memo", Id="benefits-memo", **MEMO)
        problems = site.check()
        assert len(problems) == 1
        assert problems[0].endswith(
            "content/posts/benefits-memo.md:1: id: was 'Benefits-Memo' when it was published, now 'benefits-memo' "
            "(expected the id never to change: feed readers and syndication know the post by it; write "
            "'Id: Benefits-Memo' back)"
        )
        assert len(receiver.deliveries) == 1


def test_an_announced_internal_post_made_a_draft_is_refused_and_withdrawing_it_is_the_way(site):
    with WebhookReceiver(SECRET) as receiver:
        announced_memo(site, receiver)
    site.post("benefits-memo", Status="draft", **MEMO)
    (problem,) = site.check()
    assert "content/posts/benefits-memo.md" in problem and ": status: internal post 'posts/benefits-memo'" in problem
    assert "would disappear from the intranet" in problem and "Withdrawn:" in problem
    site.post("benefits-memo", Withdrawn="2026-06-02 10:00 UTC | Replaced by the new policy", **MEMO)
    assert site.check() == []


def test_an_internal_post_made_public_is_then_held_to_the_public_rules(site):
    with WebhookReceiver(SECRET) as receiver:
        announced_memo(site, receiver)
    site.post("benefits-memo", **(MEMO | {"Audience": "media"}))  # shared with the press: public from now on
    assert site.check() == []
    settings = site.settings()
    register_published(settings, load_newsroom(settings))
    lines = [json.loads(line) for line in (site.root / "archive/register.jsonl").read_text().splitlines()]
    assert "internal" not in next(line for line in lines if line["id"] == "posts/benefits-memo")
    site.post("benefits-memo", **MEMO)  # back to employees only: it would disappear from the public site
    (problem,) = site.check()
    assert "would disappear from the public site" in problem


def test_a_file_name_with_an_at_sign_and_no_id_is_refused_as_the_key_of_a_language_version(site):
    # "Investor day @ London": its Id would be its path, `posts/investor-day@london`, which the ledger reads as the
    # `london` version of `posts/investor-day`: whichever of the two came second was never announced.
    site.post("investor-day@london", Slug="investor-day-london", Title="Investor day in London")
    (problem,) = site.check()
    assert problem.endswith(
        "content/posts/investor-day@london.md:1: id: none is given, so the post is known by its path "
        "'posts/investor-day@london', which is not a valid id (expected letters, digits, '-', '_' and single dots in "
        "each folder and file name: no '@', which marks a language version, no '%', spaces, control or invisible "
        "characters); add an Id: line (e.g. 'Id: investor-day-london'), or rename the file"
    )
    site.post("investor-day@london", Id="investor-day-london", Slug="investor-day-london", Title="Investor day")
    assert site.check() == []


def test_a_file_name_with_a_percent_sign_and_no_id_is_refused(site):
    """`kessler%20ridge.md`: its feed id, a tag URI, escaped the `%` again (`%2520`), which no validator takes for
    the canonical form of the id."""
    site.post("kessler%20ridge", Slug="kessler-ridge", Title="Kessler Ridge opens")
    (problem,) = site.check()
    assert (
        "content/posts/kessler%20ridge.md:1: id: none is given" in problem and "(e.g. 'Id: kessler-20ridge')" in problem
    )


NAMES_THAT_ARE_NO_ID = {
    "line-feed": "kessler\n  failed     posts/other: HTTP 500 (forged line)",
    "carriage-return": "kessler\rwebhook: 0 posted, 0 failed",
    "escape-sequence": "kessler\x1b[2K\x1b[1Gwebhook: 0 posted",
    "right-to-left-override": "kessler-\u202edeliaf",
    "shell-syntax": "kessler$(touch pwned)",
    "space": "kessler ridge",
}


@pytest.mark.parametrize("name", NAMES_THAT_ARE_NO_ID.values(), ids=NAMES_THAT_ARE_NO_ID)
def test_a_file_name_that_is_not_a_valid_id_and_no_id_is_refused_in_one_line(site, name):
    """A post without `Id:` is known by its path, and an id is printed on every line `invoke syndicate` writes and
    in every command it gives a person to paste: a path stands in for an id only where each folder and file name
    obeys the rule an `Id:` line does. Otherwise the check (and so the build) refuses the file in one line that
    shows the name escaped and asks for an `Id:` line, which then makes the post valid."""
    site.post(name, Slug="kessler", Title="Larkspur opens Kessler Ridge")
    (problem,) = site.check()
    assert problem.isprintable() and "\n" not in problem, problem
    assert ": id: none is given, so the post is known by its path " in problem
    assert "add an Id: line (e.g. 'Id: " in problem
    with pytest.raises(BuildFailed) as stopped:
        site.build()
    _, refused = str(stopped.value).split("\n")  # nothing was built, then the one problem
    assert refused.endswith(problem.split("content/posts/", 1)[1]) and refused.isprintable()
    site.post(name, Id="kessler", Slug="kessler", Title="Larkspur opens Kessler Ridge")
    assert site.check() == []
