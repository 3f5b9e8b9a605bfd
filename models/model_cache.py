"""The last good model on disk, so a worker can start while the registry is down.

Layout under the cache directory (settings.model_cache_dir):

    <name>/<version>/booster.txt, feature_spec.json, calibration.json, model_info.json
    <name>/current          the version to load when the registry is unreachable

Several gunicorn workers may write at once, so nothing is ever half-written where a
reader looks: a version folder is filled under a temporary name and renamed into place
(model_info.json, written last, marks it complete), and `current` is replaced with
os.replace. A version folder never changes once complete (registry versions are
immutable), so a worker that loses the rename race simply uses the winner's folder.
"""

import json
import os
import re
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from models.artifacts import MODEL_INFO_FILE

POINTER_FILE = "current"
KEEP_VERSIONS = 3  # complete versions kept besides the current one
STALE_SCRATCH_SECONDS = 3600.0  # a download folder this old was left by a crashed worker
_SAFE_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _part(value: str, what: str) -> str:
    value = str(value)
    if not _SAFE_PART.match(value):
        raise ValueError(f"model {what} {value!r} cannot be used as a cache folder name")
    return value


def model_root(cache_dir: Path, name: str) -> Path:
    return Path(cache_dir) / _part(name, "name")


def version_dir(cache_dir: Path, name: str, version: str) -> Path:
    return model_root(cache_dir, name) / _part(version, "version")


def is_complete(folder: Path) -> bool:
    return (Path(folder) / MODEL_INFO_FILE).is_file()


def read_info(folder: Path) -> dict:
    return json.loads((Path(folder) / MODEL_INFO_FILE).read_text("utf-8"))


def scratch_dir(cache_dir: Path, name: str) -> Path:
    """A private temporary folder on the cache's file system (so renames are atomic)."""
    root = model_root(cache_dir, name)
    root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".incoming-", dir=root))


def store(cache_dir: Path, name: str, version: str, fast_path: Path, info: dict) -> Path:
    """Move a downloaded fast_path folder into the cache as `version`; return its folder.

    `fast_path` must be on the cache's file system (see scratch_dir); it is consumed.
    """
    final = version_dir(cache_dir, name, version)
    if is_complete(final):
        shutil.rmtree(fast_path, ignore_errors=True)
        return final
    info = {**info, "cached_at": datetime.now(UTC).isoformat()}
    _write_atomic(Path(fast_path) / MODEL_INFO_FILE, json.dumps(info, indent=2, sort_keys=True))
    if final.exists():  # an incomplete leftover from a crash: clear it first
        shutil.rmtree(final, ignore_errors=True)
    try:
        os.replace(fast_path, final)
    except OSError:
        if not is_complete(final):  # not a lost race with another worker
            raise
        shutil.rmtree(fast_path, ignore_errors=True)
    return final


def point_to(cache_dir: Path, name: str, version: str) -> None:
    """Make `version` the one to load when the registry cannot be reached."""
    if not is_complete(version_dir(cache_dir, name, version)):
        raise FileNotFoundError(f"no complete cached model {name} version {version}")
    _write_atomic(model_root(cache_dir, name) / POINTER_FILE, str(version) + "\n")


def current_version(cache_dir: Path, name: str) -> str | None:
    """The version `current` names, if that version's folder is complete."""
    pointer = model_root(cache_dir, name) / POINTER_FILE
    try:
        version = pointer.read_text("utf-8").strip()
    except FileNotFoundError:
        return None
    if not version or not is_complete(version_dir(cache_dir, name, version)):
        return None
    return version


def prune(cache_dir: Path, name: str, keep: int = KEEP_VERSIONS) -> list[str]:
    """Delete all but the current and the `keep` newest versions; return what was deleted."""
    root = model_root(cache_dir, name)
    if not root.is_dir():
        return []
    current = current_version(cache_dir, name)
    versions = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]
    versions.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    doomed = [p for p in versions[keep:] if p.name != current]
    cutoff = time.time() - STALE_SCRATCH_SECONDS
    scratch = [p for p in root.glob(".incoming-*") if p.is_dir() and p.stat().st_mtime < cutoff]
    for folder in doomed + scratch:
        shutil.rmtree(folder, ignore_errors=True)
    return [p.name for p in doomed]


def _write_atomic(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
