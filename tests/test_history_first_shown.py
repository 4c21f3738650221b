"""When an edition first showed a release (site/history.py `first_shown`), worked out in one walk through its
history: the same moment as looking at every file's revisions up to each moment again, in time that grows with
the number of commits, not with its square (a post held back for thousands of commits is walked on every build)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from conftest import fastest
from newsroom.site.history import Revision, first_shown

BASE = datetime(2020, 1, 1, tzinfo=UTC)


def _first_shown_looking_again(versions, shown, date_of, now):
    """first_shown as first written: every file's revisions up to each moment listed again from the start."""
    histories = {path: sorted(revisions, key=lambda r: r.when.timestamp()) for path, revisions in versions.items()}
    moments = {r.when for revisions in histories.values() for r in revisions}
    moments |= {date for path, revisions in histories.items() for r in revisions if (date := date_of(path, r))}
    for moment in sorted(moments, key=datetime.timestamp):
        if moment.timestamp() > now.timestamp():
            return None
        then = [
            (path, latest[-1])
            for path, revisions in histories.items()
            if (latest := [r for r in revisions if r.when.timestamp() <= moment.timestamp()])
        ]
        if then and all(shown(path, revision, moment) for path, revision in then):
            return moment
    return None


def _revision(path: str, hours: int, number: int) -> Revision:
    return Revision(BASE + timedelta(hours=hours), f"Edit {number}", (path,), blobs=((path, f"{number:040x}"),))


def test_first_shown_gives_the_moment_of_looking_again_at_every_moment():
    """Random histories of one to three language versions, commits sharing their times now and then, each version
    with or without a Date of its own, shown or not by a rule of its blob and the moment."""
    rng, answers = random.Random(5), []
    for _ in range(400):
        paths = [f"posts/p{suffix}.md" for suffix in ("", ".fr", ".de")[: rng.randint(1, 3)]]
        versions = {
            path: [_revision(path, rng.randint(0, 40), rng.randrange(10**6)) for _ in range(rng.randint(1, 8))]
            for path in paths
        }
        dated = {r.blob(r.paths[0]): BASE + timedelta(hours=rng.randint(0, 50)) for rs in versions.values() for r in rs}
        undated = {blob for blob in dated if rng.random() < 0.5}

        def date_of(path, revision, dated=dated, undated=undated):
            blob = revision.blob(path)
            return None if blob in undated else dated[blob]

        seed = rng.randrange(7)

        def shown(path, revision, moment, seed=seed):
            return (int(revision.blob(path), 16) + int(moment.timestamp()) // 3600 + seed) % 3 != 0

        now = BASE + timedelta(hours=rng.randint(0, 60))
        found = first_shown(versions, shown, date_of, now)
        assert found == _first_shown_looking_again(versions, shown, date_of, now)
        answers.append(found is not None)
    assert 50 < sum(answers) < 350  # shown at some moment, or never, both tried often


def test_first_shown_grows_linearly_with_a_held_back_posts_commits():
    """A post shown only from its last commit on (a long draft, a memo later opened to the media) makes the edition
    walk every moment of its history: four times the commits must cost about four times as much (sixteen when the
    revisions up to each moment were listed again)."""

    def walk(commits: int) -> None:
        revisions = [_revision("posts/p.md", hour, hour) for hour in range(commits)]
        opened = revisions[-1].when
        found = first_shown(
            {"posts/p.md": revisions},
            lambda path, revision, moment: moment >= opened,
            lambda path, revision: None,
            BASE + timedelta(days=5000),
        )
        assert found == opened

    ratio = fastest(lambda: walk(4000)) / fastest(lambda: walk(1000))
    assert ratio < 8, f"four times the commits took {ratio:.1f} times as long"
    assert fastest(lambda: walk(4000)) < 1.0
