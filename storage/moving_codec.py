"""The values of `pacer export all` files: every column value as JSON that reads back to the
same Python value, whichever database wrote it.

JSON has null, booleans, numbers and strings; anything else is an object with one tag:
``{"$dt": "2026-11-24T16:00:00+00:00"}`` (datetime, its offset kept; a naive one stays naive),
``{"$date": …}``, ``{"$time": …}``, ``{"$td": [days, seconds, microseconds]}``, ``{"$dec":
"12.50"}`` (Decimal, as written), ``{"$b64": …}`` (bytes), ``{"$float": "nan"|"inf"|"-inf"}``,
``{"$uuid": …}``, and ``{"$json": value}`` for a JSON column's value (so a JSON object is never
taken for a tag)."""

import base64
import json
import math
import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Column, TypeDecorator


class BadValue(ValueError):
    """A value the file can't hold, or a tag it doesn't know."""


def is_json(column: Column) -> bool:
    return isinstance(column.type, JSON)


def encode(value: Any, json_column: bool = False) -> Any:
    if json_column and value is not None:
        return {"$json": value}
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, time):
        return {"$time": value.isoformat()}
    if isinstance(value, timedelta):
        return {"$td": [value.days, value.seconds, value.microseconds]}
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$b64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, uuid.UUID):
        return {"$uuid": str(value)}
    raise BadValue(f"can't write a {type(value).__name__} value")


_DECODERS = {
    "$dt": datetime.fromisoformat,
    "$date": date.fromisoformat,
    "$time": time.fromisoformat,
    "$td": lambda v: timedelta(days=v[0], seconds=v[1], microseconds=v[2]),
    "$dec": Decimal,
    "$b64": lambda v: base64.b64decode(v, validate=True),
    "$float": float,
    "$uuid": uuid.UUID,
    "$json": lambda v: v,
}


def decode(value: Any) -> Any:
    if not isinstance(value, dict):
        if isinstance(value, list):
            raise BadValue('a list outside {"$json": …}')
        return value
    if len(value) != 1:
        raise BadValue(f"an object with keys {sorted(value)} (a value is one tag, e.g. $dt)")
    ((tag, raw),) = value.items()
    decoder = _DECODERS.get(tag)
    if decoder is None:
        raise BadValue(f"unknown tag {tag!r} (known: {', '.join(_DECODERS)})")
    try:
        return decoder(raw)
    except (TypeError, ValueError, IndexError, ArithmeticError) as error:
        raise BadValue(f"{tag} {json.dumps(raw)[:60]} doesn't read: {error}") from None


def encode_row(columns: list[tuple[str, bool]], row) -> dict:
    """``row``'s values by column name (``columns``: name, is a JSON column), in table order."""
    return {
        name: encode(value, json_col) for (name, json_col), value in zip(columns, row, strict=True)
    }


def python_type(column: Column) -> type:
    """What the column holds in Python (through a TypeDecorator such as SQLModel's
    UTCDateTime, whose own answer is ``object``); NotImplementedError when unknown."""
    kind = column.type
    while isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    return kind.python_type


def fits(column: Column, value: Any) -> str | None:
    """Why ``value`` can't go into ``column``; None when it can."""
    if value is None:
        if not column.nullable:
            return "is NULL but the column is NOT NULL"
        return None
    if is_json(column):
        return None
    try:
        expected = python_type(column)
    except NotImplementedError:
        return None
    if expected is float and isinstance(value, int | Decimal) and not isinstance(value, bool):
        return None
    if expected is Decimal and isinstance(value, int | float) and not isinstance(value, bool):
        return None
    ok = isinstance(value, expected)
    if ok and expected is int and isinstance(value, bool):
        ok = False
    if ok and expected is date and isinstance(value, datetime):
        ok = False
    if not ok:
        return f"holds a {type(value).__name__}, the column wants a {expected.__name__}"
    return None


_EXACT = {int: (int,), str: (str,), bool: (bool,), bytes: (bytes,), float: (float, int)}
_EXACT[Decimal] = (Decimal, int, float)
_EXACT[datetime] = (datetime,)
_EXACT[date] = (date,)


def checker(column: Column):
    """A fast ``fits`` for one column's non-NULL values: the value's exact type is checked
    first (a bool is no int, a datetime no date), ``fits`` says why when it fails."""
    if is_json(column):
        return None
    try:
        allowed = _EXACT.get(python_type(column))
    except NotImplementedError:
        return None
    if allowed is None:
        return lambda value: fits(column, value)
    return lambda value: None if type(value) in allowed else fits(column, value)
