"""Android target: a Gradle Android library module (minSdk 21, Java 8) with an OkHttp + Gson client.

Every operation gets a blocking method (``op(...)``, ``opWithResponse(...)``) and a callback method
(``opAsync(..., callback)``) that returns a cancellable :code:`ApiCall`. Only APIs present on Android 5 are used
(no ``java.time``, ``java.util.function``, ``java.util.Base64``, streams or ``java.net.http``): date-times are
``java.util.Date`` read and written in UTC by hand, ``format: date`` stays a ``String`` so it never shifts.
Enums are open classes (unknown values survive a round trip); ``oneOf``/``anyOf`` are classes holding one
variant, chosen by the discriminator or by the JSON's shape. All Java sources come from sdk_templates/android/.
"""
from __future__ import annotations

import re
from typing import Any

from ...source.errors import InputError
from ..generate import GenerationError, Output, Target
from ..model import Model, Operation, SdkApi, TypeRef
from ..naming import JAVA_KEYWORDS, LanguageNaming, java_str, shorten, words
from . import mobile_support as ms

RUNTIME_TYPES = frozenset("""
ApiClient Configuration Transport PreparedRequest RequestOptions ApiResponse ApiException ApiCallback ApiCall
AwsCredentials AuthScheme SigV4 Json OpenEnum BuildConfig R Manifest RuntimeTest
Object String Integer Long Double Float Short Byte Character Boolean Number Void Math System Thread Runnable Exception
RuntimeException Error Throwable Iterable Comparable Cloneable Enum Record Override Deprecated SuppressWarnings
FunctionalInterface SafeVarargs Class ClassLoader Process Runtime StringBuilder CharSequence Package Module
List Map Date ArrayList LinkedHashMap Locale TimeZone Objects Arrays Collections Calendar GregorianCalendar
IOException Type TypeToken Gson JsonElement JsonObject JsonArray JsonPrimitive JsonNull JsonParser JsonParseException
TypeAdapter JsonReader JsonWriter JsonToken JsonAdapter SerializedName JsonSerializer JsonDeserializer
JsonSerializationContext JsonDeserializationContext OkHttpClient Request Response Call Callback MediaType RequestBody
HttpUrl Headers Credentials TypeAdapterFactory JsonTreeWriter Field Modifier ParameterizedType ExplicitNulls
""".split())
# Every method of java.lang.Object: an operation named like one would override it (finalize: the client would call
# the API when garbage-collected) or not compile (getClass, wait, notify are final).
OBJECT_METHODS = frozenset({"equals", "hashCode", "toString", "getClass", "notify", "notifyAll", "wait", "clone",
                            "finalize"})
NAMING = LanguageNaming(
    keywords=JAVA_KEYWORDS, member_case="camel", param_case="camel", enum_case="upper_snake",
    type_reserved=RUNTIME_TYPES | {"ExplicitNulls"},
    member_reserved=OBJECT_METHODS | {"getConfiguration", "transport", "configuration", "fields", "fieldsOf",
                                      "kindOf"},
    param_reserved=frozenset({"options", "callback", "body", "contentType"}),
    property_reserved=frozenset({"additionalProperties", "explicitNulls"}),
    operation_suffixes=("WithResponse", "Async", "Request"),
)
_SCALARS = {"string": "String", "integer": "Long", "number": "Double", "boolean": "Boolean", "date": "String",
            "datetime": "Date", "binary": "byte[]", "any": "Object", "null": "Object"}
_SEGMENT = re.compile(r"[a-z][a-z0-9_]*\Z")
_UNICODE_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u+([0-9a-fA-F]{4})")  # eligible per JLS 3.3
_VERSION = re.compile(r"[0-9]+(\.[0-9]+){0,2}\Z")


def java_type(t: TypeRef) -> str:
    if t.kind == "array" and t.items is not None:
        return f"List<{java_type(t.items)}>"
    if t.kind == "map" and t.values is not None:
        return f"Map<String, {java_type(t.values)}>"
    if t.kind == "model" and t.model is not None:
        return t.model.name
    return _SCALARS.get(t.kind, "Object")


def type_expr(t: TypeRef) -> str:
    """A ``java.lang.reflect.Type`` expression for Gson."""
    text = java_type(t)
    if "<" in text:
        return f"new TypeToken<{text}>() {{ }}.getType()"
    return f"{text}.class"


