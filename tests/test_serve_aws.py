"""`apictl serve` with AWS service integrations sent with SigV4 to moto_server (started here): REST `AWS`
integrations for SQS, SNS, DynamoDB, Step Functions, EventBridge, S3 and Kinesis, and HTTP API
integration subtypes; then the e-commerce example end to end (its handlers use DynamoDB through boto3)."""
from __future__ import annotations

import json
import os

import pytest

from tests.conftest import ROOT
from tests.serve_helpers import moto_server, serve

pytestmark = pytest.mark.e2e
pytest.importorskip("moto.server", reason="moto[server] is not installed")
boto3 = pytest.importorskip("boto3")
ACCOUNT = "123456789012"


def aws(uri: str, template: str, *, method: str = "POST", params: dict | None = None, response: str | None = None):
    integration = {"type": "aws", "httpMethod": method, "uri": uri,
                   "credentials": f"arn:aws:iam::{ACCOUNT}:role/apigw",
                   "requestTemplates": {"application/json": template},
                   "responses": {"default": {"statusCode": "200"}, "4\\d{2}": {"statusCode": "400"}}}
    if params:
        integration["requestParameters"] = params
    if response:
        integration["responses"]["default"]["responseTemplates"] = {"application/json": response}
    return {"post": {"responses": {"200": {"description": "ok"}}, "x-amazon-apigateway-integration": integration}}


@pytest.fixture(scope="module")
def moto():
    with moto_server() as url:
        env = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "eu-west-1"}
        os.environ.update(env)
        yield url


def client(service: str, moto: str):
    return boto3.client(service, endpoint_url=moto, region_name="eu-west-1", aws_access_key_id="testing",
                        aws_secret_access_key="testing")


@pytest.fixture(scope="module")
def services(moto, tmp_path_factory):
    sqs = client("sqs", moto)
    queue = sqs.create_queue(QueueName="orders")["QueueUrl"]
    topic = client("sns", moto).create_topic(Name="news")["TopicArn"]
    client("dynamodb", moto).create_table(
        TableName="items", BillingMode="PAY_PER_REQUEST", AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
    client("s3", moto).create_bucket(Bucket="files", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    client("kinesis", moto).create_stream(StreamName="clicks", ShardCount=1)
    machine = client("stepfunctions", moto).create_state_machine(
        name="flow", roleArn=f"arn:aws:iam::{ACCOUNT}:role/sf",
        definition=json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}))["stateMachineArn"]
    r = "arn:aws:apigateway:eu-west-1:"
    spec = {"openapi": "3.0.1", "info": {"title": "AWS services", "version": "1"}, "paths": {
        "/sqs": aws(r + f"sqs:path/{ACCOUNT}/orders",
                    "Action=SendMessage&MessageBody=$util.urlEncode($input.body)",
                    params={"integration.request.header.Content-Type": "'application/x-www-form-urlencoded'"}),
        "/sns": aws(r + "sns:action/Publish", "", params={
            "integration.request.querystring.TopicArn": f"'{topic}'",
            "integration.request.querystring.Message": "method.request.body"}),
        "/dynamodb": aws(r + "dynamodb:action/PutItem",
                         '{"TableName": "items", "Item": {"id": {"S": $input.json(\'$.id\')}, '
                         '"name": {"S": "$util.escapeJavaScript($input.path(\'$.name\'))"}}}'),
        "/dynamodb-get": aws(r + "dynamodb:action/GetItem",
                             '{"TableName": "items", "Key": {"id": {"S": $input.json(\'$.id\')}}}',
                             response='{"name": "$input.path(\'$.Item.name.S\')"}'),
        "/states": aws(r + "states:action/StartExecution",
                       f'{{"stateMachineArn": "{machine}", "input": "$util.escapeJavaScript($input.body)"}}'),
        "/events": aws(r + "events:action/PutEvents",
                       '{"Entries": [{"Source": "shop", "DetailType": "order", "Detail": "$util.escapeJavaScript($input.body)"}]}'),
        "/s3/{key}": aws(r + "s3:path/files/{key}", "$input.body", method="PUT",
                         params={"integration.request.path.key": "method.request.path.key"}),
        "/kinesis": aws(r + "kinesis:action/PutRecord",
                        '{"StreamName": "clicks", "PartitionKey": "p", "Data": "$util.base64Encode($input.body)"}'),
    }}
    folder = tmp_path_factory.mktemp("aws")
    (folder / "api.json").write_text(json.dumps(spec), encoding="utf-8")
    with serve(str(folder / "api.json"), "--stage", "dev", "--aws-endpoint", moto, cwd=folder) as served:
        yield served, queue, machine


