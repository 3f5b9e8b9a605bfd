"""Descriptions and examples for /openapi.json, kept as data beside the routes.

An integrator reads the OpenAPI document, not our code, so every operation needs a
description, a worked example and every field a meaning. Writing those as YAML here
(`fields.yaml`, `operations.yaml`) keeps the schemas readable and lets a CS writer edit
the prose without touching Python. `DocsPlugin` is an apispec plugin: flask-smorest builds
the document from the marshmallow schemas as usual, and the plugin, running after the
marshmallow one, adds what the YAML says — never overriding a description written in code.
"""

from copy import deepcopy
from importlib import resources

import yaml
from apispec import BasePlugin


def load_docs() -> dict:
    """{"document": …, "fields": …, "operations": …} from the package's YAML files."""
    folder = resources.files(__package__)
    return {
        name: yaml.safe_load(folder.joinpath(f"{name}.yaml").read_text(encoding="utf-8"))
        for name in ("document", "fields", "operations")
    }


class DocsPlugin(BasePlugin):
    """Adds field descriptions to components and descriptions and examples to operations."""

    def __init__(self, docs: dict):
        self.fields = docs["fields"]
        self.operations = docs["operations"]
        self.document = docs["document"]

    def init_spec(self, spec):
        spec.options.setdefault("info", {})["description"] = self.document["info"]

    def describe(self, schema_name: str | None, field_name: str) -> str | None:
        own = self.fields.get("schemas", {}).get(schema_name or "", {})
        return own.get(field_name) or self.fields["any"].get(field_name)

    def schema_helper(self, name, definition, **kwargs):
        for field_name, prop in definition.get("properties", {}).items():
            text = self.describe(name, field_name)
            if text and "description" not in prop:
                _set_description(prop, text)
            _portable_patterns(prop)
        return None

    def path_helper(self, path=None, operations=None, parameters=None, **kwargs):
        for parameter in parameters or ():
            self._describe_parameter(parameter)
        return None

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            docs = self.operations.get(f"{method.upper()} {path}")
            for parameter in operation.get("parameters", ()):
                self._describe_parameter(parameter)
            if not docs:
                continue
            role = operation.get("description")  # `secured` writes "Role: …"
            operation["description"] = "\n\n".join(filter(None, [docs["description"], role]))
            if "request" in docs and "requestBody" in operation:
                # the body's own media type: JSON, or a platform's form-encoded callback
                content = next(iter(operation["requestBody"]["content"].values()))
                content["examples"] = deepcopy(docs["request"])
            if "response" in docs:
                status = min(code for code in operation["responses"] if str(code).startswith("2"))
                response = operation["responses"][status]
                content = response.setdefault("content", {}).setdefault("application/json", {})
                content["examples"] = deepcopy(docs["response"])

    def _describe_parameter(self, parameter: dict) -> None:
        if not isinstance(parameter, dict):
            return
        name = parameter.get("name", "")
        if "description" not in parameter:
            text = self.describe("parameters", name)
            if text:
                parameter["description"] = text
        example = self.fields.get("parameter_examples", {}).get(name)
        if example is not None and parameter.get("in") == "path":
            parameter.setdefault("example", example)


def _set_description(prop: dict, text: str) -> None:
    """OpenAPI 3.0 ignores a $ref's siblings, so a described reference goes inside allOf."""
    if "$ref" in prop:
        prop["allOf"] = [{"$ref": prop.pop("$ref")}]
    prop["description"] = text


def _portable_patterns(prop: dict) -> None:
    """Python's end-of-text anchor `\\Z` means `$` in the ECMA regexes OpenAPI tools use."""
    for node in (prop, prop.get("items") or {}):
        if node.get("pattern", "").endswith("\\Z"):
            node["pattern"] = node["pattern"][:-2] + "$"
