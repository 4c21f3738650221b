"""A target that can list what it holds (S3, rsync): each deploy lists it, plans, then carries out the plan.

A dry run stops after the plan, so it reports exactly what a real run would send and delete. A deploy that fails
part-way says how much of the plan the target had confirmed, and that the live site mixes two builds until a
publish succeeds: the target cannot swap one build for the next at once, file by file it can only converge.
A deploy succeeds only when the target, listed again once the plan is carried out, holds exactly the verified
build: a file changed on this disk while it was being sent (its bytes are not the ones verify read), another run
writing the same target, or a deletion the target said it made and did not, each fail the deploy by name.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field

from newsroom.publishing.targets.common import Deployment, DeployReport, Target, TargetError, is_derived, is_private
from newsroom.publishing.targets.plan import DeployPlan, LastDeploy, RemoteFile, plan_deploy


@dataclass
class Sent:
    """What a deploy has carried out so far, each path added as soon as the target confirmed it."""

    uploaded: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)

    def after_failure(self, plan: DeployPlan) -> str:
        """What a failure part-way left on the target, and what to do: a sentence to follow the failure's, or ""
        when the target had confirmed nothing (the live site is still the previous build)."""
        if not (self.uploaded or self.deleted):
            return ""
        return (
            f"{len(self.uploaded)} of {len(plan.upload)} file(s) were sent and {len(self.deleted)} of "
            f"{len(plan.delete)} deleted before this failure, so the live site is partly updated: it mixes this "
            "build with the previous one until a publish succeeds. Fix the cause and run `invoke publish` again: "
            "it sends only what is still missing."
        )


class ListedTarget(Target):
    # Whether the listing gives each file's MD5 whatever the target does to it (rsync computes it on the server).
    # S3 gives an ETag, the MD5 only for an object stored unencrypted in one part: after its deploy, only
    # presence and size are held against the build there (what it sends is verified as it is read).
    lists_content_hashes = True

    @abstractmethod
    def list_remote(self) -> Mapping[str, RemoteFile]:
        """Every file the target holds (dotfiles included or not: they are never touched), by path."""

    @abstractmethod
    def send(self, deployment: Deployment, plan: DeployPlan, sent: Sent) -> None:
        """Upload `plan.assets`, then `plan.documents`, then delete `plan.delete`; add the paths uploaded and
        deleted to `sent` as soon as the target reports them, so that a failure part-way can say what is live."""

    def deploy(self, deployment: Deployment, dry_run: bool = False) -> DeployReport:
        last = LastDeploy.from_record(deployment.last)
        plan = plan_deploy(deployment.files, deployment.digest, self.list_remote(), last, deployment.force)
        uploaded, deleted = tuple(file.path for file in plan.upload), plan.delete
        if (uploaded or deleted) and not dry_run:
            sent = Sent()
            try:
                self.send(deployment, plan, sent)
            except TargetError as error:
                said, left = str(error).rstrip(), sent.after_failure(plan)
                if left:
                    raise TargetError(f"{said}{' ' if said.endswith('.') else '. '}{left}") from None
                raise
            uploaded, deleted = tuple(sent.uploaded), tuple(sent.deleted)
            self._holds_the_build(deployment, plan)
        return DeployReport(
            destination=self.where,
            uploaded=uploaded,
            deleted=deleted,
            unchanged=plan.unchanged,
            note="search index kept: it was deployed with these same pages" if plan.keeps_index else "",
            record=plan.after.record(),
            dry_run=dry_run,
        )

    def _holds_the_build(self, deployment: Deployment, plan: DeployPlan) -> None:
        """TargetError unless the target, listed again, holds exactly the files of the verified build (and the
        search index the plan kept), and nothing else."""
        remote = self.list_remote()
        wanted = {
            file.path: RemoteFile(file.md5, file.size)
            for file in deployment.files
            if not (plan.keeps_index and is_derived(file.path))
        }
        if plan.keeps_index:
            wanted.update(plan.after.derived)

        def same(held: RemoteFile, want: RemoteFile) -> bool:
            return held == want if self.lists_content_hashes else held.size == want.size

        differ = sorted(path for path, want in wanted.items() if path not in remote or not same(remote[path], want))
        extra = sorted(path for path in remote if path not in wanted and not is_private(path))
        if differ or extra:
            raise TargetError(
                f"{self.where}: once the deploy was done, the target did not hold the verified build: "
                f"{len(differ)} file(s) differ from it and {len(extra)} should not be there (e.g. "
                f"{', '.join((differ + extra)[:3])}): a file changed while it was sent, or another publish wrote to "
                "the target. Run `invoke publish` again: it sends what differs."
            )