def test_rest_aws_service_integrations_reach_the_services(services, moto):
    api, queue, machine = services
    with api.client() as c:
        assert c.post("sqs", json={"order": 1}).status_code == 200
        messages = client("sqs", moto).receive_message(QueueUrl=queue)["Messages"]
        assert json.loads(messages[0]["Body"]) == {"order": 1}
        r = c.post("sns", json={"hello": "world"})
        assert r.status_code == 200 and "MessageId" in r.text
        assert c.post("dynamodb", json={"id": "i1", "name": "Ada Lovelace"}).status_code == 200
        assert c.post("dynamodb-get", json={"id": "i1"}).json() == {"name": "Ada Lovelace"}
        assert c.post("dynamodb-get", json={"id": ""}).status_code == 400  # the service's 400 is selected
        r = c.post("states", json={"x": 1})
        assert r.status_code == 200 and r.json()["executionArn"].startswith("arn:aws:states")
        r = c.post("events", json={"id": 1})
        assert r.status_code == 200 and r.json()["FailedEntryCount"] == 0
        assert c.post("s3/report.txt", content=b"hello", headers={"content-type": "text/plain"}).status_code == 200
        assert client("s3", moto).get_object(Bucket="files", Key="report.txt")["Body"].read() == b"hello"
        r = c.post("kinesis", json={"click": 1})
        assert r.status_code == 200 and "SequenceNumber" in r.json()


def test_http_api_integration_subtypes(moto, tmp_path):
    queue = client("sqs", moto).create_queue(QueueName="inbox")["QueueUrl"]

    def route(subtype: str, params: dict) -> dict:
        return {"post": {"responses": {"200": {"description": "ok"}}, "x-amazon-apigateway-integration": {
            "type": "aws_proxy", "integrationSubtype": subtype, "payloadFormatVersion": "1.0",
            "credentials": f"arn:aws:iam::{ACCOUNT}:role/x", "requestParameters": params}}}

    spec = {"openapi": "3.0.1", "info": {"title": "subtypes", "version": "1"}, "paths": {
        "/send": route("SQS-SendMessage", {"QueueUrl": queue, "MessageBody": "$request.body.message"}),
        "/event": route("EventBridge-PutEvents", {"Source": "app", "DetailType": "t", "Detail": "$request.body"}),
    }}
    (tmp_path / "api.json").write_text(json.dumps(spec), encoding="utf-8")
    with serve(str(tmp_path / "api.json"), "--api-type", "http", "--aws-endpoint", moto, "--region", "eu-west-1", cwd=tmp_path) as api:
        with api.client() as c:
            r = c.post(api.origin + "/send", json={"message": "hi there"})
            assert r.status_code == 200, r.text
            assert client("sqs", moto).receive_message(QueueUrl=queue)["Messages"][0]["Body"] == "hi there"
            assert c.post(api.origin + "/event", json={"a": 1}).status_code == 200


def test_ecommerce_example_runs_end_to_end(moto):
    import sys

    sys.path.insert(0, str(ROOT / "specs" / "dev"))
    try:
        from mint_token import mint
    finally:
        sys.path.pop(0)
    with serve("--stage", "dev", "--aws-endpoint", moto) as api:
        key = {"x-api-key": "dev-team-local-key"}
        customer = {"Authorization": "Bearer dev-token", "X-Customer-Id": "c-42"}
        with api.client() as c:
            assert c.get("products").status_code == 403  # API key required
            preflight = c.options("products")  # REST CORS: the spec's MOCK OPTIONS method
            assert preflight.status_code == 200 and preflight.headers["Access-Control-Allow-Methods"] == "GET,POST,OPTIONS"
            created = c.post("products", headers={"Authorization": mint()},
                             json={"name": "Espresso cup", "price": {"amount": 12.5, "currency": "EUR"},
                                   "category": "kitchen"})
            assert created.status_code == 201, created.text
            product = created.json()
            assert created.headers["Location"] == f"/dev/products/{product['id']}"
            assert c.post("products", headers={"Authorization": mint(id_token=True)}, json={}).status_code == 401
            page = c.get("products", headers=key, params={"category": "kitchen"}).json()
            assert [p["id"] for p in page["items"]] == [product["id"]]
            # GET /products/{id} is the API's own DynamoDB integration with mapping templates
            one = c.get(f"products/{product['id']}", headers=key)
            assert one.status_code == 200 and one.json()["name"] == "Espresso cup"
            missing = c.get("products/nope", headers=key)
            assert missing.status_code == 404 and missing.json()["message"] == "product not found"
            assert c.put(f"products/{product['id']}/image", content=b"\x89PNG..", headers={
                "Authorization": mint(), "Content-Type": "image/png"}).status_code == 204
            assert c.get("cart").status_code == 401
            cart = c.post("cart/items", headers=customer, json={"productId": product["id"], "quantity": 2}).json()
            assert cart["total"] == {"amount": 25.0, "currency": "EUR"}
            order_body = {"shippingAddress": {"name": "A", "line1": "B", "city": "C", "postalCode": "1", "country": "DE"},
                          "payment": {"method": "card", "token": "t"}}
            bad = c.post("orders", headers=customer, json=order_body)
            assert bad.json()["message"] == "Missing required request parameters: [Idempotency-Key]"
            placed = c.post("orders", headers={**customer, "Idempotency-Key": "order-0001"}, json=order_body)
            assert placed.status_code == 201
            again = c.post("orders", headers={**customer, "Idempotency-Key": "order-0001"}, json=order_body)
            assert again.json()["id"] == placed.json()["id"]
            assert c.get(f"orders/{placed.json()['id']}", headers=customer).json()["total"]["amount"] == 25.0
            assert c.get("cart", headers=customer).json()["items"] == []
            assert len(c.get("orders", headers=customer).json()["items"]) == 1
