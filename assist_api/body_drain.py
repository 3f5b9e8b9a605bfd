"""Read what a request body the app left unread before answering (keep-alive safety).

Flask answers 404, 405, OPTIONS, 401 and 413 without reading the body. gunicorn's gthread
worker then discards the leftover after the answer is sent; by then a fast keep-alive
client may already have sent its next request, and the discard's `recv` takes those bytes
into gunicorn's own buffer. The connection goes back to the poller, which waits for the
socket to be readable again and never sees the request it already holds: the client waits
until its timeout (Schemathesis: 10 s read timeouts on wrong-method requests with a body).
Reading the body here, before the first byte of the answer, leaves nothing to discard.

Bodies larger than the cap are not read (gunicorn's bounded discard then closes the
connection, which is safe); the cap is the request limit, at least `MIN_CAP_BYTES`, more
than gunicorn's 64 KiB discard limit.
"""

CHUNK_BYTES = 64 * 1024
MIN_CAP_BYTES = 128 * 1024


def should_drain(environ: dict, cap: int) -> bool:
    """A declared length up to `cap`, or a chunked body the server ends for us."""
    try:
        declared = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    if declared:
        return declared <= cap
    chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    return chunked and bool(environ.get("wsgi.input_terminated"))


class DrainUnreadBody:
    """WSGI middleware: after the app returns, read the rest of the body (bounded)."""

    def __init__(self, app, max_request_bytes: int):
        self.app = app
        self.cap = max(int(max_request_bytes), MIN_CAP_BYTES)

    def __call__(self, environ, start_response):
        result = self.app(environ, start_response)
        if should_drain(environ, self.cap):
            self._drain(environ.get("wsgi.input"))
        return result

    def _drain(self, stream) -> None:
        if stream is None:
            return
        left = self.cap
        try:
            while left > 0:
                data = stream.read(min(CHUNK_BYTES, left))
                if not data:
                    return
                left -= len(data)
        except (OSError, ValueError):  # the client went away; gunicorn closes the connection
            return
