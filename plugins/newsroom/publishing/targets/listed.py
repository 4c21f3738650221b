"""A target that can list what it holds (S3, rsync): each deploy lists it, plans, then carries out the plan.

A dry run stops after the plan, so it reports exactly what a real run would send and delete.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping

from newsroom.publishing.targets.common import Deployment, DeployReport, Target
from newsroom.publishing.targets.plan import DeployPlan, LastDeploy, RemoteFile, plan_deploy


class ListedTarget(Target):
    @abstractmethod
    def list_remote(self) -> Mapping[str, RemoteFile]:
        """Every file the target holds (dotfiles included or not: they are never touched), by path."""

    @abstractmethod
    def send(self, deployment: Deployment, plan: DeployPlan) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Upload `plan.assets`, then `plan.documents`, then delete `plan.delete`; return the paths uploaded
        and the paths deleted, as the target reported them."""

    def deploy(self, deployment: Deployment, dry_run: bool = False) -> DeployReport:
        last = LastDeploy.from_record(deployment.last)
        plan = plan_deploy(deployment.files, deployment.digest, self.list_remote(), last, deployment.force)
        uploaded, deleted = tuple(file.path for file in plan.upload), plan.delete
        if (uploaded or deleted) and not dry_run:
            uploaded, deleted = self.send(deployment, plan)
        return DeployReport(
            destination=self.where,
            uploaded=uploaded,
            deleted=deleted,
            unchanged=plan.unchanged,
            note="search index kept: it was deployed with these same pages" if plan.keeps_index else "",
            record=plan.after.record(),
            dry_run=dry_run,
        )
