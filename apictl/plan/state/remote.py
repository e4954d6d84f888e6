"""Remote state, terraform's S3 backend model: the state is an S3 object, a DynamoDB item locks it.

- ``--state s3://BUCKET/KEY``: the state object (a whole-object PUT is atomic: readers get the old
  or the new state, never a mix).
- ``--lock-table TABLE``: a DynamoDB table whose partition key is the string ``LockID``. Taking the
  lock is a conditional put of the item ``LockID = "BUCKET/KEY"`` (``attribute_not_exists``), with
  who holds it in ``Info``; releasing it is a delete conditional on that ``Info``. A second writer
  is refused (or waits, ``--lock-timeout``) and is told who holds the lock since when.
- The same table keeps ``LockID = "BUCKET/KEY-md5"`` with the MD5 of the last state written: a read
  that returns other bytes (an older object version) is refused rather than planned against.
- ``apictl force-unlock LOCK_ID`` deletes a lock left by a killed process (only that lock).

S3 and DynamoDB use the usual AWS configuration; ``AWS_ENDPOINT_URL_S3`` and
``AWS_ENDPOINT_URL_DYNAMODB`` point them elsewhere (a local moto_server in the tests).
"""
from __future__ import annotations

import hashlib
import time
from contextlib import contextmanager
from typing import Any, Iterator

from ...source.errors import InputError
from ..aws import aws_errors, describe, error_code, resolve_region
from .lock import POLL_SECONDS, LockInfo, locked_error

DIGEST_READ_ATTEMPTS = 8  # reads (0.1 s, 0.2 s, ... apart) before a state unlike its digest is refused


