"""Python SDK models: identical inline schemas share one class (every name still exists), and model validators
are built on first use instead of at import (what makes the Stripe SDK import in seconds)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import need_corpus, run_apictl

SPEC = """
openapi: 3.0.3
info: {title: Shapes, version: 1.0.0}
paths:
  /shipments:
    post:
      operationId: createShipment
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [address]
              properties:
                address: {type: object, required: [city], properties: {city: {type: string}, zip: {type: string}}}
                status: {type: string, enum: [open, closed]}
                parcel: {type: object, properties: {weight: {type: number}}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Shipment'}}}
components:
  schemas:
    Shipment:
      type: object
      required: [id]
      properties:
        id: {type: string}
        address: {type: object, required: [city], properties: {city: {type: string}, zip: {type: string}}}
        status: {type: string, enum: [open, closed]}
        parcel: {$ref: '#/components/schemas/Parcel'}
        history:
          type: array
          items: {type: object, properties: {status: {type: string, enum: [open, closed]}, at: {type: string}}}
    Invoice:
      type: object
      properties:
        address: {type: object, required: [city], properties: {city: {type: string}, zip: {type: string}}}
        status: {type: string, enum: [open, closed, void]}
        history:
          type: array
          items: {type: object, properties: {status: {type: string, enum: [open, closed]}, at: {type: string}}}
    Parcel: {type: object, properties: {weight: {type: number}}}
    Box: {type: object, properties: {weight: {type: number}}}
    Pet:
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
      discriminator: {propertyName: kind, mapping: {cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog'}}
    Cat: {type: object, required: [kind], properties: {kind: {type: string}}}
    Dog: {type: object, required: [kind], properties: {kind: {type: string}}}
"""

CHECK = """
import json, sys
import pydantic
import shapes_client as pkg
m = pkg.models
lazy = [n for n in ("Shipment", "Invoice", "Parcel") if getattr(m, n).__pydantic_complete__]
shipment = m.Shipment.model_validate({"id": "s1", "address": {"city": "Oslo"}, "status": "open",
                                      "parcel": {"weight": 2.5}, "history": [{"status": "closed", "at": "x"}]})
invoice = m.Invoice.model_validate({"address": {"city": "Rome"}, "status": "void"})
pet = m.Pet.model_validate({"kind": "dog"})
built = [n for n, c in vars(m).items() if isinstance(c, type) and issubclass(c, pydantic.BaseModel)
         and c.__module__ == m.__name__ and c.model_rebuild() is False]
print(json.dumps({
    "lazy_at_import": lazy,
    "address_shared": m.InvoiceAddress is m.ShipmentAddress and type(invoice.address) is m.ShipmentAddress,
    "history_shared": m.InvoiceHistoryItem is m.ShipmentHistoryItem,
    "status_shared": m.ShipmentStatus is m.CreateShipmentRequestStatus,
    "request_address_shared": m.CreateShipmentRequestAddress is m.ShipmentAddress,
    "different_enums_apart": m.InvoiceStatus is not m.ShipmentStatus,
    "named_apart": m.Parcel is not m.Box, "inline_is_named": m.CreateShipmentRequestParcel is m.Parcel, "targets_apart": m.Cat is not m.Dog,
    "parsed": [shipment.parcel.weight, shipment.history[0].status.value, invoice.status.value,
               type(pet.root).__name__],
    "not_built": built,
}))
"""


@pytest.fixture(scope="module")
def shapes_sdk(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("shapes")
    spec = base / "shapes.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    out = base / "sdk"
    result = run_apictl("sdk", str(spec), "--lang", "python", "--out", str(out), "--name", "shapes_client")
    assert result.returncode == 0, result.stderr
    return out


def run_python(code: str, sdk: Path, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": str(sdk)})


def test_identical_inline_schemas_share_a_class_and_keep_their_names(shapes_sdk):
    result = run_python(CHECK, shapes_sdk)
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout)
    assert facts["address_shared"] and facts["history_shared"] and facts["status_shared"]
    assert facts["request_address_shared"], "request-body inline models share classes with response ones"
    assert facts["different_enums_apart"] and facts["named_apart"] and facts["targets_apart"]
    assert facts["inline_is_named"], "an inline schema the same as a named one uses the named class"
    assert facts["parsed"] == [2.5, "closed", "void", "Dog"]
    assert facts["not_built"] == [], "every model's validator builds (forward references resolve)"
    text = (shapes_sdk / "shapes_client" / "models.py").read_text()
    assert "class ShipmentAddress(BaseModel):" in text and "\nInvoiceAddress = ShipmentAddress\n" in text
    assert "class InvoiceAddress(" not in text


def test_models_are_built_on_first_use_not_at_import(shapes_sdk):
    result = run_python(CHECK, shapes_sdk)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["lazy_at_import"] == [], "no validator is built while importing"
    text = (shapes_sdk / "shapes_client" / "models.py").read_text()
    assert "model_rebuild" not in text and "from ._base import BaseModel, RootModel" in text
    base = (shapes_sdk / "shapes_client" / "_base.py").read_text()
    assert base.count("defer_build=True") == 2


@pytest.mark.e2e
def test_stripe_python_sdk_imports_and_every_model_builds(tmp_path):
    spec = need_corpus() / "stripe" / "spec3-2023-09-06.yaml"
    if not spec.is_file():
        pytest.skip(f"{spec} not found")
    out = tmp_path / "stripe"
    result = run_apictl("sdk", str(spec), "--lang", "python", "--out", str(out), "--name", "stripe_sdk", timeout=600)
    assert result.returncode == 0, result.stderr
    text = (out / "stripe_sdk" / "models.py").read_text()
    classes, aliases = text.count("\nclass "), text.split("# Models with the same schema share one class.")[1]
    assert classes < 2500 and aliases.count(" = ") > 3000, "inline duplicates share classes"
    code = ("import pydantic\nimport stripe_sdk as pkg\n"
            "m = pkg.models\n"
            "c = m.Customer.model_validate({'id': 'cus_1', 'object': 'customer', 'created': 1, 'livemode': False,"
            " 'address': {'city': 'Oslo'}})\n"
            "assert c.address.city == 'Oslo'\n"
            "classes = [c for c in vars(m).values() if isinstance(c, type) and issubclass(c, pydantic.BaseModel)"
            " and c.__module__ == m.__name__]\n"
            "failed = [c.__name__ for c in classes if c.model_rebuild() is False]\n"
            "print(len(classes), failed)\n")
    result = run_python(code, out, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    count, failed = result.stdout.split(" ", 1)
    assert int(count) > 1000 and failed.strip() == "[]", "every model's validator builds"
