"""products-{env}: the catalogue (GET/POST /products, PUT/DELETE /products/{productId})."""
from __future__ import annotations

import datetime
import uuid

from store import client, decode_token, encode_token, error, json_body, response, table


def to_item(product_id: str, data: dict, created_at: str) -> dict:
    item = {"productId": {"S": product_id}, "name": {"S": data["name"]},
            "price": {"N": str(data["price"]["amount"])}, "currency": {"S": data["price"]["currency"]},
            "category": {"S": data.get("category") or ""}, "createdAt": {"S": created_at},
            "stock": {"N": str(int(data.get("stock", 0)))}}
    if data.get("description") is not None:
        item["description"] = {"S": data["description"]}
    if data.get("tags"):
        item["tags"] = {"L": [{"S": str(t)} for t in data["tags"]]}
    if data.get("attributes"):
        item["attributes"] = {"M": {str(k): {"S": str(v)} for k, v in data["attributes"].items()}}
    return item


def from_item(item: dict) -> dict:
    amount = float(item["price"]["N"])
    product = {"id": item["productId"]["S"], "name": item["name"]["S"],
               "price": {"amount": int(amount) if amount.is_integer() else amount, "currency": item["currency"]["S"]},
               "category": item.get("category", {}).get("S") or None, "createdAt": item["createdAt"]["S"],
               "stock": int(item.get("stock", {"N": "0"})["N"])}
    if "description" in item:
        product["description"] = item["description"]["S"]
    if "tags" in item:
        product["tags"] = [t["S"] for t in item["tags"]["L"]]
    if "attributes" in item:
        product["attributes"] = {k: v["S"] for k, v in item["attributes"]["M"].items()}
    return product


def list_products(event: dict) -> dict:
    query = event.get("queryStringParameters") or {}
    try:
        limit = max(1, min(100, int(query.get("limit", 20))))
    except ValueError:
        return error(400, "limit must be a number from 1 to 100", event)
    args = {"TableName": table("products", event), "Limit": limit}
    start = decode_token(query.get("nextToken"))
    if start:
        args["ExclusiveStartKey"] = start
    if query.get("category"):
        args["FilterExpression"] = "category = :c"
        args["ExpressionAttributeValues"] = {":c": {"S": query["category"]}}
    page = client().scan(**args)
    items = sorted((from_item(i) for i in page.get("Items", [])), key=lambda p: p["createdAt"])
    return response(200, {"items": items, "nextToken": encode_token(page.get("LastEvaluatedKey"))})


def create_product(event: dict) -> dict:
    data = json_body(event)
    if not isinstance(data, dict):
        return error(400, "the body must be a JSON object", event)
    product_id = str(uuid.uuid4())
    created = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    item = to_item(product_id, data, created)
    client().put_item(TableName=table("products", event), Item=item)
    stage = event["requestContext"]["stage"]
    return response(201, from_item(item), {"Location": f"/{stage}/products/{product_id}"})


def update_product(event: dict) -> dict:
    product_id = event["pathParameters"]["productId"]
    name = table("products", event)
    existing = client().get_item(TableName=name, Key={"productId": {"S": product_id}}).get("Item")
    if existing is None:
        return error(404, "product not found", event)
    data = json_body(event)
    if not isinstance(data, dict):
        return error(400, "the body must be a JSON object", event)
    item = to_item(product_id, data, existing["createdAt"]["S"])
    client().put_item(TableName=name, Item=item)
    return response(200, from_item(item))


def delete_product(event: dict) -> dict:
    product_id = event["pathParameters"]["productId"]
    result = client().delete_item(TableName=table("products", event), Key={"productId": {"S": product_id}},
                                  ReturnValues="ALL_OLD")
    if "Attributes" not in result:
        return error(404, "product not found", event)
    return {"statusCode": 204}


ROUTES = {("GET", "/products"): list_products, ("POST", "/products"): create_product,
          ("PUT", "/products/{productId}"): update_product, ("DELETE", "/products/{productId}"): delete_product}


def handler(event: dict, context) -> dict:
    route = ROUTES.get((event["httpMethod"], event["resource"]))
    if route is None:
        return error(404, f"no route for {event['httpMethod']} {event['resource']}", event)
    return route(event)
