"""Per-stage timing of one request, for metrics and the latency benchmark's breakdown."""

import time


class StageTimer:
    """`with timer.stage("features"): ...` adds the block's wall time to that stage."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self._started = time.perf_counter()

    def stage(self, name: str) -> "_Stage":
        return _Stage(self, name)

    def total(self) -> float:
        return time.perf_counter() - self._started


class _Stage:
    __slots__ = ("_timer", "_name", "_start")

    def __init__(self, timer: StageTimer, name: str):
        self._timer = timer
        self._name = name

    def __enter__(self):
        self._start = time.perf_counter()

    def __exit__(self, *exc_info):
        elapsed = time.perf_counter() - self._start
        seconds = self._timer.seconds
        seconds[self._name] = seconds.get(self._name, 0.0) + elapsed
