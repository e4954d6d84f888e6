// Runs the generated JS SDK against tests/sdk_server.py. Env: SDK_DIR (the generated package), SERVER_URL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import { join } from "node:path";

const sdk = await import(pathToFileURL(join(process.env.SDK_DIR, "index.js")).href);
const { Client, ClientError, ServerError, ApiTimeoutError } = sdk;
const url = process.env.SERVER_URL;
const creds = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
  sessionToken: "session-token-example" };
const client = (extra = {}) => new Client({ baseUrl: url, apiKey: "test-api-key", token: "test-token",
  headers: { "X-Customer-Id": "customer-1" }, awsCredentials: creds, awsRegion: "eu-west-1", ...extra });

test("success with typed JSON and date-only strings", async () => {
  const page = await client().listProducts({ limit: 2, category: "books" });
  assert.deepEqual(page.items.map((p) => p.category), ["books", "books"]);
  const product = await client().getProduct({ productId: "p 1/x" });
  assert.equal(product.id, "p 1/x");
  const order = await client().getOrder({ orderId: "o-7" });
  assert.equal(order.deliveryDate, "2024-03-01");
});

test("raw response", async () => {
  const raw = await client().getProductRaw({ productId: "p1" });
  assert.equal(raw.status, 200);
  assert.match(raw.requestId, /^req-/);
  assert.equal(raw.data.id, "p1");
});

test("typed errors with request id", async () => {
  await assert.rejects(client().getProduct({ productId: "missing" }), (e) =>
    e instanceof ClientError && e.status === 404 && /^req-/.test(e.requestId) && e.data.message === "product not found");
  await assert.rejects(client().listProducts({ category: "boom" }, { maxRetries: 1 }), (e) =>
    e instanceof ServerError && e.status === 500 && Boolean(e.headers.get("x-amz-apigw-id")));
});

test("retry on 503 honours Retry-After", async () => {
  const start = Date.now();
  const page = await client().listProducts({ category: "flaky:js" });
  assert.ok(page.items.length > 0);
  assert.ok(Date.now() - start >= 900, "waited Retry-After: 1");
});

test("POST is retried only with an Idempotency-Key", async () => {
  await assert.rejects(client().createProduct({ body: { name: "flaky-js-post", price: { amount: 1, currency: "EUR" } } }),
    (e) => e instanceof ServerError && e.status === 503);
  const order = await client().placeOrder({ idempotencyKey: "flaky-js-order", body: {
    shippingAddress: { name: "A", line1: "B", city: "C", postalCode: "1", country: "DE" },
    payment: { method: "card", token: "tok" } } });
  assert.equal(order.id, "o-new");
});

test("timeout and AbortSignal", async () => {
  const start = Date.now();
  await assert.rejects(client().listProducts({ category: "slow" }, { timeout: 300 }), (e) => e instanceof ApiTimeoutError);
  assert.ok(Date.now() - start < 1500);
  const controller = new AbortController();
  const pending = client().listProducts({ category: "slow" }, { signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(pending, (e) => e.name === "AbortError");
});

test("api key and bearer checks", async () => {
  await assert.rejects(client({ apiKey: undefined }).listProducts(), (e) => e instanceof ClientError && e.status === 403);
  await assert.rejects(client({ token: async () => "wrong" }).createProduct({ body: { name: "x", price: { amount: 1, currency: "EUR" } } }),
    (e) => e.status === 401);
  const created = await client().createProduct({ body: { name: "Mug", price: { amount: 3, currency: "EUR" } } },
    { headers: { "X-Trace": "t1" } });
  assert.equal(created.name, "Mug");
});

test("SigV4 is verified by the server", async () => {
  assert.equal(await client().deleteProduct({ productId: "p 9" }), undefined);
  await assert.rejects(client({ awsCredentials: { ...creds, secretAccessKey: "wrong" } }).deleteProduct({ productId: "p9" }),
    (e) => e instanceof ClientError && e.status === 403 && /signature/.test(e.message));
});

test("binary upload", async () => {
  const raw = await client().uploadProductImageRaw({ productId: "p1", body: new Uint8Array([137, 80, 78, 71]),
    contentType: "image/jpeg" });
  assert.equal(raw.status, 204);
});
