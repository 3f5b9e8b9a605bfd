"""A unit of work: one transaction that rolls back unless the caller commits."""

from sqlalchemy.orm import Session, sessionmaker


class UnitOfWork:
    """`with UnitOfWork(factory) as uow: ...; uow.commit()` — anything else rolls back.

    Services take a unit of work (or its factory) as an argument, so the CLI, the routes and
    the tests all run the same code against SQLite or PostgreSQL.
    """

    def __init__(self, session_factory: sessionmaker[Session]):
        self._session_factory = session_factory
        self.session: Session | None = None

    def __enter__(self) -> "UnitOfWork":
        self.session = self._session_factory()
        return self

    def __exit__(self, *exc_info):
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()
