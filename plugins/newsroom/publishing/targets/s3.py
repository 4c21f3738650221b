"""S3-compatible object storage (AWS S3, MinIO, Cloudflare R2…) with `aws s3 sync --delete` semantics.

Every deploy lists the bucket (under the prefix) and uploads each file whose MD5 and size differ from the
object's (S3 reports the MD5 as the ETag of a single-part upload), so an object deleted or altered in the
bucket is put back. Files of deleted posts are removed, and each object gets its content type and cache
header. Assets go up before the pages that use them, and deletions come last.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from contextlib import contextmanager

from newsroom.kit.settings import Option
from newsroom.publishing.targets.common import Deployment, OutputFile, TargetError, verified_bytes
from newsroom.publishing.targets.listed import ListedTarget, Sent
from newsroom.publishing.targets.plan import DeployPlan, RemoteFile

BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
DELETE_BATCH = 1000  # S3's limit per DeleteObjects request


class S3Target(ListedTarget):
    type_name = "s3"
    lists_content_hashes = False  # an ETag is the MD5 only for an unencrypted single-part object
    options = {
        "bucket": Option(str, "the bucket name, e.g. 'newsroom-larkspur'", required=True),
        "prefix": Option(str, "a folder inside the bucket, e.g. 'site/' ('' for the whole bucket)", default=""),
        "endpoint_url": Option(str, "the S3 API address for a non-AWS service, e.g. 'https://<account>.r2.cloudflarestorage.com'"),
        "region": Option(str, "the bucket's region, e.g. 'us-east-1'", default="us-east-1"),
    }  # fmt: skip
    # All optional: without them boto3 finds credentials the usual way (AWS_* variables, a role assumed
    # with OIDC by aws-actions/configure-aws-credentials, an instance profile).
    credentials = {
        "access_key_id": "access key id",
        "secret_access_key": "secret access key",
        "session_token": "session token",
    }
    ambient_credentials = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")

    @classmethod
    def check(cls, options: Mapping) -> list[str]:
        problems = []
        if not BUCKET.match(options["bucket"]):
            problems.append(
                f"bucket: {options['bucket']!r} is not a bucket name "
                "(expected 3-63 lower-case letters, digits, '.' or '-')"
            )
        prefix = options["prefix"]
        if prefix.startswith("/") or (prefix and not prefix.endswith("/")) or ".." in prefix.split("/"):
            problems.append(
                f"prefix: {prefix!r} must be '' or a folder ending in '/', without a leading '/', e.g. 'site/'"
            )
        endpoint = options.get("endpoint_url")
        if endpoint is not None and not re.match(r"^https?://[^/\s]+", endpoint):
            problems.append(f"endpoint_url: {endpoint!r} must be an http(s) URL")
        return problems

    @classmethod
    def destination(cls, options: Mapping) -> str:
        return f"s3://{options['bucket']}/{options['prefix']}"

    @classmethod
    def identity(cls, options: Mapping) -> str:
        # The same bucket name on another service (or another account's endpoint) is another target.
        return f"{cls.destination(options)} at {options.get('endpoint_url') or 'AWS'}"

    def _client(self):
        import boto3
        from botocore.config import Config

        keys = {
            "aws_access_key_id": self.secrets.get("access_key_id"),
            "aws_secret_access_key": self.secrets.get("secret_access_key"),
            "aws_session_token": self.secrets.get("session_token"),
        }
        return boto3.client(
            "s3",
            endpoint_url=self.settings.get("endpoint_url"),
            region_name=self.settings["region"],
            config=Config(connect_timeout=10, read_timeout=60, retries={"max_attempts": 3, "mode": "standard"}),
            **{key: value for key, value in keys.items() if value},
        )

    def list_remote(self) -> dict[str, RemoteFile]:
        bucket, prefix = self.settings["bucket"], self.settings["prefix"]
        with self._errors():
            found = {}
            for page in self._client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
                # A listing names its bucket. An answer that does not (a gateway's page, answered 200) parses as
                # one with no object in it, and an empty listing would delete nothing the site no longer has.
                if page.get("Name") != bucket:
                    raise TargetError(
                        f"{self.where}: the answer to listing the bucket is not its listing (it names no bucket "
                        f"{bucket!r}); nothing was deployed. Check the endpoint: a proxy or gateway may have answered"
                    )
                for item in page.get("Contents", ()):
                    found[item["Key"][len(prefix) :]] = RemoteFile(item["ETag"].strip('"'), item["Size"])
            return found

    def send(self, deployment: Deployment, plan: DeployPlan, sent: Sent) -> None:
        bucket, prefix = self.settings["bucket"], self.settings["prefix"]
        with self._errors():
            client = self._client()
            for file in plan.upload:
                self._upload(client, bucket, prefix, deployment, file)
                sent.uploaded.append(file.path)
            for start in range(0, len(plan.delete), DELETE_BATCH):
                batch = plan.delete[start : start + DELETE_BATCH]
                answer = client.delete_objects(
                    Bucket=bucket, Delete={"Objects": [{"Key": prefix + path} for path in batch], "Quiet": True}
                )
                failed = {error["Key"] for error in answer.get("Errors", ())}  # quiet: the others were deleted
                sent.deleted += [path for path in batch if prefix + path not in failed]
                if failed:
                    error = answer["Errors"][0]
                    raise TargetError(
                        f"{self.where}: cannot delete {error['Key']}: {error.get('Message', error['Code'])}."
                    )

    @contextmanager
    def _errors(self):
        """S3's and the network's errors as one TargetError line naming the bucket, never a secret."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            yield
        except ClientError as error:
            details = error.response.get("Error", {})
            raise TargetError(
                f"{self.where}: {details.get('Code', 'error')}: {details.get('Message', '')}".rstrip(": ")
                + _hint(details.get("Code", ""))
            ) from None
        except BotoCoreError as error:
            raise TargetError(f"{self.where}: {error}") from None

    @staticmethod
    def _upload(client, bucket: str, prefix: str, deployment: Deployment, file: OutputFile) -> None:
        client.put_object(
            Bucket=bucket,
            Key=prefix + file.path,
            Body=verified_bytes(deployment.output, file, f"s3://{bucket}/{prefix}"),
            ContentType=file.content_type,
            CacheControl=file.cache_control,
            Metadata={"sha256": file.sha256},
        )


def _hint(code: str) -> str:
    if code in ("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"):
        return " (check the target's credentials: the variables named in NEWSROOM_PUBLISH, or AWS_* variables)"
    if code == "NoSuchBucket":
        return " (expected an existing bucket: create it, or fix NEWSROOM_PUBLISH bucket)"
    return ""
