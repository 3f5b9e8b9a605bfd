"""`value-assist serve` keeps a desktop's connection open, and idle connections hold no thread.

gunicorn's sync worker closed every connection after one answer; the gthread worker keeps
idle keep-alive connections in its poller. Both are checked on real gunicorn (2 workers).
"""

import http.client

import pytest

from tests.helpers.server import serve, service_env, stop

pytestmark = pytest.mark.integration
IDLE_DESKS = 40  # more than 2 workers x 16 threads: idle connections must not hold threads


def get(connection: http.client.HTTPConnection, path: str) -> http.client.HTTPResponse:
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    return response


@pytest.fixture
def service(tmp_path):
    served = serve(service_env(tmp_path / "data", f"sqlite:///{tmp_path / 'store.db'}"))
    yield served
    stop(served)


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def test_one_connection_answers_request_after_request(service):
    connection = http.client.HTTPConnection("127.0.0.1", port_of(service.url), timeout=10)
    first = get(connection, "/healthz")
    socket_used = connection.sock
    assert first.status == 200
    assert first.getheader("Connection", "").lower() != "close"
    for _ in range(5):
        assert get(connection, "/healthz").status == 200
        assert connection.sock is socket_used  # http.client drops a socket the server closes
    connection.close()


def test_idle_keep_alive_connections_do_not_stop_others_being_answered(service):
    port = port_of(service.url)
    idle = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(IDLE_DESKS)]
    try:
        for connection in idle:
            assert get(connection, "/healthz").status == 200
        sockets = [connection.sock for connection in idle]
        assert None not in sockets  # every one still open, and now idle
        fresh = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        assert get(fresh, "/healthz").status == 200
        fresh.close()
        assert all(get(c, "/healthz").status == 200 for c in idle)
        assert [connection.sock for connection in idle] == sockets  # still the same ones
    finally:
        for connection in idle:
            connection.close()
