"""Deploy targets, by the `type` used in NEWSROOM_PUBLISH. A new kind of host is one file and one line here."""

from __future__ import annotations

from newsroom.publishing.targets.common import (
    Deployment,
    DeployReport,
    OutputFile,
    Target,
    TargetError,
    content_digest,
    deployable_files,
    site_digest,
)
from newsroom.publishing.targets.github_pages import GitHubPagesTarget
from newsroom.publishing.targets.rsync import RsyncTarget
from newsroom.publishing.targets.s3 import S3Target

TARGET_TYPES: dict[str, type[Target]] = {cls.type_name: cls for cls in (GitHubPagesTarget, S3Target, RsyncTarget)}

__all__ = [
    "TARGET_TYPES",
    "DeployReport",
    "Deployment",
    "OutputFile",
    "Target",
    "TargetError",
    "content_digest",
    "deployable_files",
    "site_digest",
]
