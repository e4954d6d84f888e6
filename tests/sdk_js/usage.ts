// Type-checks the generated .d.ts the way a TypeScript user would use it.
import { Client, ClientError, ApiResponse, Product, Order, OrderInput } from "./index.js";

async function main(): Promise<void> {
  const client = new Client({ apiKey: "k", token: async () => "t", awsCredentials: { accessKeyId: "a", secretAccessKey: "s" } });
  const product: Product = await client.getProduct({ productId: "p1" }, { timeout: 1000, signal: new AbortController().signal });
  const raw: ApiResponse<Product> = await client.getProductRaw({ productId: "p1" });
  const input: OrderInput = { shippingAddress: { name: "A", line1: "B", city: "C", postalCode: "1", country: "DE" },
    payment: { method: "card", token: "tok" } };
  const order: Order = await client.placeOrder({ idempotencyKey: "k-123456", body: input });
  const nothing: undefined = await client.deleteProduct({ productId: "p1" });
  await client.uploadProductImage({ productId: "p1", body: new Uint8Array([1]), contentType: "image/png" });
  try {
    await client.listProducts({ limit: 5, status: undefined } as { limit: number });
  } catch (e) {
    if (e instanceof ClientError) console.log(e.status, e.requestId, e.body);
  }
  console.log(product.price.amount, raw.status, order.deliveryDate, nothing);
}
void main();
