"""Fast checks of the ios and android targets (no toolchain needed): layout, names, escaping, cycles, errors."""
from __future__ import annotations

import re

import pytest

from tests.conftest import ECOMMERCE, run_apictl


def files_of(out):
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file()}


@pytest.mark.parametrize("lang", ["ios", "android"])
def test_ecommerce_output_is_deterministic_and_complete(lang, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        result = run_apictl("sdk", str(ECOMMERCE), "--lang", lang, "--out", str(out))
        assert result.returncode == 0, result.stderr
    files = files_of(first)
    assert files == files_of(second)
    readme = files["README.md"]
    for op in ("listProducts", "createProduct", "deleteProduct", "placeOrder", "uploadProductImage", "getOrder"):
        assert f"`{op}`" in readme and f"client.{op}(" in readme, op
    if lang == "ios":
        assert "Package.swift" in files and "Sources/ECommerceApi/Models/PaymentMethod.swift" in files
        assert "#if canImport(FoundationNetworking)" in files["Sources/ECommerceApi/Runtime/Transport.swift"]
        assert "import CryptoKit" not in "".join(files.values())
    else:
        assert "src/main/java/com/example/ecommerceapi/model/PaymentMethod.java" in files
        assert "minSdk 21" in files["build.gradle"]


def test_swift_models_follow_the_schemas(tmp_path):
    assert run_apictl("sdk", str(ECOMMERCE), "--lang", "ios", "--out", str(tmp_path)).returncode == 0
    models = tmp_path / "Sources" / "ECommerceApi" / "Models"
    product = (models / "Product.swift").read_text()
    # allOf flattened: ProductInput's properties plus Product's own; nullable and optional become optionals
    assert "public var name: String\n" in product and "public var id: String\n" in product
    assert "public var description: String?" in product and "public var createdAt: Date\n" in product
    order = (models / "Order.swift").read_text()
    assert "public var deliveryDate: DateOnly?" in order
    status = (models / "OrderStatus.swift").read_text()
    assert "case unknown(String)" in status and 'case "cancelled": self = .cancelled' in status
    payment = (models / "PaymentMethod.swift").read_text()
    assert 'DynamicCodingKey("method")' in payment and 'case "card": self = .cardPayment' in payment
    assert (models / "ErrorModel.swift").is_file(), "a schema named Error must not shadow Swift's Error"


HOSTILE_NAMES = """
openapi: 3.0.3
info: {title: Names, version: 1.0.0}
paths:
  /a:
    get:
      operationId: list
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Node'}}}}}
  /b:
    get:
      operationId: listWithResponse
      description: "ends a comment */ and \\\\u002a/ and \\\\(interpolation) and \\"\\"\\" and a line\\nbreak"
      responses: {'200': {description: ok}}
components:
  schemas:
    Node:
      type: object
      description: "*/ static { System.exit(1); } /* \\\\u002a/ \\\\(x) \\u2028"
      properties:
        parent: {$ref: '#/components/schemas/Node'}
        other: {$ref: '#/components/schemas/Other'}
        kind: {type: string, enum: [unknown, Unknown, rawValue, "a\\"b", "\\\\(x)"]}
    Other:
      type: object
      properties:
        back: {$ref: '#/components/schemas/Node'}
        items: {type: array, items: {$ref: '#/components/schemas/Other'}}
"""


def test_cycles_names_and_escapes(write, tmp_path):
    spec = write("names.yaml", HOSTILE_NAMES)
    ios, android = tmp_path / "ios", tmp_path / "android"
    assert run_apictl("sdk", str(spec), "--lang", "ios", "--out", str(ios)).returncode == 0
    assert run_apictl("sdk", str(spec), "--lang", "android", "--out", str(android)).returncode == 0
    swift = files_of(ios)
    node = swift["Sources/Names/Models/Node.swift"]
    other = swift["Sources/Names/Models/Other.swift"]
    # struct cycles Node -> Node and Node -> Other -> Node go through a heap box; arrays do not need one
    assert "private var _parent: Indirect<Node?>" in node and "private var _other: Indirect<Other?>" in node
    assert "private var _back: Indirect<Node?>" in other and "public var items: [Other]?" in other
    # operation names stay unique with the derived ...WithResponse methods
    client = swift["Sources/Names/Client.swift"]
    methods = re.findall(r"public func (\w+)\(", client)
    assert len(methods) == len(set(methods)) == 4
    # enum cases never collide with the runtime's own members
    kind = swift["Sources/Names/Models/NodeKind.swift"]
    cases = re.findall(r"^    case (\w+)$", kind, re.M)
    assert "unknown" not in cases and "rawValue" not in cases and len(set(c.lower() for c in cases)) == len(cases)
    assert r'case "\\(x)": self' in kind and r'case "a\"b": self' in kind
    for path, text in swift.items():
        for line in text.splitlines() if path.endswith(".swift") else []:
            assert "\u2028" not in line
            if "ends a comment" in line:
                assert line.lstrip().startswith("///")
    java = files_of(android)
    model = java["src/main/java/com/example/names/model/Node.java"]
    assert "*/ static" not in model and "\\u002a" not in model.replace("\\\\u002a", "")
    assert "System.exit" in model  # kept as text inside the Javadoc, where it cannot run
    api = java["src/main/java/com/example/names/ApiClient.java"]
    assert len(set(re.findall(r"public \S+ (list\w*)\(", api))) == 6  # list, listWithResponse2 and their twins


@pytest.mark.parametrize("lang,name", [("ios", "1Bad"), ("ios", "class"), ("android", "Com.Shop"),
                                       ("android", "shop"), ("android", "com.example.class"), ("ios", "../x")])
def test_bad_names_are_one_line_errors(lang, name, tmp_path):
    result = run_apictl("sdk", str(ECOMMERCE), "--lang", lang, "--out", str(tmp_path / "out"), "--name", name)
    assert result.returncode == 2 and "--name" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
