"""Deploy targets through their interface: S3 against moto's real server on loopback, rsync with the real
program, the GitHub Pages folder, and NEWSROOM_PUBLISH validation."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from servers.s3 import CREDENTIALS, S3Server
from servers.sshd import SshServer

from newsroom.kit.settings import SettingsProblems
from newsroom.publishing.config import TargetConfig, load_publish_config
from newsroom.publishing.targets import TARGET_TYPES, Deployment, TargetError, content_digest, deployable_files
from newsroom.publishing.targets.common import cache_control, content_type
from newsroom.publishing.targets.rsync import RsyncTarget

SECRETS = {"access_key_id": CREDENTIALS["aws_access_key_id"], "secret_access_key": CREDENTIALS["aws_secret_access_key"]}


@pytest.fixture
def s3():
    with S3Server() as server:
        server.client().create_bucket(Bucket="newsroom")
        yield server


def deployment(output: Path, last: dict | None = None, force: bool = False) -> Deployment:
    files = deployable_files(output)
    return Deployment("public", output, files, content_digest(files), last or {}, force)


def s3_target(server: S3Server, tmp_path: Path, bucket: str = "newsroom", prefix: str = "", secrets=SECRETS):
    options = {"bucket": bucket, "prefix": prefix, "endpoint_url": server.url, "region": "us-east-1"}
    return TARGET_TYPES["s3"](TargetConfig("target", "s3", options, {}), tmp_path, secrets)


@pytest.fixture
def built(site):
    # plain.svg is published because a post shows it (a file nothing refers to is never published).
    site.post(
        "wind",
        "![A plain picture]({static}/images/plain.svg)",
        Title="Wind farm opens",
        Slug="wind",
        Image="{static}/images/chart.3f9a2b7c1d.svg",
        Image_Alt="A chart",
    )
    site.post("solar", Title="Solar park approved", Slug="solar", Date="2026-06-02 10:00 UTC")
    site.file("images/chart.3f9a2b7c1d.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    site.file("images/plain.svg", "<svg xmlns='http://www.w3.org/2000/svg'><title>plain</title></svg>")
    return site


def test_s3_upload_sets_content_types_and_cache_headers_and_never_sends_dotfiles(built, s3, tmp_path):
    out = built.build()
    report = s3_target(s3, tmp_path).deploy(deployment(out))

    keys = set(s3.objects("newsroom"))
    assert keys == {f.path for f in deployable_files(out)} and len(report.uploaded) == len(keys)
    assert (out / ".newsroom/manifest.json").exists() and not any(k.startswith(".") or "/." in k for k in keys)
    client = s3.client()

    def head(key):
        answer = client.head_object(Bucket="newsroom", Key=key)
        return answer["ContentType"], answer["CacheControl"]

    assert head("feeds/all.rss.xml") == ("application/rss+xml; charset=utf-8", "public, max-age=60")
    assert head("feeds/media.atom.xml") == ("application/atom+xml; charset=utf-8", "public, max-age=60")
    assert head("feeds/all.json") == ("application/feed+json; charset=utf-8", "public, max-age=60")
    assert head("feeds/newsroom.opml") == ("text/x-opml; charset=utf-8", "public, max-age=60")
    assert head("index.html") == ("text/html; charset=utf-8", "public, max-age=60")
    assert head("images/chart.3f9a2b7c1d.svg") == ("image/svg+xml", "public, max-age=31536000, immutable")
    assert head("images/plain.svg") == ("image/svg+xml", "public, max-age=3600")
    assert report.uploaded.index("images/plain.svg") < report.uploaded.index("news/2026/wind/index.html")
    assert report.uploaded[-1] == "index.html"  # the home page goes last: everything it links to is there


def test_s3_redeploy_uploads_nothing_then_removes_a_deleted_post_but_not_the_buckets_own_dotfiles(built, s3, tmp_path):
    target = s3_target(s3, tmp_path)
    target.deploy(deployment(built.build()))
    s3.client().put_object(Bucket="newsroom", Key=".well-known/security.txt", Body=b"Contact: security@example")

    again = target.deploy(deployment(built.build()))
    assert again.uploaded == () and again.deleted == () and not again.changed

    (built.content / "posts/solar.md").unlink()
    after = target.deploy(deployment(built.build()))
    keys = set(s3.objects("newsroom"))
    assert "news/2026/solar/index.html" in after.deleted and "news/2026/solar/index.html" not in keys
    assert ".well-known/security.txt" in keys
    assert "index.html" in after.uploaded and "feeds/all.rss.xml" in after.uploaded  # listings changed


def test_s3_prefix_keeps_the_site_in_its_folder(built, s3, tmp_path):
    s3.client().put_object(Bucket="newsroom", Key="other/keep.txt", Body=b"not ours")
    s3_target(s3, tmp_path, prefix="site/").deploy(deployment(built.build()))
    keys = set(s3.objects("newsroom"))
    assert "site/index.html" in keys and "other/keep.txt" in keys and "index.html" not in keys


def test_a_deploy_that_fails_part_way_says_the_live_site_mixes_two_builds(built, s3, tmp_path):
    target = s3_target(s3, tmp_path)
    target.deploy(deployment(built.build()))
    (built.content / "posts/solar.md").unlink()
    out = built.build()
    plan = target.deploy(deployment(out), dry_run=True)
    upload, delete = len(plan.uploaded), len(plan.deleted)
    s3.fault = lambda method, key: (
        (500, "InternalError", "Try again.") if (method, key) == ("PUT", "index.html") else None
    )
    with pytest.raises(TargetError) as failed:
        target.deploy(deployment(out))  # the home page goes last: every other changed file is already live
    assert str(failed.value) == (
        f"s3://newsroom/: InternalError: Try again. {upload - 1} of {upload} file(s) were sent and 0 of {delete} "
        "deleted before this failure, so the live site is partly updated: it mixes this build with the previous "
        "one until a publish succeeds. Fix the cause and run `invoke publish` again: it sends only what is still "
        "missing."
    )
    assert (
        b"Solar park" in s3.objects("newsroom")["index.html"]
        and b"Solar park" not in s3.objects("newsroom")["feeds/all.rss.xml"]
    )
    s3.fault = lambda method, key: None
    finished = target.deploy(deployment(out))
    assert finished.uploaded == ("index.html",) and len(finished.deleted) == delete


def test_s3_failures_are_one_line_naming_the_bucket_and_never_the_secret(built, s3, tmp_path):
    out = built.build()
    with pytest.raises(TargetError) as missing:
        s3_target(s3, tmp_path, bucket="no-such-bucket").deploy(deployment(out))
    message = str(missing.value)
    assert message.startswith("s3://no-such-bucket/: NoSuchBucket") and "\n" not in message
    assert CREDENTIALS["aws_secret_access_key"] not in message

    dead = TARGET_TYPES["s3"](
        TargetConfig(
            "target",
            "s3",
            {"bucket": "newsroom", "prefix": "", "endpoint_url": "http://127.0.0.1:9", "region": "us-east-1"},
            {},
        ),
        tmp_path,
        SECRETS,
    )
    with pytest.raises(TargetError, match=r"^s3://newsroom/: Could not connect"):
        dead.deploy(deployment(out))


def rsync_target(tmp_path: Path, destination: str, port: int = 22) -> RsyncTarget:
    return RsyncTarget(TargetConfig("target", "rsync", {"destination": destination, "port": port}, {}), tmp_path, {})


def test_rsync_command_for_a_server_checks_host_keys_and_never_carries_a_secret(tmp_path):
    secrets = {"ssh_key": "placeholder key text, secret", "known_hosts": "web1.example ssh-ed25519 AAAA"}
    config = TargetConfig("target", "rsync", {"destination": "deploy@web1.example:/srv/newsroom", "port": 2222}, {})
    target = RsyncTarget(config, tmp_path, secrets)
    command = target.command("--dry-run")
    assert command[:4] == ["rsync", "--compress", "--chmod=D755,F644", "--exclude=.*"] and command[-1] == "--dry-run"
    assert command[command.index("-e") + 1] == (
        "ssh -p 2222 -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=/dev/null "
        f"-o GlobalKnownHostsFile=/dev/null -o 'KnownHostsCommand={shutil.which('printenv')} "
        "NEWSROOM_RSYNC_KNOWN_HOSTS'"
    )
    assert not any("secret" in part or "AAAA" in part for part in command)
    assert target.where == "rsync://deploy@web1.example:/srv/newsroom"
    assert target.partial_folder == "deploy@web1.example:/srv/.newsroom.newsroom-partial/"  # beside, not inside
    assert target.identity(config.options) == "rsync://deploy@web1.example:/srv/newsroom/ port 2222"


@pytest.fixture
def rsync_installed():
    """A missing rsync fails these tests rather than skipping them: `invoke test` installs it."""
    assert shutil.which("rsync"), "rsync is missing (invoke test installs it: tests/tools/install_debian_packages.sh)"


@pytest.mark.usefixtures("rsync_installed")
def test_rsync_to_a_folder_mirrors_the_site_deletes_removed_posts_and_keeps_dotfiles(built, tmp_path):
    public = tmp_path / "www"
    (public / ".well-known").mkdir(parents=True)
    (public / ".well-known/security.txt").write_text("Contact: security@example")
    target = rsync_target(tmp_path, str(public))
    out = built.build()

    first = target.deploy(deployment(out))
    mirrored = sorted(p.relative_to(public).as_posix() for p in public.rglob("*") if p.is_file())
    assert mirrored == sorted([*(f.path for f in deployable_files(out)), ".well-known/security.txt"])
    assert len(first.uploaded) == len(deployable_files(out)) and not (public / ".newsroom").exists()

    assert not target.deploy(deployment(built.build())).changed  # a rebuild touches every file; none differ

    (built.content / "posts/solar.md").unlink()
    after = target.deploy(deployment(built.build()))
    assert "news/2026/solar/index.html" in after.deleted and not (public / "news/2026/solar").exists()
    assert (public / ".well-known/security.txt").exists()


@pytest.mark.usefixtures("rsync_installed")
def test_rsync_failures_are_one_line_with_the_reason(built, tmp_path):
    out = built.build()
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(TargetError, match=r"/file/www: cannot create the folder \(Not a directory\)\.$"):
        rsync_target(tmp_path, str(tmp_path / "file" / "www")).deploy(deployment(out))
    with pytest.raises(TargetError) as refused:  # nothing listens on port 9 of this machine
        rsync_target(tmp_path, "deploy@127.0.0.1:/srv/site/", port=9).deploy(deployment(out))
    assert str(refused.value).startswith("rsync://deploy@127.0.0.1:/srv/site/: rsync failed (exit code ")
    assert str(refused.value).endswith("port 9: Connection refused.")
    assert "\n" not in str(refused.value)


class Held:
    """What a target holds, read and tampered with directly (the bucket through S3's API, the folder on disk)."""

    def __init__(self, target, s3: S3Server | None = None, folder: Path | None = None):
        self.target, self.s3, self.folder = target, s3, folder

    def files(self) -> dict[str, bytes]:
        if self.s3:
            return self.s3.objects("newsroom")
        return {p.relative_to(self.folder).as_posix(): p.read_bytes() for p in self.folder.rglob("*") if p.is_file()}

    def delete(self, path: str) -> None:
        if self.s3:
            self.s3.client().delete_object(Bucket="newsroom", Key=path)
        else:
            (self.folder / path).unlink()

    def alter(self, path: str, data: bytes) -> None:
        if self.s3:
            self.s3.client().put_object(Bucket="newsroom", Key=path, Body=data)
        else:
            (self.folder / path).write_bytes(data)


@pytest.fixture(params=["s3", "rsync"])
def held(request, tmp_path):
    if request.param == "rsync":
        assert shutil.which("rsync"), "rsync is missing (invoke test installs it)"
        yield Held(rsync_target(tmp_path, str(tmp_path / "www")), folder=tmp_path / "www")
        return
    with S3Server() as server:
        server.client().create_bucket(Bucket="newsroom")
        yield Held(s3_target(server, tmp_path), s3=server)


def test_a_file_deleted_or_altered_in_the_target_is_restored_by_the_next_deploy(built, held):
    out = built.build()
    first = held.target.deploy(deployment(out))
    built_files = {f.path: (out / f.path).read_bytes() for f in deployable_files(out)}
    assert held.files() == built_files

    held.delete("index.html")
    held.alter("images/plain.svg", b"<svg>defaced</svg>")
    held.alter("stray.html", b"<p>not ours</p>")
    again = held.target.deploy(deployment(built.build(), last=dict(first.record)))  # the record says "deployed"
    assert sorted(again.uploaded) == ["images/plain.svg", "index.html"] and again.deleted == ("stray.html",)
    assert held.files() == built_files


def test_a_dry_run_reports_exactly_what_the_real_run_then_does_and_changes_nothing(built, held):
    first = held.target.deploy(deployment(built.build()))
    (built.content / "posts/solar.md").unlink()
    held.delete("images/plain.svg")
    held.alter("news/2026/wind/index.html", b"altered")
    out = built.build()
    before = held.files()

    planned = held.target.deploy(deployment(out, last=dict(first.record)), dry_run=True)
    assert held.files() == before and planned.dry_run and "would be" in planned.lines()[0]
    done = held.target.deploy(deployment(out, last=dict(first.record)))
    assert (sorted(planned.uploaded), planned.deleted, planned.unchanged) == (
        sorted(done.uploaded),
        done.deleted,
        done.unchanged,
    )
    assert "images/plain.svg" in done.uploaded and "news/2026/solar/index.html" in done.deleted
    assert "news/2026/wind/index.html" in done.uploaded
    assert held.files() == {f.path: (out / f.path).read_bytes() for f in deployable_files(out)}


def test_force_sends_every_file_even_to_a_target_that_holds_them_all(built, held):
    out = built.build()
    held.target.deploy(deployment(out))
    assert held.target.deploy(deployment(out)).uploaded == ()
    forced = held.target.deploy(deployment(out, force=True))
    assert sorted(forced.uploaded) == sorted(f.path for f in deployable_files(out))


def test_every_target_sends_assets_before_the_pages_that_use_them(built, held):
    report = held.target.deploy(deployment(built.build()))
    kinds = [path.endswith((".html", ".xml", ".json", ".opml", ".txt")) for path in report.uploaded]
    assert kinds == sorted(kinds) and kinds[0] is False and kinds[-1] is True  # every asset, then every page


def pagefind(out: Path, build: int) -> None:
    """A search index as Pagefind writes one: the same pages give other bytes at every build."""
    (out / "pagefind/fragment").mkdir(parents=True, exist_ok=True)
    (out / "pagefind/pagefind-entry.json").write_text(f'{{"build": {build}}}')
    (out / f"pagefind/fragment/en_{build:07d}.pf_fragment").write_text(f"fragment {build}")


def test_the_index_deployed_with_the_same_pages_stays_until_the_target_no_longer_holds_it(built, held):
    out = built.build()
    pagefind(out, 1)
    first = held.target.deploy(deployment(out))
    out = built.build()
    pagefind(out, 2)  # a rebuild of the same pages: a new index, as good as the deployed one

    held.alter("stray.html", b"<p>not ours</p>")  # deleted while the index is kept, which stays whole
    same = held.target.deploy(deployment(out, last=dict(first.record)))
    assert same.uploaded == () and same.deleted == ("stray.html",) and "search index kept" in same.note
    assert held.files()["pagefind/pagefind-entry.json"] == b'{"build": 1}'
    assert "pagefind/fragment/en_0000001.pf_fragment" in held.files()

    held.delete("pagefind/fragment/en_0000001.pf_fragment")  # the deployed index is broken: send the new one
    repaired = held.target.deploy(deployment(out, last=dict(same.record)))
    assert sorted(repaired.uploaded) == ["pagefind/fragment/en_0000002.pf_fragment", "pagefind/pagefind-entry.json"]
    assert held.files()["pagefind/pagefind-entry.json"] == b'{"build": 2}'
    assert "pagefind/fragment/en_0000001.pf_fragment" not in held.files()


@pytest.fixture
def sshd(tmp_path):
    with SshServer(tmp_path / "sshd") as server:
        yield server


def ssh_target(server: SshServer, tmp_path: Path, www: Path, known_hosts: str | None = None) -> RsyncTarget:
    config = TargetConfig("target", "rsync", {"destination": server.destination(www), "port": server.port}, {})
    secrets = {"ssh_key": server.client_key, "known_hosts": known_hosts or server.known_hosts}
    return RsyncTarget(config, tmp_path, secrets)


@pytest.mark.usefixtures("rsync_installed")
def test_rsync_over_ssh_logs_in_with_the_key_it_is_given_and_checks_the_host_key_it_is_given(built, sshd, tmp_path):
    out = built.build()
    www = tmp_path / "www"
    report = ssh_target(sshd, tmp_path, www).deploy(deployment(out))
    held = {p.relative_to(www).as_posix() for p in www.rglob("*") if p.is_file()}
    assert held == {f.path for f in deployable_files(out)} == set(report.uploaded)
    assert (tmp_path / ".www.newsroom-partial").is_dir() and not any((tmp_path / ".www.newsroom-partial").iterdir())

    impostor = tmp_path / "impostor"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(impostor)], check=True)
    key_type, key = impostor.with_suffix(".pub").read_text().split()[:2]
    with pytest.raises(TargetError, match=r"Host key verification failed\.$"):  # not the server we expect
        ssh_target(sshd, tmp_path, tmp_path / "www2", f"[127.0.0.1]:{sshd.port} {key_type} {key}").deploy(
            deployment(out)
        )
    assert not (tmp_path / "www2").exists()


