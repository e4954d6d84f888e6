"""Generate the Python SDK for specs/ecommerce.yaml, pip-install it, type-check it and run it against
the live test server (tests/sdk_server.py)."""
from __future__ import annotations

import asyncio
import datetime
import importlib
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ECOMMERCE, run_apictl
from tests.sdk_server import ACCESS_KEY, API_KEY, CUSTOMER_ID, SECRET_KEY, SESSION_TOKEN, TOKEN, start_server

pytestmark = pytest.mark.e2e
PACKAGE = "shop_client"


@pytest.fixture(scope="module")
def sdk_dir(tmp_path_factory) -> Path:
    pytest.importorskip("httpx")
    out = tmp_path_factory.mktemp("sdk") / "python"
    result = run_apictl("sdk", str(ECOMMERCE), "--lang", "python", "--out", str(out), "--name", PACKAGE)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def sdk(sdk_dir, tmp_path_factory):
    target = tmp_path_factory.mktemp("site")
    result = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                             "--disable-pip-version-check", "--target", str(target), str(sdk_dir)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (target / PACKAGE / "py.typed").is_file()
    sys.path.insert(0, str(target))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(target))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def server():
    with start_server() as srv:
        yield srv


def client(sdk, server, **options):
    defaults = dict(api_key=API_KEY, token=TOKEN, headers={"X-Customer-Id": CUSTOMER_ID},
                    aws_credentials=sdk.AwsCredentials(ACCESS_KEY, SECRET_KEY, SESSION_TOKEN), aws_region="eu-west-1")
    return sdk.Client(server.url, **{**defaults, **options})


def test_generated_package_passes_mypy_strict(sdk_dir):
    if shutil.which("mypy") is None and importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed")
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", PACKAGE],
                            cwd=sdk_dir, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_success_returns_typed_models(sdk, server):
    with client(sdk, server) as c:
        page = c.list_products(limit=2, category="books")
        assert [p.category for p in page.items] == ["books", "books"]
        product = c.get_product("p 1/x")
        assert isinstance(product, sdk.models.Product) and product.id == "p 1/x"
        assert product.created_at if hasattr(product, "created_at") else product.createdAt
        order = c.get_order("o-7")
        assert order.deliveryDate == datetime.date(2024, 3, 1)  # date only: no time-zone shift
        assert order.status == sdk.models.OrderStatus("paid")
    assert server.requests_to("GET", "/products/p%201%2Fx"), "path parameters are percent-encoded"


def test_raw_response_has_status_headers_and_request_id(sdk, server):
    with client(sdk, server) as c:
        raw = c.get_product_raw("p1")
    assert raw.status == 200 and raw.request_id and raw.request_id.startswith("req-")
    assert raw.headers["content-type"] == "application/json" and raw.parsed.id == "p1"


def test_http_errors_are_typed_with_request_id(sdk, server):
    with client(sdk, server) as c:
        with pytest.raises(sdk.ClientError) as info:
            c.get_product("missing")
        assert info.value.status == 404 and info.value.request_id.startswith("req-")
        assert isinstance(info.value.parsed, sdk.models.Error) and info.value.parsed.message == "product not found"
        with pytest.raises(sdk.ServerError) as info:
            c.list_products(category="boom", max_retries=1)
        assert info.value.status == 500 and info.value.headers["x-amz-apigw-id"]
    assert len(server.requests_to("GET", "/products")) >= 2


def test_retries_503_honouring_retry_after(sdk, server):
    with client(sdk, server) as c:
        start = time.monotonic()
        page = c.list_products(category="flaky:py")
        elapsed = time.monotonic() - start
    assert page.items and elapsed >= 0.9, "Retry-After: 1 was honoured"
    assert len([s for s in server.requests_to("GET", "/products") if "flaky%3Apy" in s.query]) == 2


def test_post_is_retried_only_with_an_idempotency_key(sdk, server):
    with client(sdk, server) as c:
        with pytest.raises(sdk.ServerError):
            c.create_product(body={"name": "flaky-post", "price": {"amount": 1, "currency": "EUR"}})
        assert len([s for s in server.requests_to("POST", "/products") if b"flaky-post" in s.body]) == 1
        body = sdk.models.OrderInput.model_validate({
            "shippingAddress": {"name": "A", "line1": "B", "city": "C", "postalCode": "1", "country": "DE"},
            "payment": {"method": "card", "token": "tok"}})
        order = c.place_order(body=body, idempotency_key="flaky-order-1")
        assert order.id == "o-new"
    sent = [s for s in server.requests_to("POST", "/orders") if s.headers.get("idempotency-key") == "flaky-order-1"]
    assert len(sent) == 2 and b'"method":"card"' in sent[-1].body and b"line2" not in sent[-1].body


def test_timeout_per_call(sdk, server):
    with client(sdk, server) as c:
        start = time.monotonic()
        with pytest.raises(sdk.ApiTimeoutError):
            c.list_products(category="slow", timeout=0.3)
        assert time.monotonic() - start < 1.5


def test_api_key_and_bearer_are_checked(sdk, server):
    with client(sdk, server, api_key=None) as c:
        with pytest.raises(sdk.ClientError) as info:
            c.list_products()
        assert info.value.status == 403
    with client(sdk, server, token=lambda: "wrong") as c:
        with pytest.raises(sdk.ClientError) as info:
            c.create_product(body={"name": "x", "price": {"amount": 1, "currency": "EUR"}})
        assert info.value.status == 401
    with client(sdk, server) as c:
        created = c.create_product(body=sdk.models.ProductInput.model_validate(
            {"name": "Mug", "price": {"amount": 3, "currency": "EUR"}}), extra_headers={"X-Trace": "t1"})
        assert created.name == "Mug"
    assert server.requests_to("POST", "/products")[-1].headers["x-trace"] == "t1"


def test_sigv4_signature_is_verified_by_the_server(sdk, server):
    with client(sdk, server) as c:
        assert c.delete_product("p 9") is None
    with client(sdk, server, aws_credentials=sdk.AwsCredentials(ACCESS_KEY, "wrong-secret")) as c:
        with pytest.raises(sdk.ClientError) as info:
            c.delete_product("p9")
        assert info.value.status == 403 and "signature" in str(info.value)


def test_binary_upload(sdk, server):
    with client(sdk, server) as c:
        c.upload_product_image("p1", body=b"\x89PNG\r\n\x1a\n\x00data", content_type="image/png")
    sent = server.requests_to("PUT", "/products/p1/image")[-1]
    assert sent.body == b"\x89PNG\r\n\x1a\n\x00data" and sent.headers["content-type"] == "image/png"


def test_async_client(sdk, server):
    async def run():
        async with sdk.AsyncClient(server.url, api_key=API_KEY, token=TOKEN,
                                   headers={"X-Customer-Id": CUSTOMER_ID}) as c:
            page, cart = await asyncio.gather(c.list_products(), c.get_cart())
            return page, cart

    page, cart = asyncio.run(run())
    assert len(page.items) == 2 and cart.total.amount == 25.0