def json_check(t: TypeRef) -> str:
    """A Java condition on ``json`` (a JsonElement) that holds when the JSON could be a value of ``t``."""
    if t.kind == "model" and t.model is not None:
        m = t.model
        if m.kind == "enum":
            return json_check(TypeRef({"string": "string", "integer": "number", "number": "number",
                                       "boolean": "boolean"}[m.value_type]))
        if m.kind == "object":
            required = "".join(f" && json.getAsJsonObject().has({java_str(p.wire_name)})"
                               for p in m.all_properties if p.required)
            return "json.isJsonObject()" + required
        return "true"
    if t.kind in ("string", "date", "datetime"):
        return "json.isJsonPrimitive() && json.getAsJsonPrimitive().isString()"
    if t.kind == "integer":
        return "json.isJsonPrimitive() && json.getAsJsonPrimitive().isNumber() && Json.isIntegral(json)"
    if t.kind == "number":
        return "json.isJsonPrimitive() && json.getAsJsonPrimitive().isNumber()"
    if t.kind == "boolean":
        return "json.isJsonPrimitive() && json.getAsJsonPrimitive().isBoolean()"
    if t.kind in ("array", "binary"):
        return "json.isJsonArray()"
    if t.kind == "map":
        return "json.isJsonObject()"
    return "true"


def literal(value: Any, value_type: str = "string") -> str:
    if isinstance(value, bool):
        return "Boolean.TRUE" if value else "Boolean.FALSE"
    if value_type == "integer" and isinstance(value, int):
        return f"Long.valueOf({value}L)"
    if isinstance(value, (int, float)):
        text = repr(float(value))
        return f"Double.valueOf({text})"
    if isinstance(value, str):
        return java_str(value)
    raise GenerationError(f"cannot write {type(value).__name__} as a Java literal")


def enum_value_type(model: Model) -> str:
    return {"string": "String", "integer": "Long", "number": "Double", "boolean": "Boolean"}[model.value_type]


def capitalize(name: str) -> str:
    return name[:1].upper() + name[1:]


def example(t: TypeRef | None, depth: int = 0) -> str:
    """A short Java expression of type ``t`` for README examples."""
    if t is None:
        return "null"
    if t.kind == "model" and t.model is not None:
        m = t.model
        if m.kind == "enum":
            return f"{m.name}.{m.values[0].name}"
        if m.kind == "union":
            cases = ms.union_cases(m, "pascal", UNION_RESERVED)
            return f"{m.name}.of{cases[0].name}({example(cases[0].type, depth + 1)})" if cases else "null"
        if depth > 3:
            return f"new {m.name}()"
        setters = "".join(f".set{capitalize(p.name)}({example(p.type, depth + 1)})"
                          for p in m.all_properties if p.required)
        return f"new {m.name}(){setters}"
    if t.kind == "array":
        return f"java.util.Arrays.asList({example(t.items, depth + 1)})" if t.items is not None and depth < 4 \
            else "new java.util.ArrayList<>()"
    if t.kind == "map":
        return "new java.util.HashMap<>()"
    return {"string": '"string"', "integer": "1L", "number": "1.5", "boolean": "true", "binary": "new byte[0]",
            "date": '"2024-01-31"', "datetime": "new java.util.Date()"}.get(t.kind, "null")


UNION_RESERVED = frozenset({"Unknown", "Value", "Kind", "Class"})