def test_pages_folder_has_the_site_without_dotfiles_and_is_handed_over_every_time(built, tmp_path):
    out = built.build()
    target = TARGET_TYPES["github-pages"](TargetConfig("target", "github-pages", {"folder": "_site"}, {}), tmp_path, {})
    first = target.deploy(deployment(out))
    folder = tmp_path / "_site"
    prepared = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert prepared == sorted(f.path for f in deployable_files(out)) and not (folder / ".newsroom").exists()
    assert first.changed and "_site/ prepared" in first.note

    # The record is written after the deploy, by the announce job: one that did not finish left Pages holding a
    # newer build than the record says, so "the same build as recorded" is deployed again, never skipped.
    same = target.deploy(deployment(out, last=dict(first.record)))
    assert same.changed and "the build last recorded as deployed: Pages may hold another" in same.note


@pytest.mark.parametrize(
    "path, expected_type, expected_cache",
    [
        ("feeds/investors/press-releases.rss.xml", "application/rss+xml; charset=utf-8", "public, max-age=60"),
        ("feeds/category/news.atom.xml", "application/atom+xml; charset=utf-8", "public, max-age=60"),
        ("feeds/media.json", "application/feed+json; charset=utf-8", "public, max-age=60"),
        ("pagefind/pagefind-entry.json", "application/json; charset=utf-8", "public, max-age=60"),
        ("sitemap.xml", "application/xml; charset=utf-8", "public, max-age=60"),
        ("pagefind/fragment/en_7bb5cfe.pf_fragment", "application/octet-stream", "public, max-age=31536000, immutable"),
        ("pagefind/fragment/en_3141592.pf_fragment", "application/octet-stream", "public, max-age=31536000, immutable"),
        ("pagefind/pagefind.en_2718281.pf_meta", "application/octet-stream", "public, max-age=31536000, immutable"),
        ("downloads/report-20261029.pdf", "application/pdf", "public, max-age=3600"),  # a date is not a hash
        ("theme/css/newsroom.css", "text/css; charset=utf-8", "public, max-age=3600"),
    ],
)
def test_content_type_and_cache_header_of_each_kind_of_file(path, expected_type, expected_cache):
    assert (content_type(path), cache_control(path)) == (expected_type, expected_cache)


