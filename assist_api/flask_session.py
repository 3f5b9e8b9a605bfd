"""Flask's signed-cookie session, opened only for the web pages.

The cookie session carries one thing: the sign-in form's CSRF token. Opening it costs a
signing serializer and a cookie parse on every request (~50 µs), so API calls under
/v1/ — the agent desktop's real-time path — get Flask's null session instead, which
refuses writes instead of silently dropping them.
"""

from flask.sessions import SecureCookieSessionInterface

API_PREFIX = "/v1/"  # the JSON API; everything else is pages, docs, health and metrics


class PageSessionInterface(SecureCookieSessionInterface):
    def open_session(self, app, request):
        if request.path.startswith(API_PREFIX):
            return self.make_null_session(app)
        return super().open_session(app, request)
