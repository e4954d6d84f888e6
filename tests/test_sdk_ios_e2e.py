"""iOS SDK end to end: generate the Swift package for specs/ecommerce.yaml, `swift build` it, and run XCTest
cases (the package's own runtime tests plus live tests written here) against the shared live test server.

The package is built once per module (``swift test`` with a temporary ``--build-path``); each pytest test then
checks the outcome of the XCTest cases it is about and what the server saw."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ECOMMERCE, run_apictl
from tests.sdk_server import ACCESS_KEY, API_KEY, CUSTOMER_ID, SECRET_KEY, SESSION_TOKEN, TOKEN, start_server

pytestmark = pytest.mark.e2e
MODULE = "ShopKit"


def swift_executable() -> str | None:
    found = shutil.which("swift")
    if found:
        return found
    bundled = Path("/opt/swift/usr/bin/swift")
    return str(bundled) if bundled.is_file() else None


LIVE_TESTS = r'''
import Foundation
import XCTest
import ShopKit

final class LiveServerTests: XCTestCase {
    let base = URL(string: ProcessInfo.processInfo.environment["APICTL_TEST_SERVER"] ?? "http://127.0.0.1:9")!

    func client(_ configure: (inout Configuration) -> Void = { _ in }) -> Client {
        var configuration = Configuration(baseURL: base, apiKey: "@API_KEY@", token: "@TOKEN@",
                                          headers: ["X-Customer-Id": "@CUSTOMER_ID@"])
        configure(&configuration)
        return Client(configuration: configuration)
    }

    func testSuccessDecodesModelsAndRawResponse() async throws {
        let response = try await client().listProductsWithResponse(category: "kitchen")
        XCTAssertEqual(response.status, 200)
        XCTAssertNotNil(response.requestId)
        XCTAssertEqual(response.value.items.count, 2)
        let product = response.value.items[0]
        XCTAssertEqual(product.price.currency, .eur)
        XCTAssertEqual(product.createdAt, Date(timeIntervalSince1970: 1706702400))
        XCTAssertNil(product.description)
        XCTAssertEqual(product.tags ?? [], ["ceramic"])
    }

    func testNotFoundIsATypedErrorWithRequestId() async throws {
        do {
            _ = try await client().getProduct(productId: "missing")
            XCTFail("expected an error")
        } catch let ApiError.http(error) {
            XCTAssertEqual(error.status, 404)
            XCTAssertNotNil(error.requestId)
            XCTAssertEqual((error.model as? ErrorModel)?.message, "product not found")
            XCTAssertEqual(error.message, "product not found")
        }
    }

    func testServerErrorSurfacesAfterRetries() async throws {
        do {
            _ = try await client { $0.maxRetries = 1 }.listProducts(category: "boom")
            XCTFail("expected an error")
        } catch let ApiError.http(error) {
            XCTAssertEqual(error.status, 500)
            XCTAssertTrue(error.isServerError)
        }
    }

    func testRetryAfterIsHonouredFor503() async throws {
        let started = Date()
        let page = try await client().listProducts(category: "flaky:ios")
        XCTAssertEqual(page.items.count, 2)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.9)
    }

    func testPostWithoutIdempotencyKeyIsNotRetried() async throws {
        do {
            _ = try await client().createProduct(body: ProductInput(name: "flaky:ios-post", price: Money(amount: 1, currency: .usd)))
            XCTFail("expected an error")
        } catch let ApiError.http(error) {
            XCTAssertEqual(error.status, 503)
        }
    }

    func testPostWithIdempotencyKeyIsRetriedAndUnionEncodes() async throws {
        let address = Address(name: "A", line1: "B", city: "C", postalCode: "1", country: "DE")
        let order = try await client().placeOrder(
            body: OrderInput(shippingAddress: address, payment: .cardPayment(CardPayment(method: .card, token: "tok"))),
            idempotencyKey: "flaky-ios-order")
        XCTAssertEqual(order.id, "o-new")
        XCTAssertEqual(order.status, .paid)
        XCTAssertEqual(order.deliveryDate, DateOnly(year: 2024, month: 3, day: 1))
    }

    func testPerCallTimeout() async throws {
        do {
            _ = try await client().listProducts(category: "slow", options: RequestOptions(timeout: 0.5, maxRetries: 0))
            XCTFail("expected a timeout")
        } catch ApiError.timeout {
        }
    }

    func testCancellingTheTaskCancelsTheRequest() async throws {
        let c = client()
        let task = Task { try await c.listProducts(category: "slow") }
        try await Task.sleep(nanoseconds: 300_000_000)
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("expected cancellation")
        } catch ApiError.cancelled {
        }
    }

    func testSigV4SignedDeleteIsAcceptedAndABadSecretIsNot() async throws {
        let good = AwsCredentials(accessKeyId: "@ACCESS_KEY@", secretAccessKey: "@SECRET_KEY@",
                                  sessionToken: "@SESSION_TOKEN@")
        let response = try await client { $0.awsCredentials = good; $0.awsRegion = "eu-west-1" }
            .deleteProductWithResponse(productId: "p 1/x")
        XCTAssertEqual(response.status, 204)
        let bad = AwsCredentials(accessKeyId: "@ACCESS_KEY@", secretAccessKey: "wrong")
        do {
            _ = try await client { $0.awsCredentials = bad; $0.awsRegion = "eu-west-1" }.deleteProduct(productId: "p1")
            XCTFail("expected 403")
        } catch let ApiError.http(error) {
            XCTAssertEqual(error.status, 403)
        }
    }

    func testApiKeyIsRequired() async throws {
        do {
            _ = try await client { $0.apiKey = nil }.getProduct(productId: "p1")
            XCTFail("expected 403")
        } catch let ApiError.http(error) {
            XCTAssertEqual(error.status, 403)
        }
    }

    func testRequestAuthorizerCartAndBinaryUpload() async throws {
        let cart = try await client().getCart()
        XCTAssertEqual(cart.total.amount, 25)
        XCTAssertEqual(cart.items[0].unitPrice.currency, .eur)
        try await client().uploadProductImage(productId: "p1", body: Data([0x89, 0x50, 0x4e, 0x47]), contentType: "image/png")
    }

    func testUnknownEnumValuesAndUnionsSurviveARoundTrip() throws {
        let status = try Coding.decode([OrderStatus].self, from: Data("[\"refunded\", \"paid\"]".utf8))
        XCTAssertEqual(status, [.unknown("refunded"), .paid])
        XCTAssertEqual(String(decoding: try Coding.encode(status), as: UTF8.self), "[\"refunded\",\"paid\"]")
        let payment = try Coding.decode(PaymentMethod.self, from: Data("{\"method\":\"invoice\",\"vatId\":\"DE1\"}".utf8))
        XCTAssertEqual(payment, .invoicePayment(InvoicePayment(method: .invoice, vatId: "DE1")))
        let future = try Coding.decode(PaymentMethod.self, from: Data("{\"method\":\"crypto\",\"coin\":\"x\"}".utf8))
        guard case .unknown = future else { return XCTFail("an unknown discriminator must decode as .unknown") }
    }
}
'''


@pytest.fixture(scope="module")
def swift_run(tmp_path_factory):
    swift = swift_executable()
    if swift is None:
        pytest.skip("swift is not installed (set PATH or install the toolchain at /opt/swift)")
    base = tmp_path_factory.mktemp("ios")
    out = base / "sdk"
    result = run_apictl("sdk", str(ECOMMERCE), "--lang", "ios", "--out", str(out), "--name", MODULE)
    assert result.returncode == 0, result.stderr
    values = {"API_KEY": API_KEY, "TOKEN": TOKEN, "CUSTOMER_ID": CUSTOMER_ID, "ACCESS_KEY": ACCESS_KEY,
              "SECRET_KEY": SECRET_KEY, "SESSION_TOKEN": SESSION_TOKEN}
    live = re.sub(r"@([A-Z_]+)@", lambda m: values[m.group(1)], LIVE_TESTS)
    (out / "Tests" / f"{MODULE}Tests" / "LiveServerTests.swift").write_text(live, encoding="utf-8")
    with start_server() as server:
        env = {**os.environ, "APICTL_TEST_SERVER": server.url,
               "PATH": os.pathsep.join([str(Path(swift).parent), os.environ.get("PATH", "")])}
        run = subprocess.run([swift, "test", "--build-path", str(base / "build")], cwd=out, capture_output=True,
                             text=True, timeout=900, env=env)
        log = list(server.log)
    return out, run, log


def passed(run: subprocess.CompletedProcess, name: str) -> bool:
    return re.search(rf"Test Case '[^']*{name}[^']*' passed", run.stdout + run.stderr) is not None


def test_package_builds_and_every_xctest_passes(swift_run):
    out, run, _ = swift_run
    assert (out / "Package.swift").read_text().startswith("// swift-tools-version:5.9")
    assert run.returncode == 0, (run.stdout + run.stderr)[-6000:]
    assert "with 0 failures" in run.stdout + run.stderr


@pytest.mark.parametrize("case", ["testSHA256KnownVectors", "testHMACRFC4231", "testSigV4MatchesAWSDocumentedExample",
                                  "testDateTimesKeepTheInstantAndDatesKeepTheDay"])
def test_runtime_checks_pass(swift_run, case):
    assert passed(swift_run[1], case)


def test_live_calls_succeed_and_fail_with_typed_errors(swift_run):
    run = swift_run[1]
    for case in ("testSuccessDecodesModelsAndRawResponse", "testNotFoundIsATypedErrorWithRequestId",
                 "testServerErrorSurfacesAfterRetries", "testApiKeyIsRequired", "testRequestAuthorizerCartAndBinaryUpload",
                 "testUnknownEnumValuesAndUnionsSurviveARoundTrip"):
        assert passed(run, case), case


def test_retries_follow_idempotency_and_retry_after(swift_run):
    _, run, log = swift_run
    assert passed(run, "testRetryAfterIsHonouredFor503")
    assert passed(run, "testPostWithoutIdempotencyKeyIsNotRetried")
    assert passed(run, "testPostWithIdempotencyKeyIsRetriedAndUnionEncodes")
    flaky_gets = [s for s in log if s.method == "GET" and "flaky%3Aios" in s.query]
    assert len(flaky_gets) == 2
    posts = [s for s in log if s.method == "POST" and s.path == "/products" and b"flaky:ios-post" in s.body]
    assert len(posts) == 1, "a POST without Idempotency-Key must not be retried"
    orders = [s for s in log if s.method == "POST" and s.path == "/orders"]
    assert len(orders) == 2 and all(s.headers["idempotency-key"] == "flaky-ios-order" for s in orders)
    assert b'"method":"card"' in orders[0].body
    boom = [s for s in log if "category=boom" in s.query]
    assert len(boom) == 2, "maxRetries 1 means two attempts"


def test_timeout_and_cancellation(swift_run):
    assert passed(swift_run[1], "testPerCallTimeout")
    assert passed(swift_run[1], "testCancellingTheTaskCancelsTheRequest")


def test_sigv4_is_verified_by_the_server(swift_run):
    _, run, log = swift_run
    assert passed(run, "testSigV4SignedDeleteIsAcceptedAndABadSecretIsNot")
    deletes = [s for s in log if s.method == "DELETE"]
    assert len(deletes) == 2
    assert deletes[0].path == "/products/p%201%2Fx"
    assert deletes[0].headers["x-amz-security-token"] == SESSION_TOKEN
    assert deletes[0].headers["authorization"].startswith(f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/")
    uploads = [s for s in log if s.method == "PUT" and s.path.endswith("/image")]
    assert uploads and uploads[0].body == b"\x89PNG" and uploads[0].headers["content-type"] == "image/png"
