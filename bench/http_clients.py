"""The benchmark's HTTP clients: keep-alive (as an agent desktop calls) or a new connection
per request (as the previous benchmark measured).

Both are minimal HTTP/1.1 clients on a raw socket: they send the request, read the status
line and the body (by Content-Length, or chunked), and check for a 200. Python's
http.client spends ~0.15 ms per request building the request and parsing headers, which is
the client's time, not the server's, and would squeeze every ratio; `HttpLibClient` keeps
that measurement available. Every server in one run gets the same kind of client.

A client object is one desktop: it holds at most one connection and is used by one thread.
"""

import http.client
import socket
import time

KEEP_ALIVE = "keep-alive"
NEW_CONNECTION = "new-connection"
HTTP_CLIENT = "http.client"
MODES = (KEEP_ALIVE, NEW_CONNECTION, HTTP_CLIENT)


class ServerError(RuntimeError):
    """The server answered something other than 200, or closed the connection early."""


class SocketClient:
    """One desktop's connection to one server; `post` returns the seconds one POST took."""

    def __init__(self, port: int, path: str, headers: dict, keep_alive: bool = True):
        self.port, self.path, self.keep_alive = port, path, keep_alive
        head = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
        head.append("Connection: keep-alive" if keep_alive else "Connection: close")
        head += [f"{name}: {value}" for name, value in headers.items()]
        self._head = "\r\n".join(head).encode("latin-1")
        self._socket: socket.socket | None = None
        self.reconnects = 0  # connections opened after the first: a server closing on us

    def post(self, payload: bytes) -> float:
        request = self._head + b"\r\nContent-Length: %d\r\n\r\n" % len(payload) + payload
        started = time.perf_counter()
        if self._socket is None:
            self._connect()
        try:
            self._socket.sendall(request)
            status, closing = self._read_answer()
        except (ConnectionError, ServerError):
            if not self.keep_alive:
                raise
            # the server closed an idle keep-alive connection: open a new one, as a desktop
            # does, and count it (a keep-alive server should rarely need this)
            self.close()
            self._connect()
            self.reconnects += 1
            self._socket.sendall(request)
            status, closing = self._read_answer()
        elapsed = time.perf_counter() - started
        if closing or not self.keep_alive:
            self.close()
        if status != b"200":
            raise ServerError(f"{self.path} answered {status.decode()}")
        return elapsed

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def _connect(self) -> None:
        self._socket = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._buffer = b""

    def _read_answer(self) -> tuple[bytes, bool]:
        """(status code, whether the server will close) after reading one whole answer."""
        while b"\r\n\r\n" not in self._buffer:
            self._buffer += self._receive()
        header, _, rest = self._buffer.partition(b"\r\n\r\n")
        lines = header.split(b"\r\n")
        status = lines[0].split(b" ", 2)[1]
        fields = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            fields[name.strip().lower()] = value.strip().lower()
        if b"content-length" in fields:
            length = int(fields[b"content-length"])
            while len(rest) < length:
                rest += self._receive()
            self._buffer = rest[length:]
        elif fields.get(b"transfer-encoding") == b"chunked":
            self._buffer = self._skip_chunks(rest)
        else:
            raise ServerError("the answer has neither Content-Length nor chunked encoding")
        closing = fields.get(b"connection") == b"close" or lines[0].startswith(b"HTTP/1.0")
        return status, closing

    def _skip_chunks(self, rest: bytes) -> bytes:
        while True:
            while b"\r\n" not in rest:
                rest += self._receive()
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            while len(rest) < size + 2:
                rest += self._receive()
            rest = rest[size + 2 :]
            if size == 0:
                return rest

    def _receive(self) -> bytes:
        chunk = self._socket.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection before the whole answer")
        return chunk


class HttpLibClient:
    """As `SocketClient` with a new connection per request, through http.client."""

    def __init__(self, port: int, path: str, headers: dict):
        self.port, self.path, self.headers = port, path, headers
        self.reconnects = 0

    def post(self, payload: bytes) -> float:
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("POST", self.path, payload, self.headers)
        response = connection.getresponse()
        response.read()
        elapsed = time.perf_counter() - started
        connection.close()
        if response.status != 200:
            raise ServerError(f"{self.path} answered {response.status}")
        return elapsed

    def close(self) -> None:
        pass


def make_client(mode: str, port: int, path: str, headers: dict):
    """A client of the given mode (one of MODES) for one server."""
    if mode == HTTP_CLIENT:
        return HttpLibClient(port, path, headers)
    return SocketClient(port, path, headers, keep_alive=mode == KEEP_ALIVE)
