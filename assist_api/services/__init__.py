"""Services: plain Python the routes, the CLI and the tests call. Never imports Flask."""
