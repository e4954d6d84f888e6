"""The four generated SDKs (Python, JS, iOS/Swift, Android/Java) calling `apictl serve` end to end on
127.0.0.1: the e-commerce example with its real handlers on DynamoDB (moto_server), its usage-plan API key,
the dev Cognito keys, the REQUEST authorizer and SigV4 (IAM) for DELETE /products/{productId}.

The catalogue is written with a Cognito token (Authorization: JWT) and the cart/orders with the customer
authorizer's token (Authorization: dev-token), so each SDK uses two clients."""
from __future__ import annotations

import importlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ECOMMERCE, ROOT, run_apictl
from tests.serve_helpers import moto_server, serve

pytestmark = pytest.mark.e2e
pytest.importorskip("moto.server", reason="moto[server] is not installed")
ACCESS_KEY, SECRET_KEY, API_KEY = "AKIDLOCALDEV", "local-dev-secret", "dev-team-local-key"
ADDRESS = {"name": "A", "line1": "B", "city": "C", "postalCode": "1", "country": "DE"}


def mint(**kwargs) -> str:
    sys.path.insert(0, str(ROOT / "specs" / "dev"))
    try:
        from mint_token import mint as _mint
    finally:
        sys.path.pop(0)
    return _mint(**kwargs)


@pytest.fixture(scope="module")
def api():
    with moto_server() as moto:
        with serve("--stage", "dev", "--aws-endpoint", moto, "--no-access-log") as served:
            served.base = served.url.rstrip("/")  # http://127.0.0.1:PORT/dev
            yield served


def generate(lang: str, out: Path, name: str) -> Path:
    result = run_apictl("sdk", str(ECOMMERCE), "--lang", lang, "--out", str(out), "--name", name)
    assert result.returncode == 0, result.stderr
    return out


def test_python_sdk(api, tmp_path):
    out = generate("python", tmp_path / "sdk", "serve_shop")
    target = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                           "--disable-pip-version-check", "--target", str(target), str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    sys.path.insert(0, str(target))
    try:
        sdk = importlib.import_module("serve_shop")
        catalogue = sdk.Client(api.base, api_key=API_KEY, token=mint())
        shopper = sdk.Client(api.base, api_key=API_KEY, token="dev-token", headers={"X-Customer-Id": "py-1"})
        signer = sdk.Client(api.base, aws_credentials=sdk.AwsCredentials(ACCESS_KEY, SECRET_KEY), aws_region="eu-west-1")
        with catalogue, shopper, signer:
            product = catalogue.create_product(body={"name": "Py mug", "price": {"amount": 4.5, "currency": "EUR"},
                                                     "category": "py"})
            assert product.name == "Py mug"
            assert [p.id for p in catalogue.list_products(category="py").items] == [product.id]
            assert catalogue.get_product(product.id).name == "Py mug"  # the API's DynamoDB integration
            with pytest.raises(sdk.ClientError) as info:
                catalogue.get_product("missing-one")
            assert info.value.status == 404 and info.value.request_id
            cart = shopper.add_cart_item(body={"productId": product.id, "quantity": 2})
            assert cart.total.amount == 9.0
            order = shopper.place_order(body={"shippingAddress": ADDRESS, "payment": {"method": "card", "token": "t"}},
                                        idempotency_key="python-order-1")
            assert shopper.get_order(order.id).id == order.id
            assert signer.delete_product(product.id) is None
            bad = sdk.Client(api.base, aws_credentials=sdk.AwsCredentials(ACCESS_KEY, "wrong"), aws_region="eu-west-1")
            with bad, pytest.raises(sdk.ClientError) as info:
                bad.delete_product(product.id)
            assert info.value.status == 403
    finally:
        sys.path.remove(str(target))
        for name in [m for m in sys.modules if m.startswith("serve_shop")]:
            del sys.modules[name]


