"""orders-{env}: orders placed from the cart (GET/POST /orders, GET /orders/{orderId}).
POST /orders is idempotent per Idempotency-Key: retrying with the same key returns the same order."""
from __future__ import annotations

import datetime
import json
import uuid

from cart import cart_body, load_cart, save_cart
from store import client, customer_id, decode_token, encode_token, error, json_body, response, table


def _order(item: dict) -> dict:
    return json.loads(item["order"]["S"])


def place_order(event: dict) -> dict:
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    key = headers.get("idempotency-key")
    customer = customer_id(event)
    name = table("orders", event)
    order_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{customer}/{key}"))
    existing = client().get_item(TableName=name, Key={"customerId": {"S": customer}, "orderId": {"S": order_id}})
    if "Item" in existing:
        return response(201, _order(existing["Item"]))
    data = json_body(event) or {}
    lines = load_cart(event)
    if not lines:
        return error(409, "the cart is empty", event)
    cart = cart_body(lines)
    order = {"id": order_id, "status": "pending", "items": lines, "total": cart["total"],
             "shippingAddress": data.get("shippingAddress"),
             "createdAt": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
             "deliveryDate": None}
    client().put_item(TableName=name, Item={"customerId": {"S": customer}, "orderId": {"S": order_id},
                                            "createdAt": {"S": order["createdAt"]}, "order": {"S": json.dumps(order)}},
                      ConditionExpression="attribute_not_exists(orderId)")
    save_cart(event, [])
    return response(201, order)


def list_orders(event: dict) -> dict:
    query = event.get("queryStringParameters") or {}
    args = {"TableName": table("orders", event), "KeyConditionExpression": "customerId = :c",
            "ExpressionAttributeValues": {":c": {"S": customer_id(event)}}, "Limit": int(query.get("limit", 20))}
    start = decode_token(query.get("nextToken"))
    if start:
        args["ExclusiveStartKey"] = start
    page = client().query(**args)
    orders = [_order(i) for i in page.get("Items", [])]
    if query.get("status"):
        orders = [o for o in orders if o["status"] == query["status"]]
    orders.sort(key=lambda o: o["createdAt"], reverse=True)
    return response(200, {"items": orders, "nextToken": encode_token(page.get("LastEvaluatedKey"))})


def get_order(event: dict) -> dict:
    key = {"customerId": {"S": customer_id(event)}, "orderId": {"S": event["pathParameters"]["orderId"]}}
    item = client().get_item(TableName=table("orders", event), Key=key).get("Item")
    if item is None:
        return error(404, "order not found", event)
    return response(200, _order(item))


def handler(event: dict, context) -> dict:
    method, resource = event["httpMethod"], event["resource"]
    if resource == "/orders" and method == "POST":
        return place_order(event)
    if resource == "/orders" and method == "GET":
        return list_orders(event)
    if resource == "/orders/{orderId}":
        return get_order(event)
    return error(404, f"no route for {method} {resource}", event)

