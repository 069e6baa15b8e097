"""The API documentation page: the OpenAPI schema (`/api/v1/schema/`) read out as
an ordinary page of the site, so it is accessible, in the site's languages for its
own words, and served under the site's CSP (no third-party script UI).

The schema's texts (summaries, descriptions) are written in English; the page
marks them with `lang="en"`."""

from functools import lru_cache

from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@lru_cache(maxsize=1)
def _schema() -> dict:
    # The schema depends only on the code, so it is built once per process.
    return SchemaGenerator().get_schema(request=None, public=True)


def _type(schema: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "type" not in schema and ("oneOf" in schema or "anyOf" in schema):
        return " | ".join(_type(s) for s in schema.get("oneOf") or schema["anyOf"])
    kind = schema.get("type", "")
    if kind == "array":
        return f"array of {_type(schema.get('items', {}))}"
    if schema.get("format"):
        return f"{kind} ({schema['format']})"
    if schema.get("enum"):
        return f"{kind}: {', '.join(str(v) for v in schema['enum'] if v)}"
    return kind


def _operations(schema: dict) -> list[dict]:
    operations = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            operations.append(
                {
                    "id": operation.get("operationId") or f"{method}-{path}",
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "type": _type(p.get("schema", {})),
                            "description": p.get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "responses": [
                        {
                            "status": status,
                            "description": response.get("description", ""),
                            "types": sorted(
                                {
                                    f"{media}: {_type(body.get('schema', {}))}"
                                    for media, body in response.get(
                                        "content", {}
                                    ).items()
                                }
                            ),
                        }
                        for status, response in operation.get("responses", {}).items()
                    ],
                }
            )
    return operations


def api_docs(request):
    schema = _schema()
    return render(
        request,
        "opendata/api_docs.html",
        {"info": schema.get("info", {}), "operations": _operations(schema)},
    )