JS = r"""
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { join } from "node:path";
const { Client, ClientError } = await import(pathToFileURL(join(process.env.SDK_DIR, "index.js")).href);
const baseUrl = process.env.BASE;
const catalogue = new Client({ baseUrl, apiKey: "@API_KEY@", token: process.env.JWT });
const shopper = new Client({ baseUrl, token: "dev-token", headers: { "X-Customer-Id": "js-1" } });
const signer = new Client({ baseUrl, awsRegion: "eu-west-1",
  awsCredentials: { accessKeyId: "@ACCESS_KEY@", secretAccessKey: "@SECRET_KEY@" } });
const product = await catalogue.createProduct({ body: { name: "JS mug", price: { amount: 3, currency: "USD" }, category: "js" } });
const page = await catalogue.listProducts({ category: "js" });
assert.deepEqual(page.items.map((p) => p.id), [product.id]);
assert.equal((await catalogue.getProduct({ productId: product.id })).name, "JS mug");
await assert.rejects(catalogue.getProduct({ productId: "missing-one" }), (e) => e instanceof ClientError && e.status === 404);
const cart = await shopper.addCartItem({ body: { productId: product.id, quantity: 3 } });
assert.equal(cart.total.amount, 9);
const order = await shopper.placeOrder({ idempotencyKey: "js-order-0001", body: {
  shippingAddress: { name: "A", line1: "B", city: "C", postalCode: "1", country: "DE" }, payment: { method: "card", token: "t" } } });
assert.equal((await shopper.getOrder({ orderId: order.id })).id, order.id);
const raw = await signer.deleteProductRaw({ productId: product.id });
assert.equal(raw.status, 204);
console.log("JS SDK OK");
"""


def test_js_sdk(api, tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    out = generate("js", tmp_path / "sdk", "@shop/serve-client")
    script = tmp_path / "run.mjs"
    script.write_text(JS.replace("@API_KEY@", API_KEY).replace("@ACCESS_KEY@", ACCESS_KEY)
                      .replace("@SECRET_KEY@", SECRET_KEY), encoding="utf-8")
    run = subprocess.run([node, str(script)], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "SDK_DIR": str(out), "BASE": api.base, "JWT": mint()})
    assert run.returncode == 0 and "JS SDK OK" in run.stdout, run.stdout + run.stderr


SWIFT = r"""
import Foundation
import XCTest
import ServeShop

final class ServeTests: XCTestCase {
    let base = URL(string: ProcessInfo.processInfo.environment["APICTL_SERVE_URL"]!)!
    let jwt = ProcessInfo.processInfo.environment["APICTL_JWT"]!

    func testCatalogueCartOrdersAndSigV4() async throws {
        let catalogue = Client(configuration: Configuration(baseURL: base, apiKey: "@API_KEY@", token: jwt))
        let shopper = Client(configuration: Configuration(baseURL: base, token: "dev-token", headers: ["X-Customer-Id": "ios-1"]))
        let product = try await catalogue.createProduct(body: ProductInput(name: "Swift mug", price: Money(amount: 2, currency: .gbp), category: "ios"))
        let page = try await catalogue.listProducts(category: "ios")
        XCTAssertEqual(page.items.map { $0.id }, [product.id])
        let one = try await catalogue.getProduct(productId: product.id)
        XCTAssertEqual(one.name, "Swift mug")
        do {
            _ = try await catalogue.getProduct(productId: "missing-one")
            XCTFail("expected 404")
        } catch let ApiError.http(error) {
            XCTAssertEqual(error.status, 404)
        }
        let cart = try await shopper.addCartItem(body: CartItemInput(productId: product.id, quantity: 2))
        XCTAssertEqual(cart.total.amount, 4)
        let address = Address(name: "A", line1: "B", city: "C", postalCode: "1", country: "DE")
        let order = try await shopper.placeOrder(body: OrderInput(shippingAddress: address,
            payment: .cardPayment(CardPayment(method: .card, token: "t"))), idempotencyKey: "ios-order-0001")
        let again = try await shopper.getOrder(orderId: order.id)
        XCTAssertEqual(again.id, order.id)
        var signed = Configuration(baseURL: base)
        signed.awsCredentials = AwsCredentials(accessKeyId: "@ACCESS_KEY@", secretAccessKey: "@SECRET_KEY@")
        signed.awsRegion = "eu-west-1"
        let deleted = try await Client(configuration: signed).deleteProductWithResponse(productId: product.id)
        XCTAssertEqual(deleted.status, 204)
    }
}
"""


