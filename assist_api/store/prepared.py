"""Statements for the real-time path: compiled once per database, run on the driver.

Executing a Core statement costs ~30 µs of SQLAlchemy work per call that never changes
between requests (cache-key lookup, parameter processing, execution context, result
metadata), and an expanding `IN` list re-renders the SQL every time. /v1/assist runs five
or six small statements, so that was a fifth of its time. A `PreparedStatement` compiles
its statement once for the engine's dialect and runs the SQL string on the driver's
cursor. Values pass through the columns' own bind processors (the dialect's datetime,
boolean and JSON conversions), so the rows written are exactly what Core would have
written, and driver errors are wrapped into SQLAlchemy's exceptions (IntegrityError,
OperationalError, ...) with a lost connection invalidated, as Core does.

Statements run on a SQLAlchemy Connection (in its transaction) or on a pooled driver
connection from `pooled_connection` / `driver_transaction`: the pool's checkout, reset and
return, without the Connection object around them, which cost tens of µs more per request.

Inside `request_checkout(engine)` every `pooled_connection` of that thread gets the same
driver connection, so /v1/assist checks out once (the cap lookup and the decision write
share it) instead of twice. There is no pre-ping (a round trip per checkout): `run` uses
the connection as it is and, when it turns out dead (the database restarted, a proxy
dropped it), discards the whole pool (every idle connection is as old as the dead one) and
does the work once more on a fresh connection. A statement that failed on a lost
connection did not commit, so that retry is safe; a failure during COMMIT is not retried
(it may have committed) and goes to the caller, as any other error does.
"""

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import exc
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql import ClauseElement

# a SQLAlchemy Connection (statements join its transaction) or a pooled driver connection
AnyConnection = Connection | PoolProxiedConnection
T = TypeVar("T")
COMMIT = "COMMIT"
_request = threading.local()  # .scopes: engine -> the request's _Checkout (see request_checkout)


class PreparedStatement:
    """One statement for one dialect; `rows(connection, values)` runs it."""

    def __init__(self, statement: ClauseElement, dialect: Dialect):
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        self._dialect = dialect
        self._positional = compiled.positional
        names = compiled.positiontup if compiled.positional else list(compiled.binds)
        binds = compiled.binds
        self._names = tuple(names)
        # bound constants (e.g. LIMIT 1) keep the value they were built with
        self._constants = {
            name: binds[name].value for name in names if binds[name].value is not None
        }
        self._processors = {
            name: processor
            for name in names
            if (processor := binds[name].type.dialect_impl(dialect).bind_processor(dialect))
        }

    def parameters(self, values: Mapping) -> tuple | dict:
        """Driver parameters for `values` (keyed by bind name), in the dialect's style."""
        converted = {}
        for name in self._names:
            value = values[name] if name in values else self._constants[name]
            processor = self._processors.get(name)
            converted[name] = processor(value) if processor else value
        if self._positional:
            return tuple(converted[name] for name in self._names)
        return converted

    def rows(self, connection: AnyConnection, values: Mapping) -> list[tuple]:
        """Run once with `values`; the result rows (none for a statement without any)."""
        return self._run(connection, self.parameters(values), many=False)

    def run_many(self, connection: AnyConnection, rows: Sequence[Mapping]) -> None:
        self._run(connection, [self.parameters(row) for row in rows], many=True)

    def _run(self, connection: AnyConnection, parameters, many: bool) -> list[tuple]:
        pooled = connection.connection if isinstance(connection, Connection) else connection
        driver = pooled.dbapi_connection
        cursor = driver.cursor()
        try:
            if many:
                cursor.executemany(self.sql, parameters)
            else:
                cursor.execute(self.sql, parameters)
            return cursor.fetchall() if cursor.description is not None else []
        except self._dialect.loaded_dbapi.Error as error:
            lost = self._dialect.is_disconnect(error, driver, cursor)
            if lost:
                connection.invalidate(error)
            raise _wrapped(error, self._dialect, self.sql, lost) from error
        finally:
            _close_quietly(cursor, self._dialect.loaded_dbapi.Error)


