"""product-images-{env}: PUT /products/{productId}/image stores the photo's type and size on the product."""
from __future__ import annotations

import base64

from store import client, error, table

MAX_BYTES = 5 * 1024 * 1024


def handler(event: dict, context) -> dict:
    product_id = event["pathParameters"]["productId"]
    body = event.get("body") or ""
    data = base64.b64decode(body) if event.get("isBase64Encoded") else body.encode("utf-8")
    if len(data) > MAX_BYTES:
        return error(413, "image larger than 5 MB", event)
    content_type = next((v for k, v in (event.get("headers") or {}).items() if k.lower() == "content-type"), "")
    name = table("products", event)
    if client().get_item(TableName=name, Key={"productId": {"S": product_id}}).get("Item") is None:
        return error(404, "product not found", event)
    client().update_item(TableName=name, Key={"productId": {"S": product_id}},
                         UpdateExpression="SET imageType = :t, imageSize = :s",
                         ExpressionAttributeValues={":t": {"S": content_type}, ":s": {"N": str(len(data))}})
    return {"statusCode": 204}
