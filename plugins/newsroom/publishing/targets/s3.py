"""S3-compatible object storage (AWS S3, MinIO, Cloudflare R2…) with `aws s3 sync --delete` semantics.

New and changed files are uploaded (compared by MD5, which S3 reports as the ETag of a single-part upload),
files of deleted posts are removed, and each object gets its content type and cache header. Assets go up
before the pages that use them, and deletions come last.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..config import Option
from .common import Deployment, DeployReport, OutputFile, Target, TargetError, is_private, upload_order

BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
DELETE_BATCH = 1000  # S3's limit per DeleteObjects request


class S3Target(Target):
    type_name = "s3"
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

    def deploy(self, deployment: Deployment) -> DeployReport:
        from botocore.exceptions import BotoCoreError, ClientError

        bucket, prefix = self.settings["bucket"], self.settings["prefix"]
        try:
            client = self._client()
            remote = self._remote_objects(client, bucket, prefix)
            changed = upload_order(f for f in deployment.files if remote.get(f.path) != (f.md5, f.size))
            for file in changed:
                self._upload(client, bucket, prefix, deployment, file)
            wanted = {f.path for f in deployment.files}
            stale = sorted(path for path in remote if path not in wanted and not is_private(path))
            for start in range(0, len(stale), DELETE_BATCH):
                batch = stale[start : start + DELETE_BATCH]
                answer = client.delete_objects(
                    Bucket=bucket, Delete={"Objects": [{"Key": prefix + path} for path in batch], "Quiet": True}
                )
                if answer.get("Errors"):
                    error = answer["Errors"][0]
                    raise TargetError(
                        f"{self.where}: cannot delete {error['Key']}: {error.get('Message', error['Code'])}"
                    )
        except ClientError as error:
            details = error.response.get("Error", {})
            raise TargetError(
                f"{self.where}: {details.get('Code', 'error')}: {details.get('Message', '')}".rstrip(": ")
                + _hint(details.get("Code", ""))
            ) from None
        except BotoCoreError as error:
            raise TargetError(f"{self.where}: {error}") from None
        return DeployReport(
            destination=self.where,
            uploaded=tuple(f.path for f in changed),
            deleted=tuple(stale),
            unchanged=len(deployment.files) - len(changed),
        )

    @staticmethod
    def _remote_objects(client, bucket: str, prefix: str) -> dict[str, tuple[str, int]]:
        """Path under the prefix -> (ETag without quotes, size) for every object there."""
        found = {}
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for item in page.get("Contents", ()):
                found[item["Key"][len(prefix) :]] = (item["ETag"].strip('"'), item["Size"])
        return found

    @staticmethod
    def _upload(client, bucket: str, prefix: str, deployment: Deployment, file: OutputFile) -> None:
        client.put_object(
            Bucket=bucket,
            Key=prefix + file.path,
            Body=(deployment.output / file.path).read_bytes(),
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