def test_ios_sdk(api, tmp_path):
    swift = shutil.which("swift") or ("/opt/swift/usr/bin/swift" if Path("/opt/swift/usr/bin/swift").is_file() else None)
    if swift is None:
        pytest.skip("swift is not installed")
    out = generate("ios", tmp_path / "sdk", "ServeShop")
    tests = out / "Tests" / "ServeShopTests"
    for old in tests.glob("*.swift"):  # only the live test: the package's own runtime tests run elsewhere
        old.unlink()
    (tests / "ServeTests.swift").write_text(SWIFT.replace("@API_KEY@", API_KEY).replace("@ACCESS_KEY@", ACCESS_KEY)
                                            .replace("@SECRET_KEY@", SECRET_KEY), encoding="utf-8")
    env = {**os.environ, "APICTL_SERVE_URL": api.base, "APICTL_JWT": mint(),
           "PATH": os.pathsep.join([str(Path(swift).parent), os.environ.get("PATH", "")])}
    run = subprocess.run([swift, "test", "--build-path", str(tmp_path / "build")], cwd=out, capture_output=True,
                         text=True, timeout=900, env=env)
    assert run.returncode == 0, (run.stdout + run.stderr)[-5000:]
    assert re.search(r"Test Case '[^']*testCatalogueCartOrdersAndSigV4[^']*' passed", run.stdout + run.stderr)


JAVA = r"""
package com.example.serveshop;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import com.example.serveshop.model.*;
import org.junit.Test;

public class ServeTest {
    static final String BASE = System.getenv("APICTL_SERVE_URL");

    @Test
    public void catalogueCartOrdersAndSigV4() throws Exception {
        ApiClient catalogue = new ApiClient(new Configuration().baseUrl(BASE).apiKey("@API_KEY@").token(System.getenv("APICTL_JWT")));
        ApiClient shopper = new ApiClient(new Configuration().baseUrl(BASE).token("dev-token").header("X-Customer-Id", "java-1"));
        Product product = catalogue.createProduct(new ProductInput().setName("Java mug").setCategory("java")
                .setPrice(new Money().setAmount(5.0).setCurrency(MoneyCurrency.EUR)));
        assertEquals(product.getId(), catalogue.listProducts(null, null, "java").getItems().get(0).getId());
        assertEquals("Java mug", catalogue.getProduct(product.getId()).getName());
        try {
            catalogue.getProduct("missing-one");
            fail("expected 404");
        } catch (ApiException.Http e) {
            assertEquals(404, e.getStatus());
        }
        Cart cart = shopper.addCartItem(new CartItemInput().setProductId(product.getId()).setQuantity(2L));
        assertEquals(10.0, cart.getTotal().getAmount(), 0.001);
        Address address = new Address().setName("A").setLine1("B").setCity("C").setPostalCode("1").setCountry("DE");
        Order order = shopper.placeOrder(new OrderInput().setShippingAddress(address).setPayment(
                PaymentMethod.ofCardPayment(new CardPayment().setMethod(CardPaymentMethod.CARD).setToken("t"))), "java-order-0001");
        assertEquals(order.getId(), shopper.getOrder(order.getId()).getId());
        ApiClient signer = new ApiClient(new Configuration().baseUrl(BASE).awsRegion("eu-west-1")
                .awsCredentials(new AwsCredentials("@ACCESS_KEY@", "@SECRET_KEY@")));
        assertEquals(204, signer.deleteProductWithResponse(product.getId(), null).getStatus());
    }
}
"""


def test_android_sdk(api, tmp_path):
    from tests.test_sdk_android_e2e import java_classpath

    classpath = java_classpath()
    out = generate("android", tmp_path / "sdk", "com.example.serveshop")
    test_dir = out / "src" / "test" / "java" / "com" / "example" / "serveshop"
    test_dir.mkdir(parents=True, exist_ok=True)
    (test_dir / "ServeTest.java").write_text(JAVA.replace("@API_KEY@", API_KEY).replace("@ACCESS_KEY@", ACCESS_KEY)
                                             .replace("@SECRET_KEY@", SECRET_KEY), encoding="utf-8")
    classes = tmp_path / "classes"
    sources = [str(p) for p in sorted((out / "src" / "main").rglob("*.java"))] + [str(test_dir / "ServeTest.java")]
    compiled = subprocess.run(["javac", "--release", "8", "-Xlint:-options", "-encoding", "UTF-8", "-d", str(classes),
                               "-cp", classpath, *sources], capture_output=True, text=True, timeout=600)
    assert compiled.returncode == 0, compiled.stderr[-5000:]
    run = subprocess.run(["java", "-cp", os.pathsep.join([str(classes), classpath]), "org.junit.runner.JUnitCore",
                          "com.example.serveshop.ServeTest"], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "APICTL_SERVE_URL": api.base, "APICTL_JWT": mint()})
    assert run.returncode == 0 and "OK (1 test)" in run.stdout, (run.stdout + run.stderr)[-5000:]
