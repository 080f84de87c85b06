"""Contract validator over the copied Scalev OpenAPI subset (``scalev-openapi-subset.json``).

Usage::

    from tests.contract import openapi
    openapi.validate_request_body("POST", "/v3/orders", body)
    openapi.validate_response("GET", "/v3/orders/{id}", 200, response.json())
    openapi.validation_count()  # how many validations ran in this process

Both functions raise ``jsonschema.ValidationError`` (or ``KeyError`` for an operation that is
not in the subset). ``$ref``s resolve inside the document; OpenAPI 3.0 ``nullable`` and formats
are honoured by ``openapi-schema-validator``'s OAS30 validator.
"""

from __future__ import annotations

import json
import threading
from functools import cache
from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS30Validator, oas30_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SPEC_PATH = Path(__file__).with_name("scalev-openapi-subset.json")
_BASE = "urn:scalev-openapi-subset"
_lock = threading.Lock()
_count = 0


@cache
def spec() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SPEC_PATH.read_text("utf-8"))
    return data


@cache
def _registry() -> Registry:
    resource: Resource[Any] = DRAFT4.create_resource(spec())
    return Registry().with_resource(_BASE, resource)


def _deref(obj: dict[str, Any]) -> dict[str, Any]:
    """Follow a local ``$ref`` (used for responses / requestBodies, not schemas)."""
    while "$ref" in obj:
        node: Any = spec()
        for part in obj["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        obj = node
    return obj


def _operation(method: str, path_template: str) -> dict[str, Any]:
    paths = spec()["paths"]
    if path_template not in paths:
        raise KeyError(f"{path_template} is not in the OpenAPI subset")
    op = paths[path_template].get(method.lower())
    if op is None:
        raise KeyError(f"{method.upper()} {path_template} is not in the OpenAPI subset")
    return op


def _count_one() -> None:
    global _count
    with _lock:
        _count += 1


def validation_count() -> int:
    """Number of validations performed so far in this process."""
    return _count


def validate_schema(schema: dict[str, Any], instance: Any) -> None:
    """Validate ``instance`` against an inline schema that may contain local ``$ref``s."""
    # Make local refs absolute so they resolve against the registered document.
    schema = json.loads(json.dumps(schema).replace('"#/components', f'"{_BASE}#/components'))
    validator = OAS30Validator(schema, registry=_registry(), format_checker=oas30_format_checker)
    validator.validate(instance)
    _count_one()


def validate_component(name: str, instance: Any) -> None:
    """Validate against ``#/components/schemas/<name>``."""
    if name not in spec()["components"]["schemas"]:
        raise KeyError(name)
    validate_schema({"$ref": f"#/components/schemas/{name}"}, instance)


def request_schema(method: str, path_template: str) -> dict[str, Any]:
    op = _operation(method, path_template)
    if "requestBody" not in op:
        raise KeyError(f"{method.upper()} {path_template} has no request body")
    body = _deref(op["requestBody"])
    return body["content"]["application/json"]["schema"]


def validate_request_body(method: str, path_template: str, body: Any) -> None:
    validate_schema(request_schema(method, path_template), body)


def response_schema(method: str, path_template: str, status: int) -> dict[str, Any]:
    """The documented JSON schema for a status.

    Error statuses the subset does not list for the operation (e.g. 422 on ``POST /v3/orders``,
    404 on list routes) fall back to ``ApiErrorResponse``, Scalev's documented error shape.
    """
    op = _operation(method, path_template)
    responses = op["responses"]
    entry = responses.get(str(status)) or responses.get("default")
    if entry is None:
        if status >= 400:
            return {"$ref": "#/components/schemas/ApiErrorResponse"}
        raise KeyError(f"{method.upper()} {path_template} does not document status {status}")
    resolved = _deref(entry)
    return resolved["content"]["application/json"]["schema"]


def validate_response(method: str, path_template: str, status: int, body: Any) -> None:
    validate_schema(response_schema(method, path_template, status), body)
