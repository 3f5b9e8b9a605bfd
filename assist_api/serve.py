"""Run the app under gunicorn, programmatically (`value-assist serve`).

Workers are forked before the app is built (no preload), so each worker loads the model
once and runs its own alias watcher; Prometheus metrics are aggregated across workers.
"""

import os
import shutil
from pathlib import Path

from gunicorn.app.base import BaseApplication


class GunicornServer(BaseApplication):
    def __init__(self, options: dict, app_config=None):
        self.options = options
        self.app_config = app_config
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)

    def load(self):
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


def serve(host: str, port: int, workers: int, data_dir: Path, threads: int = 1, app_config=None):
    prepare_metrics_dir(data_dir)
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "timeout": 30,
        "graceful_timeout": 20,
        "keepalive": 5,
        "child_exit": _child_exit,
        # One shared ~/.gunicorn control socket would tie every server on the machine together.
        "control_socket_disable": True,
        "accesslog": None,
        "errorlog": "-",
    }
    GunicornServer(options, app_config).run()
