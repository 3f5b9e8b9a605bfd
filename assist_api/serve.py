"""Run the app under gunicorn, programmatically (`value-assist serve`).

Workers are forked before the app is built (no preload), so each worker loads the model
once and runs its own alias watcher; Prometheus metrics are aggregated across workers.

The worker class is `gthread`: an agent desktop holds its connection open between
requests, and gunicorn's sync worker closes every connection after one answer, so each
request paid a new TCP handshake (and the benchmark's ratio against keep-alive peers
shrank). A gthread worker keeps idle keep-alive connections in its poller, where they
hold no thread; only a request being answered holds one. The threads also let a worker
hold long-poll waits (the desk's guidance) without stopping `/v1/assist`. Python runs one
thread at a time per worker, so CPU work still scales with workers (about one per core);
the threads are there for waiting, not for computing.
"""

import os
import shutil
from pathlib import Path

from gunicorn.app.base import BaseApplication

DEFAULT_WORKERS = 2  # about one per core
DEFAULT_THREADS = 16  # requests (and long-poll waits) a worker answers at once
# longer than a load balancer's usual 60 s idle timeout, so the server is never the side
# that closes a connection the balancer still thinks is open
DEFAULT_KEEPALIVE_SECONDS = 75


class GunicornServer(BaseApplication):
    """gunicorn with our options, serving `create_app(app_config)` or `app_factory()`."""

    def __init__(self, options: dict, app_config=None, app_factory=None):
        self.options = options
        self.app_config = app_config
        self.app_factory = app_factory
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)

    def load(self):
        if self.app_factory is not None:
            return self.app_factory()
        from assist_api import create_app

        return create_app(self.app_config)


def _child_exit(_server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def prepare_metrics_dir(data_dir: Path) -> Path:
    """A fresh multi-process metrics folder for this server (old workers' files removed)."""
    folder = Path(data_dir) / "prometheus"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
    return folder


def gunicorn_options(
    host: str,
    port: int,
    workers: int = DEFAULT_WORKERS,
    threads: int = DEFAULT_THREADS,
    keepalive: int = DEFAULT_KEEPALIVE_SECONDS,
) -> dict:
    """The options `value-assist serve` runs gunicorn with (the benchmark's Flask floor
    runs under the same ones)."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "keepalive": keepalive,
        # with gthread this is the worker's heartbeat, not a limit on one request's time
        "timeout": 30,
        "graceful_timeout": 20,
        "child_exit": _child_exit,
        # One shared ~/.gunicorn control socket would tie every server on the machine together.
        "control_socket_disable": True,
        "accesslog": None,
        "errorlog": "-",
    }


def serve(
    host: str,
    port: int,
    workers: int,
    data_dir: Path,
    threads: int = DEFAULT_THREADS,
    keepalive: int = DEFAULT_KEEPALIVE_SECONDS,
    app_config=None,
):
    prepare_metrics_dir(data_dir)
    options = gunicorn_options(host, port, workers, threads, keepalive)
    GunicornServer(options, app_config).run()
