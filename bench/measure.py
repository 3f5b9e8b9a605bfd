"""Latency and throughput of the benchmark's targets, all measured the same way."""

import fcntl
import statistics
import threading
import time
from contextlib import contextmanager

from http_clients import make_client

BLOCK = 50  # requests one server answers before the next takes its turn
WARM_UP = 20


def sequential(targets, count: int, mode: str, block: int = BLOCK):
    """({name: latencies}, {name: reconnects}): one client per target, the targets taking
    turns in blocks of `block` requests.

    This machine's speed drifts by tens of percent within a minute; taking turns puts every
    server through the same drift instead of giving one the fast minute, and blocks (not
    single requests) let each server run warm, as it would on its own machine. A
    keep-alive client keeps its one connection across the turns, as a desktop does.
    """
    clients = {t.name: make_client(mode, t.port, t.path, t.headers) for t in targets}
    for target in targets:
        for payload in target.payloads[:WARM_UP]:
            clients[target.name].post(payload)
    latencies: dict[str, list[float]] = {t.name: [] for t in targets}
    for start in range(0, count, block):
        for target in targets:
            client, payloads = clients[target.name], target.payloads
            latencies[target.name] += [
                client.post(payloads[i % len(payloads)])
                for i in range(start, min(start + block, count))
            ]
    for client in clients.values():
        client.close()
    return latencies, {name: client.reconnects for name, client in clients.items()}


def concurrent(target, clients: int, seconds: float, mode: str):
    """(latencies, requests per second, reconnects) of `clients` concurrent clients, each
    one desktop with its own connection, for `seconds`."""
    latencies: list[float] = []
    errors: list[str] = []
    reconnects = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def desktop(offset: int):
        client = make_client(mode, target.port, target.path, target.headers)
        payloads, i, mine = target.payloads, offset, []
        while time.monotonic() < stop_at:
            try:
                mine.append(client.post(payloads[i % len(payloads)]))
            except Exception as exc:  # count, keep going: the figure must show failures
                client.close()
                errors.append(repr(exc))
            i += clients
        client.close()
        with lock:
            latencies.extend(mine)
            reconnects[0] += client.reconnects

    threads = [threading.Thread(target=desktop, args=(k,)) for k in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        print(f"  {target.name}: {len(errors)} failed requests, first: {errors[0]}")
    return latencies, len(latencies) / (time.monotonic() - started), reconnects[0]


def percentiles(values: list[float]) -> dict[str, float]:
    """p50/p90/p99 in milliseconds."""
    q = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": q[49] * 1000, "p90": q[89] * 1000, "p99": q[98] * 1000}


@contextmanager
def measuring_lock(path: str):
    """Hold a machine-wide lock while measuring, so benchmarks on a shared machine take
    turns (setting up servers and models happens outside it)."""
    if not path:
        yield
        return
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
