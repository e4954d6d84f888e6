"""A `--lambda NAME=-- command` handler: the event as JSON on stdin, the result as JSON on stdout."""
import json
import os
import sys

event = json.load(sys.stdin)
print("log line from the command", file=sys.stderr)
if (event.get("queryStringParameters") or {}).get("fail"):
    print(json.dumps({"errorMessage": "command failed", "errorType": "CommandError"}))
    sys.exit(1)
print(json.dumps({"statusCode": 200, "body": json.dumps({
    "path": event["path"], "function": os.environ["AWS_LAMBDA_FUNCTION_NAME"],
    "requestId": os.environ["AWS_LAMBDA_REQUEST_ID"]})}))
