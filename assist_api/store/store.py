"""`Store`: the engine plus a unit-of-work factory — what services receive to reach the DB."""

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from assist_api.store.db import make_engine, make_session_factory
from assist_api.store.unit_of_work import UnitOfWork


@dataclass
class Store:
    engine: Engine
    session_factory: sessionmaker[Session]

    @classmethod
    def open(
        cls,
        database_url: str,
        timeout_seconds: float = 5.0,
        statement_timeout_seconds: float | None = None,
        sqlite_synchronous: str = "FULL",
    ) -> "Store":
        engine = make_engine(
            database_url,
            timeout_seconds=timeout_seconds,
            statement_timeout_seconds=statement_timeout_seconds,
            sqlite_synchronous=sqlite_synchronous,
        )
        return cls(engine, make_session_factory(engine))

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory)

    def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except Exception:  # any driver error means "not reachable" to a health check
            return False

    def close(self) -> None:
        self.engine.dispose()
