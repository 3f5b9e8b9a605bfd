"""Value Assist's service: the Flask app factory lives here (see create_app)."""
