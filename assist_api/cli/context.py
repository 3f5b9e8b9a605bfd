"""What every command needs: settings from the environment and an open store."""

from contextlib import contextmanager

import click

from assist_api.config import Settings, load_settings
from assist_api.store.store import Store


def settings_from_env() -> Settings:
    try:
        return load_settings()
    except ValueError as exc:
        raise click.UsageError(f"settings: {exc}") from exc


@contextmanager
def open_store(settings: Settings):
    # Batch commands (imports, reports, exports) may run long statements: connecting is
    # bounded, statements are not.
    store = Store.open(
        settings.database_url,
        timeout_seconds=settings.outbound_timeout_seconds,
        statement_timeout_seconds=0,
        sqlite_synchronous=settings.sqlite_synchronous,
    )
    try:
        yield store
    finally:
        store.close()
