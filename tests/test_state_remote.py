"""Remote state as terraform keeps it: an S3 object, locked by a DynamoDB item (conditional writes),
with the MD5 of the last write beside the lock. Against moto_server on 127.0.0.1 (S3, DynamoDB and
API Gateway from one server)."""
from __future__ import annotations

import hashlib
import json
import re

import pytest

from apictl.plan.state.lock import LockInfo
from aws_fault_proxy import FAULTS, FaultProxy
from conftest import run_apictl
from moto_helpers import CREDENTIALS, assert_exactly_the_plan, client, moto_server, reset
from plan_project import make_project

pytestmark = pytest.mark.e2e
pytest.importorskip("boto3", reason="boto3 is not installed (pip install 'apictl[deploy]')")
pytest.importorskip("moto.server", reason="moto[server] is not installed")

STATE = "s3://team-states/apictl/dev.json"


@pytest.fixture(scope="module")
def moto():
    with moto_server() as url:
        yield url


def _empty_account_with_bucket_and_table(moto: str) -> None:
    reset(moto)
    client(moto, "s3").create_bucket(Bucket="team-states",
                                     CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    client(moto, "dynamodb").create_table(
        TableName="apictl-locks", BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}])


@pytest.fixture
def aws(moto):
    """An empty account with the bucket and the lock table a team would create once."""
    _empty_account_with_bucket_and_table(moto)
    env = {**CREDENTIALS, "AWS_ENDPOINT_URL_S3": moto, "AWS_ENDPOINT_URL_DYNAMODB": moto}
    return moto, env


def _apictl(project, env, *args):
    return run_apictl(*args, cwd=project, env=env)


def _deploy(project, aws, *more):
    url, env = aws
    return _apictl(project, env, "deploy", "--stage", "dev", "--endpoint-url", url, "--state", STATE,
                   "--lock-table", "apictl-locks", *more)


def _object(url) -> str:
    return client(url, "s3").get_object(Bucket="team-states", Key="apictl/dev.json")["Body"].read().decode()


def test_deploy_with_remote_state_then_plan_reads_it(tmp_path, aws):
    url, env = aws
    project = make_project(tmp_path)
    result = _deploy(project, aws)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"State: {STATE} (locked; 0 resources recorded)")
    state = tmp_path / "copy.json"
    state.write_text(_object(url))
    assert_exactly_the_plan(url, state, ("dev-team",), ("developers",))
    table = client(url, "dynamodb")
    items = {i["LockID"]["S"]: i for i in table.scan(TableName="apictl-locks")["Items"]}
    assert set(items) == {"team-states/apictl/dev.json-md5"}  # the lock is gone, the digest stays
    assert items["team-states/apictl/dev.json-md5"]["Digest"]["S"] == hashlib.md5(state.read_bytes()).hexdigest()
    plan = _apictl(project, env, "plan", "--stage", "dev", "--state", STATE, "--lock-table", "apictl-locks",
                   "--refresh", "--endpoint-url", url, "--detailed-exitcode")
    assert plan.returncode == 0, plan.stdout + plan.stderr
    assert f"State: {STATE} (12 resources recorded)" in plan.stdout


def test_a_held_lock_refuses_names_its_holder_and_force_unlock_releases_it(tmp_path, aws):
    url, env = aws
    project = make_project(tmp_path)
    holder = LockInfo(id="3f0c6f1e-0000-4000-8000-000000000001", operation="deploy", who="ci@runner-7", pid=4242,
                      created="2025-01-02T03:04:05Z", path=STATE)
    client(url, "dynamodb").put_item(TableName="apictl-locks", Item={
        "LockID": {"S": "team-states/apictl/dev.json"}, "Info": {"S": holder.to_json()}})  # a killed deploy's lock
    refused = _deploy(project, aws)
    assert refused.returncode == 2
    assert refused.stderr == (
        f"{STATE}: error: state is locked by pid 4242 since 2025-01-02T03:04:05Z (apictl deploy by ci@runner-7, "
        f"lock id {holder.id}); wait for it with --lock-timeout DURATION (e.g. 5m); if that process is gone, "
        "`apictl force-unlock LOCK_ID` releases it\n")
    assert client(url).get_rest_apis()["items"] == []  # refused before any API Gateway call
    waited = _deploy(project, aws, "--lock-timeout", "1s")
    assert waited.returncode == 2 and "still locked after waiting 1s" in waited.stderr

    wrong = _apictl(project, env, "force-unlock", "not-the-id", "--state", STATE, "--lock-table", "apictl-locks")
    assert wrong.returncode == 2
    assert "is locked by pid 4242" in wrong.stderr and "not by lock not-the-id" in wrong.stderr
    released = _apictl(project, env, "force-unlock", holder.id, "--state", STATE, "--lock-table", "apictl-locks")
    assert released.returncode == 0, released.stderr
    assert f"released lock {holder.id} of {STATE}" in released.stderr
    assert _deploy(project, aws).returncode == 0

    local = _apictl(project, env, "force-unlock", "x", "--state", "dev.json")
    assert local.returncode == 2 and "locked with an OS lock that ends with its process" in local.stderr


