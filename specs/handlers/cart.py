"""cart-{env}: the signed-in customer's cart (GET/DELETE /cart, POST /cart/items, PATCH/DELETE /cart/items/{itemId})."""
from __future__ import annotations

import datetime
import json
import uuid

from store import client, customer_id, error, json_body, response, table


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def load_cart(event: dict) -> list[dict]:
    item = client().get_item(TableName=table("carts", event), Key={"customerId": {"S": customer_id(event)}}).get("Item")
    return json.loads(item["lines"]["S"]) if item else []


def save_cart(event: dict, lines: list[dict]) -> None:
    client().put_item(TableName=table("carts", event), Item={
        "customerId": {"S": customer_id(event)}, "lines": {"S": json.dumps(lines)}, "updatedAt": {"S": now()}})


def cart_body(lines: list[dict]) -> dict:
    currency = lines[0]["unitPrice"]["currency"] if lines else "EUR"
    total = round(sum(line["unitPrice"]["amount"] * line["quantity"] for line in lines), 2)
    return {"items": lines, "total": {"amount": total, "currency": currency}, "updatedAt": now()}


def add_item(event: dict) -> dict:
    data = json_body(event) or {}
    product = client().get_item(TableName=table("products", event),
                                Key={"productId": {"S": str(data.get("productId"))}}).get("Item")
    if product is None:
        return error(404, "product not found", event)
    lines = load_cart(event)
    amount = float(product["price"]["N"])
    lines.append({"itemId": str(uuid.uuid4()), "productId": data["productId"], "quantity": int(data["quantity"]),
                  "unitPrice": {"amount": int(amount) if amount.is_integer() else amount,
                                "currency": product["currency"]["S"]}})
    save_cart(event, lines)
    return response(201, cart_body(lines))


def change_item(event: dict) -> dict:
    lines = load_cart(event)
    item_id = event["pathParameters"]["itemId"]
    line = next((line for line in lines if line["itemId"] == item_id), None)
    if line is None:
        return error(404, "no such cart line", event)
    if event["httpMethod"] == "DELETE":
        lines.remove(line)
    else:
        line["quantity"] = int((json_body(event) or {}).get("quantity", line["quantity"]))
    save_cart(event, lines)
    return response(200, cart_body(lines))


def handler(event: dict, context) -> dict:
    method, resource = event["httpMethod"], event["resource"]
    if resource == "/cart" and method == "GET":
        return response(200, cart_body(load_cart(event)))
    if resource == "/cart" and method == "DELETE":
        save_cart(event, [])
        return {"statusCode": 204}
    if resource == "/cart/items" and method == "POST":
        return add_item(event)
    if resource == "/cart/items/{itemId}":
        return change_item(event)
    return error(404, f"no route for {method} {resource}", event)
