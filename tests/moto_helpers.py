"""moto_server for the deploy tests: started on 127.0.0.1 at a free port (through the shim that works
around moto's bugs), reset between cases, and read back with boto3 to check what the account holds."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from conftest import run_apictl

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "eu-west-1",
               "AWS_SESSION_TOKEN": "testing"}
SHIM = Path(__file__).with_name("moto_server_shim.py")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"nothing listens on 127.0.0.1:{port}")


@contextmanager
def moto_server() -> Iterator[str]:
    """The URL of a fresh moto_server on 127.0.0.1 (stopped on exit)."""
    port = free_port()
    server = subprocess.Popen([sys.executable, str(SHIM), "127.0.0.1", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port)
        url = f"http://127.0.0.1:{port}"
        client(url).get_rest_apis()  # moto loads a backend on its first call: pay for it here
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def reset(url: str) -> None:
    """Empty every moto backend (between the cases of a matrix)."""
    urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"), timeout=30).read()


def client(url: str, service: str = "apigateway"):
    import boto3

    return boto3.client(service, endpoint_url=url, region_name="eu-west-1", aws_access_key_id="testing",
                        aws_secret_access_key="testing")


def deploy(project: Path, url: str, stage: str, *more: str, check: bool = True):
    result = run_apictl("deploy", "--stage", stage, "--endpoint-url", url, *more, cwd=project, env=CREDENTIALS)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def account(url: str) -> dict:
    """Everything the REST side of the account holds, by kind: [(name, id), ...] plus links."""
    api = client(url)
    out: dict = {"apis": [(a["name"], a["id"]) for a in api.get_rest_apis(limit=500)["items"]]}
    out["stages"] = [(a_id, s["stageName"]) for _, a_id in out["apis"]
                     for s in api.get_stages(restApiId=a_id)["item"]]
    out["deployments"] = [(a_id, d["id"]) for _, a_id in out["apis"]
                          for d in api.get_deployments(restApiId=a_id, limit=500)["items"]]
    out["plans"] = [(p["name"], p["id"]) for p in api.get_usage_plans(limit=500)["items"]]
    out["plan_stages"] = {p["id"]: sorted((s["apiId"], s["stage"]) for s in p.get("apiStages") or [])
                          for p in api.get_usage_plans(limit=500)["items"]}
    out["keys"] = [(k["name"], k["id"]) for k in api.get_api_keys(limit=500)["items"]]
    out["links"] = sorted((p_id, k["id"]) for _, p_id in out["plans"]
                          for k in api.get_usage_plan_keys(usagePlanId=p_id)["items"])
    out["domains"] = [d["domainName"] for d in api.get_domain_names()["items"]]
    out["mappings"] = sorted((d, m.get("basePath"), m["restApiId"], m["stage"]) for d in out["domains"]
                             for m in api.get_base_path_mappings(domainName=d).get("items") or [])
    return out


def state_ids(state: Path) -> dict[str, str]:
    data = json.loads(state.read_text(encoding="utf-8"))
    return {a: r["physical_id"] for a, r in data["resources"].items() if r.get("physical_id")}


def assert_exactly_the_plan(url: str, state: Path, keys: tuple[str, ...], plans: tuple[str, ...],
                            domain: str | None = None) -> dict:
    """The account holds one copy of each planned resource, and the state names exactly those."""
    acc = account(url)
    assert len(acc["apis"]) == 1, acc["apis"]
    api_id = acc["apis"][0][1]
    assert [s for s in acc["stages"]] == [(api_id, state_stage(state))], acc["stages"]
    assert len(acc["deployments"]) == 1, acc["deployments"]
    assert sorted(n for n, _ in acc["plans"]) == sorted(plans), acc["plans"]
    assert sorted(n for n, _ in acc["keys"]) == sorted(keys), acc["keys"]
    for _, plan_id in acc["plans"]:
        assert acc["plan_stages"][plan_id] == [(api_id, state_stage(state))], acc["plan_stages"]
    assert len(acc["links"]) == len(set(acc["links"])) == len(keys), acc["links"]
    ids = state_ids(state)
    assert ids["RestApi"] == api_id
    assert ids["Deployment"] == acc["deployments"][0][1]
    assert {v for a, v in ids.items() if a.startswith("UsagePlan") and not a.startswith("UsagePlanKey")} == {
        i for _, i in acc["plans"]}
    assert {v for a, v in ids.items() if a.startswith("ApiKey")} == {i for _, i in acc["keys"]}
    assert {tuple(v.split(":")) for a, v in ids.items() if a.startswith("UsagePlanKey")} == set(acc["links"])
    if domain:
        assert acc["domains"] == [domain] and len(acc["mappings"]) == 1 and acc["mappings"][0][2] == api_id
    data = json.loads(state.read_text(encoding="utf-8"))
    assert not data.get("deposed")
    return acc


def state_stage(state: Path) -> str:
    return json.loads(state.read_text(encoding="utf-8"))["stage"]