class _Checkout:
    """The request's one driver connection of an engine, checked out on first use."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.connection: PoolProxiedConnection | None = None

    def get(self) -> PoolProxiedConnection:
        if self.connection is None or not self.connection.is_valid:  # none yet, or lost
            self.release()
            self.connection = _checkout(self.engine)
        return self.connection

    def release(self) -> None:
        if self.connection is not None:
            connection, self.connection = self.connection, None
            connection.close()  # back to the pool, rolled back by its reset


@contextmanager
def request_checkout(engine: Engine) -> Iterator[None]:
    """Within the block, this thread's `pooled_connection(engine)` calls share one
    connection; it goes back to the pool when the block ends."""
    scopes = _request.__dict__.setdefault("scopes", {})
    if engine in scopes:  # already inside one: share it
        yield
        return
    scopes[engine] = checkout = _Checkout(engine)
    try:
        yield
    finally:
        del scopes[engine]
        checkout.release()


def _checkout(engine: Engine) -> PoolProxiedConnection:
    dialect = engine.dialect
    try:
        return engine.raw_connection()
    except dialect.loaded_dbapi.Error as error:
        raise _wrapped(error, dialect, None, dialect.is_disconnect(error, None, None)) from error


@contextmanager
def pooled_connection(engine: Engine) -> Iterator[PoolProxiedConnection]:
    """A driver connection from the engine's pool (the request's, inside
    `request_checkout`), returned (and reset) after the block.

    Failing to connect raises SQLAlchemy's error, as `engine.connect()` does.
    """
    shared = getattr(_request, "scopes", {}).get(engine)
    if shared is not None:
        connection = shared.get()
        try:
            yield connection
        except BaseException:
            _rollback_quietly(connection, engine.dialect)  # the next use starts clean
            raise
        return
    connection = _checkout(engine)
    try:
        yield connection
    finally:
        connection.close()


@contextmanager
def driver_transaction(engine: Engine) -> Iterator[PoolProxiedConnection]:
    """`pooled_connection` in one transaction: committed when the block ends, rolled back
    when it raises, like `engine.begin()`."""
    dialect = engine.dialect
    with pooled_connection(engine) as connection:
        yield connection
        try:
            connection.commit()
        except dialect.loaded_dbapi.Error as error:
            lost = dialect.is_disconnect(error, connection.dbapi_connection, None)
            if lost:
                connection.invalidate(error)
            raise _wrapped(error, dialect, COMMIT, lost) from error


def run(engine: Engine, work: Callable[[PoolProxiedConnection], T], commit: bool = False) -> T:
    """`work(connection)` on a pooled connection (committed with `commit`), done once more
    on a fresh connection if the first one was lost before COMMIT (see the module's note)."""
    transaction = driver_transaction if commit else pooled_connection
    try:
        with transaction(engine) as connection:
            return work(connection)
    except exc.DBAPIError as error:
        if not error.connection_invalidated or error.statement == COMMIT:
            raise
        engine.dispose()  # the idle connections are as old as the one that died
    with transaction(engine) as connection:
        return work(connection)


def _rollback_quietly(connection: PoolProxiedConnection, dialect: Dialect) -> None:
    if connection.is_valid:
        try:
            connection.rollback()
        except dialect.loaded_dbapi.Error:
            connection.invalidate()


def _wrapped(error: Exception, dialect: Dialect, sql: str | None, lost: bool) -> exc.DBAPIError:
    """The driver's error as SQLAlchemy raises it (IntegrityError, OperationalError...)."""
    return exc.DBAPIError.instance(
        sql,
        None,
        error,
        dialect.loaded_dbapi.Error,
        hide_parameters=True,
        connection_invalidated=lost,
        dialect=dialect,
    )


def _close_quietly(cursor, driver_error: type[Exception]) -> None:
    """Close the cursor; one on a connection that just failed may refuse, harmlessly."""
    try:
        cursor.close()
    except driver_error:
        pass