class AndroidTarget(Target):
    lang = "android"
    template_dir = "android"
    naming = NAMING

    def __init__(self) -> None:
        self.filters = {"java_type": java_type, "type_expr": type_expr, "java_literal": literal,
                        "java_example": example, "value_type": enum_value_type, "capitalize": capitalize,
                        "json_check": json_check}

    def settings(self, sdk: SdkApi, name: str | None) -> dict[str, Any]:
        if name is not None:
            segments = name.split(".")
            if len(segments) < 2 or not all(_SEGMENT.match(s) and s not in JAVA_KEYWORDS for s in segments):
                raise InputError(f"--name '{name}' is not a Java package name (two or more lower-case segments "
                                 "such as com.example.shop, no keywords)")
            package = name
        else:
            segment = shorten("".join(words(sdk.title)).lower(), "snake")
            if not segment[:1].isalpha() or segment in JAVA_KEYWORDS:
                segment = "api" + segment
            package = "com.example." + segment
        version = str(sdk.version)
        return {"package": package, "path": package.replace(".", "/"), "base_url": ms.base_url(sdk),
                "version": version if _VERSION.match(version) else "0.0.0"}

    def type_name(self, t: TypeRef) -> str:
        return java_type(t)

    def outputs(self, sdk: SdkApi, settings: dict[str, Any]) -> list[Output]:
        src = f"src/main/java/{settings['path']}"
        ops = [self.operation_view(op) for op in sdk.operations]
        outputs = [
            Output("build.gradle", "build.gradle.j2"),
            Output("consumer-rules.pro", "consumer-rules.pro.j2"),
            Output("src/main/AndroidManifest.xml", "AndroidManifest.xml.j2"),
            Output("README.md", "README.md.j2", context={"ops": ops}),
            Output(f"{src}/ApiClient.java", "ApiClient.java.j2", context={"ops": ops}),
            Output(f"src/test/java/{settings['path']}/RuntimeTest.java", "RuntimeTest.java.j2"),
        ]
        for runtime in ("Configuration", "Transport", "PreparedRequest", "RequestOptions", "ApiResponse",
                        "ApiException", "ApiCallback", "ApiCall", "AwsCredentials", "AuthScheme", "SigV4", "Json",
                        "OpenEnum", "ExplicitNulls"):
            outputs.append(Output(f"{src}/{runtime}.java", f"runtime/{runtime}.java.j2"))
        for model in sdk.models:
            view = {"cases": ms.union_cases(model, "pascal", UNION_RESERVED)} if model.kind == "union" else {}
            outputs.append(Output(f"{src}/model/{model.name}.java", "Model.java.j2", context={"model": model, **view}))
        return outputs

    def operation_view(self, op: Operation) -> dict[str, Any]:
        params = ms.ordered_params(op)
        body = op.body
        body_type = None
        if body is not None:
            body_type = java_type(body.type) if body.kind in ("json", "form", "multipart") else \
                ("String" if body.kind == "text" else "byte[]")
        kind = op.result_kind
        result = (java_type(op.result) if op.result else "Object") if kind == "json" else \
            {"binary": "byte[]", "text": "String"}.get(kind, "Void")
        result_expr = (type_expr(op.result) if op.result else "Object.class") if kind == "json" else "null"
        errors = [(r.status, type_expr(r.type)) for r in op.errors
                  if r.content is not None and r.content.kind == "json" and r.type is not None]
        content_choice = body is not None and len(body.choices) > 1
        declared = [f"{java_type(p.type)} {p.name}" for p in params if p.location == "path"]
        if body_type:
            declared.append(f"{body_type} body")
        if content_choice:
            declared.append("String contentType")
        declared += [f"{java_type(p.type)} {p.name}" for p in params if p.location != "path"]
        names = [d.rsplit(" ", 1)[1] for d in declared]
        return {"op": op, "params": params, "path": ms.path_parts(op), "body_type": body_type, "result": result,
                "result_expr": result_expr, "errors": errors, "content_choice": content_choice,
                "declared": declared, "names": names, "example_args": self.example_args(op, params, content_choice)}

    def example_args(self, op: Operation, params, content_choice: bool) -> str:
        args = [example(p.type) for p in params if p.location == "path"]
        if op.body is not None:
            args.append(example(op.body.type) if op.body.kind in ("json", "form", "multipart") else
                        ('"text"' if op.body.kind == "text" else "new byte[0]"))
        if content_choice and op.body is not None:
            args.append(java_str(op.body.primary.media_type))
        args += [example(p.type) if p.required else "null" for p in params if p.location != "path"]
        return ", ".join(args)

    def check(self, files: dict[str, str], sdk: SdkApi, settings: dict[str, Any]) -> None:
        """Each model file declares exactly its own public class, and no Java file holds a Unicode escape of an
        ASCII character (Java translates those before parsing, so ``\\u002a/`` could end a comment)."""
        src = f"src/main/java/{settings['path']}"
        for model in sdk.models:
            text = files[f"{src}/model/{model.name}.java"]
            declared = re.findall(r"^public (?:final )?class ([A-Za-z_][A-Za-z0-9_]*)", text, re.M)
            if declared != [model.name]:
                raise GenerationError(f"model/{model.name}.java declares {declared}, expected {model.name}")
        for path, text in files.items():
            if not path.endswith(".java") or "\\u" not in text:  # the regex pass is costly; most files have none
                continue
            for match in _UNICODE_ESCAPE.finditer(text):
                if int(match.group(1), 16) < 0x80:
                    raise GenerationError(f"{path} contains the escape \\u{match.group(1)}, which Java translates "
                                          "into ASCII before parsing")


TARGET = AndroidTarget()
