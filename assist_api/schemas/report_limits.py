"""Limits shared by the report and plan schemas: names, days, moments and amounts."""

from datetime import UTC, date, datetime

from marshmallow import validate

from assist_api.reports.effects import MEASURES

NO_CONTROL = validate.Regexp(r"^[^\x00-\x1f\x7f]*\Z", error="must not contain control characters")
NAME = validate.And(validate.Length(min=1, max=128), NO_CONTROL)
# Dates the database and UTC conversion both handle, whatever the client's time zone.
DAY_RANGE = validate.Range(date(1970, 1, 1), date(9998, 12, 31))
MOMENT_RANGE = validate.Range(datetime(1970, 1, 1, tzinfo=UTC), datetime(9998, 12, 31, tzinfo=UTC))
MAX_AMOUNT = 1e12  # far beyond any real target or cost, far below float overflow
SHARE_MEASURES = frozenset(name for name, m in MEASURES.items() if m.kind == "share")