def test_every_publish_setting_problem_is_reported_at_once_with_the_key_and_value():
    settings = {
        "PATH": "content",
        "NEWSROOM_PUBLISH": {
            "target": {
                "type": "s3",
                "bucket": "Bad_Bucket",
                "prefix": "/site",
                "credentials": {"secret_access_key": "AKIA-real-secret"},
            },
            "internal_target": {"type": "github-pages"},
            "state": {"store": "cloud", "branch": "a..b", "token_env": "github_token"},
            "colour": "blue",
        },
    }
    with pytest.raises(SettingsProblems) as error:
        load_publish_config(settings, TARGET_TYPES)
    problems = error.value.problems
    assert (
        "NEWSROOM_PUBLISH: unknown key 'colour' (expected one of: target, internal_target, state, state_dir, source)"
        in problems
    )
    assert any(
        p.startswith("NEWSROOM_PUBLISH.target.credentials.secret_access_key: 'AKIA-real-secret' must be the NAME")
        for p in problems
    )
    assert any(
        p.startswith("NEWSROOM_PUBLISH.internal_target.type: 'github-pages' publishes to the public web")
        for p in problems
    )
    assert "NEWSROOM_PUBLISH.state.store: 'cloud' is not one of: local, git" in problems
    assert any(p.startswith("NEWSROOM_PUBLISH.state.branch: 'a..b'") for p in problems)
    assert any(p.startswith("NEWSROOM_PUBLISH.state.token_env: 'github_token'") for p in problems)


