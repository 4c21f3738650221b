"""GitHub Pages: `invoke publish` prepares the folder; the workflow's official actions upload and deploy it.

Pages is deployed by `actions/upload-pages-artifact` and `actions/deploy-pages`, which only run inside a
workflow. So this target's deploy step writes the artifact folder (the site without dotfiles), and the workflow
uploads and deploys it on every run that publishes, then runs `invoke publish --after deploy` once `deploy-pages`
has succeeded. Every run, even when the build is the one last recorded: Pages cannot be listed, and the record is
written by the announce job, after the deploy; a run whose announce job did not finish left Pages holding a newer
build than the record says, and skipping "the same build" again would leave that one live (a withdrawal, a
revert never made live).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from newsroom.kit.settings import Option
from newsroom.publishing.targets.common import Deployment, DeployReport, Target, TargetError, verified_bytes


class GitHubPagesTarget(Target):
    type_name = "github-pages"
    public_only = True  # a Pages site is on the public web
    made_live_by = "the workflow's upload-pages-artifact and deploy-pages actions"
    options = {
        "folder": Option(
            str, "the folder the workflow uploads, relative to the project (actions/upload-pages-artifact `path`)",
            default="_site",
        ),
    }  # fmt: skip

    @classmethod
    def check(cls, options: Mapping) -> list[str]:
        folder = options.get("folder") or ""
        if os.path.isabs(folder) or ".." in folder.split("/") or folder.strip("/.") == "":
            return [f"folder: {folder!r} must be a folder inside the project, e.g. '_site'"]
        return []

    @classmethod
    def destination(cls, options: Mapping) -> str:
        return "github-pages"

    def deploy(self, deployment: Deployment, dry_run: bool = False) -> DeployReport:
        # Pages cannot be listed, and the record of the last deploy may be older than what it holds (see above):
        # the verified build is handed over whole, every time.
        folder = self.project / self.settings["folder"]
        relative = folder.relative_to(self.project) if folder.is_relative_to(self.project) else folder
        if not dry_run:
            self._prepare(folder, deployment)
        same = " (the build last recorded as deployed: Pages may hold another)" * (
            deployment.digest == deployment.last.get("digest")
        )
        if dry_run:
            note = f"{relative}/ would be prepared for the workflow to upload{same}"
        else:
            note = f"{relative}/ prepared; the workflow uploads and deploys it{same}"
        return DeployReport(
            destination=self.where,
            uploaded=tuple(file.path for file in deployment.files),
            unchanged=0,
            note=note,
            record={"digest": deployment.digest},
            dry_run=dry_run,
        )

    @staticmethod
    def _prepare(folder: Path, deployment: Deployment) -> None:
        staging = folder.with_name(folder.name + ".tmp")
        try:
            shutil.rmtree(staging, ignore_errors=True)
            for file in deployment.files:
                target = staging / file.path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(verified_bytes(deployment.output, file, str(folder)))
            staging.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(folder, ignore_errors=True)
            os.replace(staging, folder)
        except OSError as error:
            raise TargetError(f"cannot prepare the Pages folder {folder}: {error.strerror or error}.") from None
