"""The serving runtime: the champion loaded once per worker, swapped atomically when it moves.

A Flask extension in the flaskr style (`Scorer()` then `init_app(app)`), but it never
keeps the app: the CLI and batch jobs use it with `Scorer(settings)` and no Flask at all.

Requests only read `scorer.current`, a single attribute holding an immutable
LoadedModel. A reload builds the new model completely and then rebinds that attribute,
so a request sees the old model or the new one, never half of each, and never waits.
Registry and disk work happens under a lock that requests never take, and no error
from it ever reaches a request: it is recorded and shown by `status()`.
"""

import functools
import logging
import os
import shutil
import tempfile
import threading
import weakref
from dataclasses import replace
from datetime import UTC, datetime

from models import model_cache, registry
from models.loaded import IncompatibleModel, LoadedModel, load_model

log = logging.getLogger(__name__)

SETTINGS_KEY = "SETTINGS"  # app.config key holding an assist_api.config.Settings
EXTENSION_KEY = "scorer"  # app.extensions key
MAX_ERROR_CHARS = 500


class NoChampion(LookupError):
    """The registry answered, but no version carries the alias."""


class Scorer:
    def __init__(self, settings=None):
        self.settings = settings
        self._model: LoadedModel | None = None
        self._last_error: str | None = None
        self._last_check_at: datetime | None = None
        self._cache_error: str | None = None
        self._refused: dict[str, str] = {}  # version -> why (not retried unless forced)
        self._reset_threads()
        os.register_at_fork(after_in_child=functools.partial(_reset_in_child, weakref.ref(self)))

    def init_app(self, app, load: bool = True) -> None:
        """Bind to an app: settings from app.config["SETTINGS"]; load unless told not to."""
        settings = app.config.get(SETTINGS_KEY, self.settings)
        if settings is None:
            raise RuntimeError(f"app.config[{SETTINGS_KEY!r}] must hold the Settings")
        self.settings = settings
        app.extensions[EXTENSION_KEY] = self
        if load and self._model is None:
            self.load()

    @property
    def current(self) -> LoadedModel | None:
        """The live model, or None when none could be loaded. Read it once per request."""
        return self._model

    @property
    def ready(self) -> bool:
        return self._model is not None

    def load(self) -> LoadedModel | None:
        """The registry's champion; if the registry fails, the last cached model."""
        return self.reload()[1]

    def reload(self, force: bool = False) -> tuple[bool, LoadedModel | None]:
        """Check the alias; swap in its version if it differs from the live one (or `force`).

        Returns (changed, live model): changed is True when a different version now serves.
        Never raises: failures are kept for status() and the current model stays.
        """
        settings = self._settings()
        with self._lock:
            before = self._model
            self._last_check_at = datetime.now(UTC)
            try:
                self._model = self._from_registry(settings, before, force)
                self._last_error = None
            except Exception as exc:  # any failure: keep serving what we have
                self._last_error = _describe(exc)
                log.warning("model reload failed: %s", self._last_error)
                if before is None:
                    self._model = self._from_cache(settings)
            after = self._model
        changed = after is not None and (before is None or after.version != before.version)
        if changed:
            log.info("serving model %s version %s (%s)", after.name, after.version, after.source)
        return changed, after

    def status(self) -> dict:
        model = self._model
        checked = self._last_check_at
        return {
            "ready": model is not None,
            "name": model.name if model else None,
            "source": model.source if model else None,
            "version": model.version if model else None,
            "loaded_at": model.loaded_at.isoformat() if model else None,
            "last_error": self._last_error,
            "last_check_at": checked.isoformat() if checked else None,
            "cache_error": self._cache_error,
            "watching": self.watching,
        }

    # -- watching the alias ------------------------------------------------------------

    @property
    def watching(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive() and self._watch_pid == os.getpid()

    def start_watching(self, interval: float | None = None) -> bool:
        """Start the daemon thread that reloads every `interval` (default: the setting).

        Idempotent and cheap, so it can run on every request; per process, so call it in
        each gunicorn worker (post_fork hook or first request), not in the master.
        Returns True when it started a thread.
        """
        if self.watching:
            return False
        if interval is None:
            interval = self._settings().model_check_seconds
        if interval <= 0:
            return False
        with self._watch_lock:
            if self.watching:
                return False
            stop = threading.Event()
            thread = threading.Thread(
                target=self._watch, args=(float(interval), stop), name="model-watcher", daemon=True
            )
            self._stop_event, self._thread, self._watch_pid = stop, thread, os.getpid()
            thread.start()
        return True

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the watcher thread (waits up to `timeout` for a reload in progress)."""
        self._stop_event.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _watch(self, interval: float, stop: threading.Event) -> None:
        while not stop.wait(interval):
            try:
                self.reload()
            except Exception:  # reload never raises; this only guards the thread's life
                log.exception("model watcher: unexpected error")

    def _reset_threads(self) -> None:
        self._lock = threading.Lock()
        self._watch_lock = threading.Lock()
        self._stop_event = threading.Event()
        self._thread: threading.Thread | None = None
        self._watch_pid: int | None = None

    # -- loading -----------------------------------------------------------------------

    def _settings(self):
        if self.settings is None:
            raise RuntimeError("Scorer has no settings: pass them or call init_app(app)")
        return self.settings

    def _from_registry(self, settings, current: LoadedModel | None, force: bool) -> LoadedModel:
        client = registry.connect(settings.mlflow_tracking_uri, settings.outbound_timeout_seconds)
        info = registry.champion(client, settings.model_name, settings.model_alias)
        if info is None:
            raise NoChampion(
                f"no version of {settings.model_name!r} has the alias {settings.model_alias!r}"
            )
        if current is not None and current.version == info.version and not force:
            # The registry vouches for the model we already serve (maybe from the cache).
            return current if current.source == "registry" else replace(current, source="registry")
        if not force and info.version in self._refused:
            raise IncompatibleModel(self._refused[info.version])
        try:
            return self._fetch(client, info, settings.model_cache_dir)
        except IncompatibleModel as exc:
            self._refused[info.version] = str(exc)
            raise

    def _fetch(self, client, info: registry.VersionInfo, cache_dir) -> LoadedModel:
        """Load a version from the disk cache if another worker already fetched it, else
        download, check and cache it; then point `current` at it."""
        facts = dict(name=info.name, version=info.version, run_id=info.run_id, metrics=info.metrics)
        folder = model_cache.version_dir(cache_dir, info.name, info.version)
        if model_cache.is_complete(folder):
            model = load_model(folder, **facts)
        else:
            try:
                scratch = model_cache.scratch_dir(cache_dir, info.name)
            except OSError as exc:  # no writable cache: serve anyway, from a temp folder
                self._cache_error = _describe(exc)
                scratch = tempfile.mkdtemp(prefix="value-assist-model-")
            try:
                downloaded = registry.download_fast_path(client, info, scratch)
                model = load_model(downloaded, **facts)
                self._keep(cache_dir, info, downloaded, model)
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
        try:
            model_cache.point_to(cache_dir, info.name, info.version)
            model_cache.prune(cache_dir, info.name)
            self._cache_error = None
        except OSError as exc:
            self._cache_error = _describe(exc)
        return model

    def _keep(self, cache_dir, info: registry.VersionInfo, downloaded, model: LoadedModel) -> None:
        record = {
            "name": info.name,
            "version": info.version,
            "run_id": info.run_id,
            "metrics": info.metrics,
            "aliases": list(info.aliases),
            "created_at_ms": info.created_at_ms,
            "feature_spec_version": model.spec_version,
        }
        try:
            model_cache.store(cache_dir, info.name, info.version, downloaded, record)
        except OSError as exc:
            self._cache_error = _describe(exc)
            log.warning("model %s version %s not cached: %s", info.name, info.version, exc)

    def _from_cache(self, settings) -> LoadedModel | None:
        name, cache_dir = settings.model_name, settings.model_cache_dir
        version = model_cache.current_version(cache_dir, name)
        if version is None:
            self._last_error = f"{self._last_error}; no cached model to fall back on"
            return None
        folder = model_cache.version_dir(cache_dir, name, version)
        try:
            info = model_cache.read_info(folder)
            return load_model(
                folder,
                name=name,
                version=version,
                run_id=str(info.get("run_id", "")),
                metrics=info.get("metrics") or {},
                source="cache",
            )
        except Exception as exc:
            self._last_error = f"{self._last_error}; cached version {version}: {_describe(exc)}"
            return None


def _reset_in_child(ref: "weakref.ref[Scorer]") -> None:
    """After fork: the parent's watcher thread is gone and its locks may be held forever."""
    scorer = ref()
    if scorer is not None:
        scorer._reset_threads()


def _describe(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".replace("\n", " ")
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"