def test_two_remote_deploys_at_once_never_duplicate(tmp_path, aws):
    url, env = aws
    project = make_project(tmp_path)
    import os
    import subprocess
    import sys

    from conftest import ROOT

    full = {**os.environ, **env, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    runs = [subprocess.Popen([sys.executable, "-m", "apictl", "deploy", "--stage", "dev", "--endpoint-url", url,
                              "--state", STATE, "--lock-table", "apictl-locks"], cwd=project, env=full,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(r.wait(timeout=300), r.stdout.read(), r.stderr.read()) for r in runs]
    codes = sorted(code for code, _, _ in results)
    assert codes in ([0, 0], [0, 2]), results
    for code, _, err in results:
        if code == 2:
            assert re.search(r"error: state is locked by pid \d+ since", err), err
    state = tmp_path / "copy.json"
    state.write_text(_object(url))
    assert_exactly_the_plan(url, state, ("dev-team",), ("developers",))


def test_a_state_object_that_does_not_match_its_digest_is_refused(tmp_path, aws):
    url, env = aws
    project = make_project(tmp_path)
    assert _deploy(project, aws).returncode == 0
    edited = json.loads(_object(url))
    edited["resources"].pop("Stage")
    client(url, "s3").put_object(Bucket="team-states", Key="apictl/dev.json", Body=json.dumps(edited).encode())
    refused = _apictl(project, env, "plan", "--stage", "dev", "--state", STATE, "--lock-table", "apictl-locks")
    assert refused.returncode == 2
    assert f"{STATE}: error: the state object does not have the content its digest in DynamoDB table apictl-locks " \
           "says (expected MD5 " in refused.stderr


def test_remote_state_errors_are_one_line(tmp_path, aws):
    url, env = aws
    project = make_project(tmp_path)
    no_table = _apictl(project, env, "deploy", "--stage", "dev", "--endpoint-url", url, "--state", STATE)
    assert no_table.returncode == 2 and "a remote state is written under a lock: give --lock-table TABLE" \
        in no_table.stderr
    bad_url = _apictl(project, env, "plan", "--stage", "dev", "--state", "s3://only-a-bucket")
    assert bad_url.returncode == 2 and "a remote state is s3://BUCKET/KEY" in bad_url.stderr
    no_bucket = _apictl(project, env, "deploy", "--stage", "dev", "--endpoint-url", url, "--state",
                        "s3://missing-bucket/dev.json", "--lock-table", "apictl-locks")
    assert no_bucket.returncode == 2 and "s3://missing-bucket/dev.json: error: cannot read the remote state: " \
        "NoSuchBucket" in no_bucket.stderr, no_bucket.stderr
    assert "Traceback" not in no_bucket.stderr
    table_for_local = _apictl(project, env, "plan", "--stage", "dev", "--state", "dev.json", "--lock-table", "t")
    assert table_for_local.returncode == 2 and "--lock-table is for remote state" in table_for_local.stderr


def _state_calls_to_spoil(calls: list[str]) -> list[int]:
    """The first call of each kind the remote state makes (the lock put, digest read, state read,
    state put, digest put, lock delete: a kind is a call and the one before it, since the lock put and
    the digest put are both PutItem) and the last state put: each kind fails once."""
    chosen: dict[tuple[str, str | None], int] = {}
    for index, call in enumerate(calls):
        chosen.setdefault((call, calls[index - 1] if index else None), index)
    last_put = max((i for i, c in enumerate(calls) if c.startswith("PUT ")), default=None)
    return sorted(set(chosen.values()) | ({last_put} if last_put is not None else set()))


def _conditional_writes(calls: list[str]) -> list[int]:
    """The lock put and the lock delete: conditional writes, whose retry after a lost answer finds
    its own work done (the subset CI runs; the other kinds are plain idempotent reads and puts)."""
    return [index for index in _state_calls_to_spoil(calls)
            if calls[index].endswith(".DeleteItem") or (calls[index].endswith(".PutItem") and index == 0)]


def test_each_conditional_write_of_the_remote_lock_fails_once_and_nothing_is_left_locked(tmp_path, aws):
    """S3 and DynamoDB behind the fault-injecting proxy: the lock put and the lock delete lose their
    answer, get a 500, or never arrive; the deploy copes or fails cleanly; after a rerun the account
    holds exactly the plan, the object is that state, its digest matches and no lock is left."""
    _remote_fault_matrix(tmp_path, aws, _conditional_writes)


@pytest.mark.full_fault_matrix
def test_every_kind_of_remote_state_call_fails_once_and_nothing_is_lost_or_left_locked(tmp_path, aws):
    """The same for every kind of call the remote state makes (``pytest -m full_fault_matrix``)."""
    _remote_fault_matrix(tmp_path, aws, _state_calls_to_spoil)


def _remote_fault_matrix(tmp_path, aws, spoil) -> None:
    url, env = aws
    project = make_project(tmp_path)
    proxy = FaultProxy(url)
    proxied = {**env, "AWS_ENDPOINT_URL_S3": proxy.url, "AWS_ENDPOINT_URL_DYNAMODB": proxy.url}

    def run():
        return _apictl(project, proxied, "deploy", "--stage", "dev", "--endpoint-url", url, "--state", STATE,
                       "--lock-table", "apictl-locks")

    try:
        proxy.arm()
        clean = run()
        assert clean.returncode == 0, clean.stdout + clean.stderr
        calls = list(proxy.calls)
        assert any(c.endswith(".PutItem") for c in calls) and any(c.startswith("PUT /team-states/") for c in calls)
        failures, results = [], {}
        for index in spoil(calls):
            for fault in FAULTS:
                _empty_account_with_bucket_and_table(url)
                proxy.arm(index, fault)
                faulty = run()
                fired = proxy.fired
                proxy.disarm()
                try:
                    assert fired, f"call {index} ({calls[index]}) was not made"
                    assert "Traceback" not in faulty.stderr, faulty.stderr
                    assert faulty.returncode in (0, 1, 2), faulty.stdout + faulty.stderr
                    rerun = run()
                    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
                    state = tmp_path / "copy.json"
                    state.write_text(_object(url))
                    assert_exactly_the_plan(url, state, ("dev-team",), ("developers",))
                    items = {i["LockID"]["S"]: i for i in client(url, "dynamodb").scan(
                        TableName="apictl-locks")["Items"]}
                    assert set(items) == {"team-states/apictl/dev.json-md5"}, items  # no lock left behind
                    assert items["team-states/apictl/dev.json-md5"]["Digest"]["S"] == \
                        hashlib.md5(state.read_bytes()).hexdigest()
                    results[index, fault] = f"ok/{faulty.returncode}"
                except AssertionError as exc:
                    results[index, fault] = f"FAIL/{faulty.returncode}"
                    failures.append(f"call {index} {calls[index]} / {fault}: {str(exc)[:1500]}")
    finally:
        proxy.close()
    print(f"\nremote state fault matrix ({len(calls)} S3/DynamoDB calls in a clean deploy, "
          f"{len(spoil(calls))} spoiled x {len(FAULTS)} faults)")
    for index in spoil(calls):
        print(f"{index:>3} {calls[index]:<45} " + " ".join(f"{results.get((index, f), '-'):>8}" for f in FAULTS))
    print(f"passed {len(results) - len(failures)} of {len(results)}")
    assert not failures, "\n\n".join(failures)
