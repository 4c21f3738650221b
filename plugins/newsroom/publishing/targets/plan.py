"""What a deploy sends and deletes, decided by comparing the build with what the target holds (pure).

The target is listed, never remembered: a file deleted or altered there is sent again by the next deploy.
The one thing remembered is which search index was deployed with which pages, because Pagefind writes
different bytes for the same pages at every build: while the pages are unchanged and the target still holds
exactly the index deployed with them, that index stays and the new one is not sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from newsroom.publishing.targets.common import OutputFile, is_derived, is_private, upload_order


@dataclass(frozen=True)
class RemoteFile:
    """A file as the target lists it: enough to tell whether it holds the same bytes as the build."""

    md5: str
    size: int


@dataclass(frozen=True)
class LastDeploy:
    """What the previous deploy to this target recorded: the pages' digest and the index it sent with them."""

    digest: str = ""
    derived: Mapping[str, RemoteFile] = field(default_factory=dict)

    @classmethod
    def from_record(cls, record: Mapping | None) -> LastDeploy:
        record = record or {}
        derived = record.get("derived") or {}
        try:
            files = {path: RemoteFile(str(md5), int(size)) for path, (md5, size) in derived.items()}
        except (TypeError, ValueError):
            files = {}  # a damaged record: the index is sent again, which is always safe
        return cls(str(record.get("digest", "")), files)

    def record(self) -> dict:
        return {"digest": self.digest, "derived": {p: [f.md5, f.size] for p, f in sorted(self.derived.items())}}


@dataclass(frozen=True)
class DeployPlan:
    upload: tuple[OutputFile, ...]  # in upload order: assets, then pages and feeds, the home page last
    delete: tuple[str, ...]  # deleted after every upload
    unchanged: int  # files of the build the target already holds
    keeps_index: bool  # the search index deployed with these pages stays
    after: LastDeploy  # what to record once the plan is carried out

    @property
    def assets(self) -> tuple[OutputFile, ...]:
        return tuple(file for file in self.upload if not file.is_document)

    @property
    def documents(self) -> tuple[OutputFile, ...]:
        return tuple(file for file in self.upload if file.is_document)


def plan_deploy(
    files: Iterable[OutputFile], digest: str, remote: Mapping[str, RemoteFile], last: LastDeploy, force: bool = False
) -> DeployPlan:
    """Make the target hold exactly the build (`force`: send every file, whatever the target holds)."""
    files = tuple(files)
    held_index = {path: remote[path] for path in remote if is_derived(path) and not is_private(path)}
    keeps_index = not force and bool(last.derived) and last.digest == digest and held_index == dict(last.derived)
    wanted = [file for file in files if not (keeps_index and is_derived(file.path))]
    upload = [file for file in wanted if force or remote.get(file.path) != RemoteFile(file.md5, file.size)]
    kept = {file.path for file in wanted} | (set(held_index) if keeps_index else set())
    delete = sorted(path for path in remote if path not in kept and not is_private(path))
    index = (
        held_index
        if keeps_index
        else {file.path: RemoteFile(file.md5, file.size) for file in files if is_derived(file.path)}
    )
    return DeployPlan(
        upload=tuple(upload_order(upload)),
        delete=tuple(delete),
        unchanged=len(wanted) - len(upload),
        keeps_index=keeps_index,
        after=LastDeploy(digest, index),
    )
