"""S3: a listing answered with something other than S3's XML (a gateway's HTML page with status
200) is read as "the bucket is empty". The deploy then uploads every file, deletes nothing, records the build as
deployed and the run succeeds; the next scheduled run (`--if-due`) finds nothing due. An object the verified build
no longer has (here: an image a post stopped using, whose deletion a failed deploy had left undone) stays public."""

from __future__ import annotations

import re

import pytest
from servers.mastodon import MastodonServer
from servers.s3 import S3Server
from servers.websub_hub import WebSubHub
from test_publish_pipeline import NEW_POST, TOKEN, Newsroom, git

PAGE = b"<html><body><h1>Service Unavailable</h1><p>the storage gateway is restarting</p></body></html>"
OLD_IMAGE = "images/kessler-ridge-turbine-draft-render.svg"


class GatewayS3(S3Server):
    """moto behind a gateway that, while `garble` is set, answers every GET with an HTML page and status 200."""

    garble = False

    def _middleware(self, app):
        inner = super()._middleware(app)

        def middleware(environ, start_response):
            if self.garble and environ["REQUEST_METHOD"] == "GET":
                start_response("200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(PAGE)))])
                return [PAGE]
            return inner(environ, start_response)

        return middleware


@pytest.fixture
def servers():
    with GatewayS3() as s3, WebSubHub() as hub, MastodonServer(token=TOKEN) as mastodon:
        yield s3, hub, mastodon


def commit(room, message, change):
    work = room.checkout()
    change(work)
    git(work, "add", "-A")
    git(work, "commit", "--quiet", "-m", message)
    git(work, "push", "--quiet", "origin", "HEAD:main")


def test_a_listing_that_is_not_one_never_leaves_an_object_the_build_does_not_have(servers, tmp_path):
    s3, hub, mastodon = servers
    room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
    post = "content/posts/2026/2026-11-20-new-turbines.md"

    def add(work):
        (work / "content" / OLD_IMAGE).write_text(
            "<svg xmlns='http://www.w3.org/2000/svg'><title>render v1</title></svg>"
        )
        (work / post).write_text(NEW_POST + f"\n![A render of the turbines]({{static}}/{OLD_IMAGE})\n")

    commit(room, "Post with a render", add)
    report, lines = room.publish_here()
    assert report.ok, "\n".join(lines)
    assert OLD_IMAGE in room.bucket()

    def drop(work):
        (work / "content" / OLD_IMAGE).unlink()
        (work / post).write_text(NEW_POST)

    commit(room, "Take the render out", drop)
    s3.fault = lambda method, key: (500, "InternalError", "Try again.") if method == "POST" else None
    failed, lines = room.publish_here()  # uploads go through, the deletions fail: a deploy that failed half-way
    assert not failed.ok and OLD_IMAGE in room.bucket(), "\n".join(lines)
    s3.fault = lambda method, key: None

    s3.garble = True  # the gateway in front of the bucket answers listings with its own page
    rerun, lines = room.publish_here()
    s3.garble = False
    print("\n".join(line for line in lines if line.startswith("[deploy]"))[:600])
    idle, idle_lines = room.publish_here(if_due=True)  # the next scheduled run
    print("\n".join(idle_lines[-1:]))
    # Promise: a run that reports success leaves the target holding exactly the verified build.
    assert not rerun.ok or OLD_IMAGE not in room.bucket(), (
        f"run ok={rerun.ok}, the next scheduled run due={idle.outputs.get('due')}, and {OLD_IMAGE} is still live"
    )


class EncryptedS3(S3Server):
    """moto, listing every object with an ETag that is not its MD5, as S3 does for an object stored with SSE-KMS
    (or uploaded in parts): the listing says which objects there are and their sizes, not their bytes."""

    def _middleware(self, app):
        inner = super()._middleware(app)

        def middleware(environ, start_response):
            if environ["REQUEST_METHOD"] != "GET" or "list-type=2" not in environ.get("QUERY_STRING", ""):
                return inner(environ, start_response)
            body = b"".join(inner(environ, start_response))
            return [re.sub(rb"<ETag>(&#34;|&quot;|\")([0-9a-f]{32})", rb"<ETag>\g<1>" + b"f" * 32, body)]

        return middleware


def test_a_bucket_whose_etags_are_not_md5s_is_deployed_and_its_read_back_holds(tmp_path):
    """After each deploy the target is listed again and must hold the build; an encrypted bucket's ETags say
    nothing of the bytes (each run sends every file again, as documented), so there presence and size decide."""
    with EncryptedS3() as s3, WebSubHub() as hub, MastodonServer(token=TOKEN) as mastodon:
        room = Newsroom(tmp_path, s3, hub, mastodon, now="2026-11-26 12:00 UTC")
        report, lines = room.publish_here()
        assert report.ok, "\n".join(lines)
        room.merge("2026-11-20-new-turbines", NEW_POST)  # another build: every file is sent again, then checked
        again, lines = room.publish_here()
        assert again.ok, "\n".join(lines)
        assert "news/2026/new-turbines-at-kessler-ridge/index.html" in room.bucket()