def test_option_problems_of_a_valid_target_type_are_reported_with_the_fix():
    settings = {"NEWSROOM_PUBLISH": {"target": {"type": "s3", "bucket": "Bad_Bucket", "prefix": "/site"}}}
    with pytest.raises(SettingsProblems) as error:
        load_publish_config(settings, TARGET_TYPES)
    assert error.value.problems == [
        "NEWSROOM_PUBLISH.target.bucket: 'Bad_Bucket' is not a bucket name (expected 3-63 lower-case letters, digits, '.' or '-')",
        "NEWSROOM_PUBLISH.target.prefix: '/site' must be '' or a folder ending in '/', without a leading '/', e.g. 'site/'",
    ]


@pytest.mark.parametrize(
    "public, internal",
    [
        ({"type": "s3", "bucket": "newsroom"}, {"type": "s3", "bucket": "newsroom", "prefix": "intranet/"}),
        (
            {"type": "rsync", "destination": "web1.example:/srv/site/"},
            {"type": "rsync", "destination": "web1.example:/srv/site"},
        ),
        # Other spellings of a folder inside the public one: another user on the host, `./`, `x/..`, capitals,
        # a relative local folder.
        *(
            ({"type": "rsync", "destination": public}, {"type": "rsync", "destination": internal})
            for public, internal in [
                ("www@web1.example:/srv/site/", "deploy@web1.example:/srv/site/intranet/"),
                ("web1.example:/srv/site/", "web1.example:/srv/./site/intranet/"),
                ("web1.example:/srv/site/", "web1.example:/srv/x/../site/intranet/"),
                ("web1.example:/srv/site/", "WEB1.example:/srv/site/intranet/"),
                ("site/", "./site/intranet/"),
                ("web1.example:/srv/site/", "web1.example.:/srv/site/intranet/"),  # the host fully qualified
                ("/srv/site/", "localhost:/srv/site/intranet/"),  # a local folder, and SSH to this machine
            ]
        ),
    ],
    ids=[
        "inside-the-public-bucket",
        "same-folder",
        "other-user",
        "dot",
        "dot-dot",
        "capitals",
        "local-relative",
        "trailing-dot",
        "this-machine",
    ],
)
def test_the_internal_edition_can_never_be_configured_onto_the_public_target(public, internal):
    with pytest.raises(SettingsProblems) as error:
        load_publish_config({"NEWSROOM_PUBLISH": {"target": public, "internal_target": internal}}, TARGET_TYPES)
    assert (
        len(error.value.problems) == 1 and "internal posts must never reach the public site" in error.value.problems[0]
    )


@pytest.mark.parametrize(
    "public, internal",
    [
        ("www@web1.example:/srv/site/", "www@web1.example:/srv/intranet/"),
        ("web1.example:/srv/site/", "web2.example:/srv/site/intranet/"),
        ("site/", "site-internal/"),
    ],
)
def test_an_internal_target_of_its_own_is_accepted(public, internal):
    config = load_publish_config(
        {
            "NEWSROOM_PUBLISH": {
                "target": {"type": "rsync", "destination": public},
                "internal_target": {"type": "rsync", "destination": internal},
            }
        },
        TARGET_TYPES,
    )
    assert config.internal_target.options["destination"] == internal


def test_an_rsync_destination_that_is_a_whole_disk_is_refused_before_delete_can_empty_it():
    with pytest.raises(SettingsProblems, match=r"destination: 'deploy@web1.example:/' would make"):
        load_publish_config(
            {"NEWSROOM_PUBLISH": {"target": {"type": "rsync", "destination": "deploy@web1.example:/"}}}, TARGET_TYPES
        )
