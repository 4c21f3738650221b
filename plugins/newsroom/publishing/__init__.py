"""Publishing on merge: build, verify, deploy, announce and remember, so that embargoes cannot leak and
nothing is posted twice. `pipeline.publish` is the whole of `invoke publish`."""

from newsroom.publishing.pipeline import STEPS, PublishReport, StepFailed, StepReport, check_steps, publish

__all__ = ["STEPS", "PublishReport", "StepFailed", "StepReport", "check_steps", "publish"]
