"""The posts of each tag, category and author: lists whose `in` is a lookup, frozen so that it cannot go stale."""

from __future__ import annotations

import pytest

from newsroom.site.post_lists import PostList, posts_by_group


class Post:
    """Pelican's posts compare by identity (Content has no __eq__), as this does."""


def test_membership_is_by_identity_as_in_a_plain_list_of_posts():
    first, second, outsider = Post(), Post(), Post()
    posts = PostList([first, second])
    assert first in posts and second in posts and outsider not in posts
    assert posts == [first, second] and list(posts) == [first, second] and posts[1:] == [second]


@pytest.mark.parametrize(
    "change",
    [
        lambda posts: posts.append(Post()),
        lambda posts: posts.extend([Post()]),
        lambda posts: posts.insert(0, Post()),
        lambda posts: posts.remove(posts[0]),
        lambda posts: posts.pop(),
        lambda posts: posts.clear(),
        lambda posts: posts.sort(key=id),
        lambda posts: posts.reverse(),
        lambda posts: posts.__setitem__(0, Post()),
        lambda posts: posts.__delitem__(0),
        lambda posts: posts.__iadd__([Post()]),
        lambda posts: posts.__imul__(2),
    ],
)
def test_a_post_list_refuses_every_change_so_its_answers_cannot_go_stale(change):
    posts = PostList([Post(), Post()])
    with pytest.raises(TypeError, match="does not change"):
        change(posts)


def test_groups_keep_their_order_from_a_dict_or_from_pairs():
    a, b = Post(), Post()
    for groups in ({"wind": [a], "solar": [b]}, [("wind", [a]), ("solar", [b])]):
        grouped = posts_by_group(groups)
        assert [name for name, _ in grouped] == ["wind", "solar"]
        assert all(isinstance(posts, PostList) for _, posts in grouped)
        assert a in grouped[0][1] and a not in grouped[1][1]


def test_a_built_sites_tag_and_category_pages_list_the_same_posts_as_before(site):
    for number in range(5):
        site.post(f"post-{number}", f"Body {number}.", Title=f"Post {number}", Tags="wind" if number % 2 else "solar")
    output = site.build()
    wind = (output / "tags" / "wind" / "index.html").read_text(encoding="utf-8")
    solar = (output / "tags" / "solar" / "index.html").read_text(encoding="utf-8")
    assert all(f"Post {n}" in wind for n in (1, 3)) and not any(f"Post {n}<" in wind for n in (0, 2, 4))
    assert all(f"Post {n}" in solar for n in (0, 2, 4))
