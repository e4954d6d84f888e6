"""Android SDK end to end: generate the library module for specs/ecommerce.yaml, compile it with
`javac --release 8` against Debian's OkHttp and Gson jars, and run JUnit 4 tests (the module's own runtime tests
plus live tests written here) against the shared live test server.

Compiled and run once per module; each pytest test checks the JUnit cases it is about and what the server saw."""
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
PACKAGE = "com.example.shop"
JARS = Path("/usr/share/java")
JAR_NAMES = ("okhttp.jar", "okio.jar", "gson.jar", "junit4.jar", "hamcrest-core.jar")
OBSOLETE_ON_ANDROID = ("java.time", "java.net.http", "java.util.function", "java.util.stream", "java.util.Base64",
                       "CompletableFuture", "String.join(")


def java_classpath() -> str:
    """Debian's jars (skip when one is missing); OkHttp 4 also needs kotlin-stdlib at run time when present."""
    for tool in ("javac", "java"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    missing = [name for name in JAR_NAMES if not (JARS / name).is_file()]
    if missing:
        pytest.skip(f"{', '.join(missing)} not in {JARS} (apt-get install libokhttp-java libgoogle-gson-java junit4)")
    extra = [p for p in JARS.glob("kotlin-stdlib*.jar")]
    return os.pathsep.join(str(p) for p in [*(JARS / n for n in JAR_NAMES), *extra])


LIVE_TEST = r'''
package com.example.shop;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.example.shop.model.*;
import java.util.Arrays;
import java.util.Date;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.Test;

public class LiveServerTest {
    static final String BASE = System.getenv("APICTL_TEST_SERVER");

    static Configuration config() {
        return new Configuration().baseUrl(BASE).apiKey("@API_KEY@").token("@TOKEN@")
                .header("X-Customer-Id", "@CUSTOMER_ID@");
    }

    static ApiClient client() {
        return new ApiClient(config());
    }

    @Test
    public void successDecodesModelsAndRawResponse() throws Exception {
        ApiResponse<ProductPage> response = client().listProductsWithResponse(null, null, "kitchen", null);
        assertEquals(200, response.getStatus());
        assertNotNull(response.getRequestId());
        assertEquals(2, response.getData().getItems().size());
        Product product = response.getData().getItems().get(0);
        assertEquals(MoneyCurrency.EUR, product.getPrice().getCurrency());
        assertEquals(new Date(1706702400000L), product.getCreatedAt());
        assertNull(product.getDescription());
        assertEquals(Arrays.asList("ceramic"), product.getTags());
    }

    @Test
    public void notFoundIsATypedErrorWithRequestId() throws Exception {
        try {
            client().getProduct("missing");
            fail("expected an error");
        } catch (ApiException.Http e) {
            assertEquals(404, e.getStatus());
            assertNotNull(e.getRequestId());
            assertEquals("product not found", ((ErrorModel) e.getModel()).getMessage());
            assertTrue(e.isClientError());
        }
    }

    @Test
    public void serverErrorSurfacesAfterRetries() throws Exception {
        try {
            new ApiClient(config().maxRetries(1)).listProducts(null, null, "boom");
            fail("expected an error");
        } catch (ApiException.Http e) {
            assertEquals(500, e.getStatus());
        }
    }

    @Test
    public void retryAfterIsHonouredFor503() throws Exception {
        long started = System.currentTimeMillis();
        assertEquals(2, client().listProducts(null, null, "flaky:android").getItems().size());
        assertTrue(System.currentTimeMillis() - started >= 900);
    }

    @Test
    public void postWithoutIdempotencyKeyIsNotRetried() throws Exception {
        try {
            client().createProduct(new ProductInput().setName("flaky:android-post")
                    .setPrice(new Money().setAmount(1.0).setCurrency(MoneyCurrency.USD)));
            fail("expected an error");
        } catch (ApiException.Http e) {
            assertEquals(503, e.getStatus());
        }
    }

    @Test
    public void postWithIdempotencyKeyIsRetriedAndUnionEncodes() throws Exception {
        Address address = new Address().setName("A").setLine1("B").setCity("C").setPostalCode("1").setCountry("DE");
        Order order = client().placeOrder(new OrderInput().setShippingAddress(address)
                .setPayment(PaymentMethod.ofCardPayment(new CardPayment().setMethod(CardPaymentMethod.CARD).setToken("tok"))),
                "flaky-android-order");
        assertEquals("o-new", order.getId());
        assertEquals(OrderStatus.PAID, order.getStatus());
        assertEquals("2024-03-01", order.getDeliveryDate());
    }

    @Test
    public void perCallTimeout() throws Exception {
        try {
            client().listProducts(null, null, "slow", new RequestOptions().timeoutMillis(500).maxRetries(0));
            fail("expected a timeout");
        } catch (ApiException.Timeout e) {
            assertNotNull(e.getMessage());
        }
    }

    @Test
    public void callbackCallsCanBeCancelled() throws Exception {
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicReference<Object> outcome = new AtomicReference<Object>();
        ApiCall call = client().listProductsAsync(null, null, "slow", null, new ApiCallback<ProductPage>() {
            @Override public void onSuccess(ApiResponse<ProductPage> response) { outcome.set(response); done.countDown(); }
            @Override public void onFailure(ApiException error) { outcome.set(error); done.countDown(); }
        });
        Thread.sleep(300);
        call.cancel();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        assertTrue(String.valueOf(outcome.get()), outcome.get() instanceof ApiException.Cancelled);
    }

    @Test
    public void callbackCallsDeliverResults() throws Exception {
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicReference<Object> outcome = new AtomicReference<Object>();
        client().getCartAsync(null, new ApiCallback<Cart>() {
            @Override public void onSuccess(ApiResponse<Cart> response) { outcome.set(response.getData()); done.countDown(); }
            @Override public void onFailure(ApiException error) { outcome.set(error); done.countDown(); }
        });
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(Double.valueOf(25.0), ((Cart) outcome.get()).getTotal().getAmount());
    }

    @Test
    public void sigV4SignedDeleteIsAcceptedAndABadSecretIsNot() throws Exception {
        ApiClient good = new ApiClient(config().awsRegion("eu-west-1")
                .awsCredentials(new AwsCredentials("@ACCESS_KEY@", "@SECRET_KEY@", "@SESSION_TOKEN@")));
        assertEquals(204, good.deleteProductWithResponse("p 1/x", null).getStatus());
        ApiClient bad = new ApiClient(config().awsRegion("eu-west-1").awsCredentials(new AwsCredentials("@ACCESS_KEY@", "wrong")));
        try {
            bad.deleteProduct("p1");
            fail("expected 403");
        } catch (ApiException.Http e) {
            assertEquals(403, e.getStatus());
        }
    }

    @Test
    public void apiKeyIsRequired() throws Exception {
        try {
            new ApiClient(config().apiKey(null)).getProduct("p1");
            fail("expected 403");
        } catch (ApiException.Http e) {
            assertEquals(403, e.getStatus());
        }
    }

    @Test
    public void binaryUploadWithAChosenContentType() throws Exception {
        client().uploadProductImage("p1", new byte[] {(byte) 0x89, 0x50, 0x4e, 0x47}, "image/png");
    }

    @Test
    public void unknownEnumValuesAndUnionsSurviveARoundTrip() {
        OrderStatus[] statuses = Json.gson().fromJson("[\"refunded\", \"paid\"]", OrderStatus[].class);
        assertEquals("refunded", statuses[0].getValue());
        assertTrue(!statuses[0].isKnown() && statuses[1] == OrderStatus.PAID);
        assertEquals("[\"refunded\",\"paid\"]", Json.gson().toJson(statuses));
        PaymentMethod invoice = Json.gson().fromJson("{\"method\":\"invoice\",\"vatId\":\"DE1\"}", PaymentMethod.class);
        assertEquals("DE1", invoice.getInvoicePayment().getVatId());
        assertTrue(Json.gson().fromJson("{\"method\":\"crypto\"}", PaymentMethod.class).isUnknown());
    }
}
'''


@pytest.fixture(scope="module")
def java_run(tmp_path_factory):
    classpath = java_classpath()
    base = tmp_path_factory.mktemp("android")
    out = base / "sdk"
    result = run_apictl("sdk", str(ECOMMERCE), "--lang", "android", "--out", str(out), "--name", PACKAGE)
    assert result.returncode == 0, result.stderr
    values = {"API_KEY": API_KEY, "TOKEN": TOKEN, "CUSTOMER_ID": CUSTOMER_ID, "ACCESS_KEY": ACCESS_KEY,
              "SECRET_KEY": SECRET_KEY, "SESSION_TOKEN": SESSION_TOKEN}
    live = re.sub(r"@([A-Z_]+)@", lambda m: values[m.group(1)], LIVE_TEST)
    (out / "src" / "test" / "java" / "com" / "example" / "shop" / "LiveServerTest.java").write_text(live)
    classes = base / "classes"
    sources = [str(p) for p in sorted(out.rglob("*.java"))]
    compiled = subprocess.run(["javac", "--release", "8", "-Xlint:-options", "-encoding", "UTF-8", "-d", str(classes),
                               "-cp", classpath, *sources], capture_output=True, text=True, timeout=600)
    assert compiled.returncode == 0, compiled.stderr[-6000:]
    with start_server() as server:
        run = subprocess.run(["java", "-cp", os.pathsep.join([str(classes), classpath]), "org.junit.runner.JUnitCore",
                              f"{PACKAGE}.RuntimeTest", f"{PACKAGE}.LiveServerTest"], capture_output=True, text=True,
                             timeout=300, env={**os.environ, "APICTL_TEST_SERVER": server.url})
        log = list(server.log)
    return out, run, log


def test_module_layout_targets_android(java_run):
    out = java_run[0]
    gradle = (out / "build.gradle").read_text()
    assert "id 'com.android.library'" in gradle and "minSdk 21" in gradle and "VERSION_1_8" in gradle
    assert (out / "src" / "main" / "AndroidManifest.xml").is_file()
    assert f"-keep class {PACKAGE}.model.**" in (out / "consumer-rules.pro").read_text()
    for path in (out / "src" / "main").rglob("*.java"):
        text = path.read_text()
        assert not [api for api in OBSOLETE_ON_ANDROID if api in text], path


def test_every_junit_test_passes(java_run):
    run = java_run[1]
    assert run.returncode == 0, (run.stdout + run.stderr)[-6000:]
    match = re.search(r"OK \((\d+) tests\)", run.stdout)
    assert match and int(match.group(1)) == 16, run.stdout[-3000:]


def test_retries_follow_idempotency_and_retry_after(java_run):
    log = java_run[2]
    assert len([s for s in log if s.method == "GET" and "flaky%3Aandroid" in s.query]) == 2
    posts = [s for s in log if s.method == "POST" and s.path == "/products" and b"flaky:android-post" in s.body]
    assert len(posts) == 1, "a POST without Idempotency-Key must not be retried"
    orders = [s for s in log if s.method == "POST" and s.path == "/orders"]
    assert len(orders) == 2 and b'"method":"card"' in orders[0].body
    assert len([s for s in log if "category=boom" in s.query]) == 2


def test_sigv4_and_auth_headers_reach_the_server(java_run):
    log = java_run[2]
    deletes = [s for s in log if s.method == "DELETE"]
    assert len(deletes) == 2 and deletes[0].path == "/products/p%201%2Fx"
    assert deletes[0].headers["x-amz-security-token"] == SESSION_TOKEN
    cart = [s for s in log if s.path == "/cart"]
    assert cart and cart[0].headers["authorization"] == TOKEN and cart[0].headers["x-customer-id"] == CUSTOMER_ID
    uploads = [s for s in log if s.method == "PUT" and s.path.endswith("/image")]
    assert uploads and uploads[0].body == b"\x89PNG" and uploads[0].headers["content-type"] == "image/png"