class S3Store:
    def __init__(self, bucket: str, key: str, lock_table: str | None, region: str | None):
        self.bucket, self.key, self.lock_table = bucket, key, lock_table
        self.label = f"s3://{bucket}/{key}"
        self.lock_id = f"{bucket}/{key}"
        self._region = region
        self._s3: Any = None
        self._dynamodb: Any = None

    @classmethod
    def from_url(cls, url: str, lock_table: str | None, region: str | None) -> "S3Store":
        bucket, _, key = url[len("s3://"):].partition("/")
        if not bucket or not key or key.endswith("/"):
            raise InputError(f"a remote state is s3://BUCKET/KEY (an object, e.g. s3://my-bucket/apictl/prod.json), "
                             f"not '{url}'")
        return cls(bucket, key, lock_table, region)

    # -- clients ------------------------------------------------------------------------------
    def _client(self, service: str) -> Any:
        from .. import aws

        boto3 = aws.need_boto3()
        from botocore.config import Config

        return boto3.session.Session().client(service, region_name=resolve_region(self._region), config=Config(
            retries=aws.read_retries(), connect_timeout=aws.CONNECT_TIMEOUT, read_timeout=aws.READ_TIMEOUT))

    @property
    def s3(self) -> Any:
        if self._s3 is None:
            self._s3 = self._client("s3")
        return self._s3

    @property
    def dynamodb(self) -> Any:
        if self._dynamodb is None:
            self._dynamodb = self._client("dynamodb")
        return self._dynamodb

    def _fail(self, doing: str, exc: BaseException) -> InputError:
        return InputError(f"cannot {doing} the remote state: {describe(exc)}", self.label)

    # -- state --------------------------------------------------------------------------------
    def read_text(self) -> str | None:
        expected = self._digest() if self.lock_table else None
        for attempt in range(DIGEST_READ_ATTEMPTS):
            try:
                body = self.s3.get_object(Bucket=self.bucket, Key=self.key)["Body"].read()
            except aws_errors() as exc:
                if error_code(exc) in ("NoSuchKey", "404"):
                    body = None
                else:
                    raise self._fail("read", exc) from None
            digest = hashlib.md5(body).hexdigest() if body is not None else None
            if expected is None or digest == expected:
                break
            time.sleep(0.1 * (attempt + 1))
        else:
            raise InputError(f"the state object does not have the content its digest in DynamoDB table "
                             f"{self.lock_table} says (expected MD5 {expected}, got {digest or 'no object'}): S3 may "
                             "not serve the last write yet, try again in a minute; if the object was changed by "
                             f"hand, set the Digest of item '{self.lock_id}-md5' to {digest}", self.label)
        if body is None:
            return None
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError("the remote state is not UTF-8 text", self.label) from None

    def write_text(self, text: str) -> None:
        data = text.encode("utf-8")
        try:
            self.s3.put_object(Bucket=self.bucket, Key=self.key, Body=data, ContentType="application/json")
            if self.lock_table:
                self.dynamodb.put_item(TableName=self.lock_table, Item={
                    "LockID": {"S": f"{self.lock_id}-md5"}, "Digest": {"S": hashlib.md5(data).hexdigest()}})
        except aws_errors() as exc:
            raise self._fail("write", exc) from None

    def _digest(self) -> str | None:
        try:
            item = self.dynamodb.get_item(TableName=self.lock_table, Key={"LockID": {"S": f"{self.lock_id}-md5"}},
                                          ConsistentRead=True).get("Item")
        except aws_errors() as exc:
            raise self._fail("read the digest of", exc) from None
        return item["Digest"]["S"] if item and "Digest" in item else None

    # -- lock ---------------------------------------------------------------------------------
    @contextmanager
    def lock(self, operation: str, timeout: float) -> Iterator[LockInfo]:
        if not self.lock_table:
            raise InputError("a remote state is written under a lock: give --lock-table TABLE (a DynamoDB table "
                             "with the string partition key LockID)", self.label)
        info = LockInfo.new(operation, self.label)
        self._acquire(info, timeout)
        try:
            yield info
        finally:
            self._release(info)

    def _acquire(self, info: LockInfo, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.dynamodb.put_item(TableName=self.lock_table,
                                       Item={"LockID": {"S": self.lock_id}, "Info": {"S": info.to_json()}},
                                       ConditionExpression="attribute_not_exists(LockID)")
                return
            except aws_errors() as exc:
                if error_code(exc) != "ConditionalCheckFailedException":
                    raise self._fail("lock", exc) from None
            holder = self.holder()
            if holder is not None and holder.id == info.id:
                return  # our own put, whose answer was lost and retried
            if time.monotonic() >= deadline:
                raise locked_error(self.label, holder, timeout, remote=True)
            time.sleep(max(POLL_SECONDS, 0.5))

    def holder(self) -> LockInfo | None:
        try:
            item = self.dynamodb.get_item(TableName=self.lock_table, Key={"LockID": {"S": self.lock_id}},
                                          ConsistentRead=True).get("Item")
        except aws_errors() as exc:
            raise self._fail("read the lock of", exc) from None
        return LockInfo.from_json(item["Info"]["S"]) if item and "Info" in item else None

    def _release(self, info: LockInfo) -> None:
        try:
            self._delete_lock(info.to_json())
        except aws_errors():
            pass  # released by `apictl force-unlock` (or lost): nothing left to do here

    def _delete_lock(self, info_json: str) -> None:
        self.dynamodb.delete_item(TableName=self.lock_table, Key={"LockID": {"S": self.lock_id}},
                                  ConditionExpression="#info = :info", ExpressionAttributeNames={"#info": "Info"},
                                  ExpressionAttributeValues={":info": {"S": info_json}})

    def force_unlock(self, lock_id: str) -> None:
        if not self.lock_table:
            raise InputError("force-unlock needs --lock-table TABLE (where the lock is)", self.label)
        try:
            item = self.dynamodb.get_item(TableName=self.lock_table, Key={"LockID": {"S": self.lock_id}},
                                          ConsistentRead=True).get("Item")
        except aws_errors() as exc:
            raise self._fail("read the lock of", exc) from None
        holder = LockInfo.from_json(item["Info"]["S"]) if item and "Info" in item else None
        if holder is None:
            raise InputError("the state is not locked", self.label)
        if holder.id != lock_id:
            raise InputError(f"the state is locked by {holder.describe()}, not by lock {lock_id}", self.label)
        try:
            self._delete_lock(item["Info"]["S"])
        except aws_errors() as exc:
            raise self._fail("unlock", exc) from None
