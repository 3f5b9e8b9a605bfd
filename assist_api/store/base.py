"""The declarative base every table module shares (its own module, so table modules can
import it without importing each other)."""

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass
