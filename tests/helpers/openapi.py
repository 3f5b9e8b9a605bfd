"""The app's OpenAPI document and its operations, for the tests that hold the docs to account."""


def load_spec(client) -> dict:
    return client.get("/openapi.json").get_json()


def operations(spec: dict):
    """(path, method, operation, parameters: the path's and the operation's) of every operation."""
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                shared = item.get("parameters", [])
                yield path, method, operation, [*shared, *operation.get("parameters", [])]
