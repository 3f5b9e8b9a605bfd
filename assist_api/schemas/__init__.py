"""marshmallow schemas: every request body in, every response body out."""
