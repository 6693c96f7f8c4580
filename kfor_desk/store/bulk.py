"""Many rows into one table through the driver's ``executemany``, inside the caller's
transaction.

The ORM's per-row work (compiling, binding each parameter set through the column types) is most
of the time of a large insert; here the rows' values are passed to the driver as they are, only
the :class:`~.types.UTCDateTime` columns converted exactly as that type converts them. It does not
check values, fill column defaults (give every column) or open a transaction. Rows come as
dicts (:func:`insert_rows`) or as tuples in column order, times already converted
(:func:`insert_tuples`: what a large import builds).
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table

from .types import UTCDateTime, to_db_text


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows through the driver's executemany (the ORM's per-row overhead is most of
    an import's time); datetimes are converted exactly as :class:`UTCDateTime` does."""
    cols = list(rows[0])
    # only the UTCDateTime columns hold datetimes: convert those, pass the rest as they are
    times = [i for i, c in enumerate(cols) if isinstance(table.c[c].type, UTCDateTime)]
    get = itemgetter(*cols)
    params: list[tuple[Any, ...]] = []
    for r in rows:
        values = list(get(r))
        for i in times:
            v = values[i]
            if v is not None:
                if v.tzinfo is None:  # as UTCDateTime: never guess a zone
                    raise ValueError("naive datetime refused: KFOR Desk stores UTC times only")
                values[i] = to_db_text(v)
        params.append(tuple(values))
    insert_tuples(conn, table, cols, params)


def insert_tuples(conn: Connection, table: Table, cols: Sequence[str],
                  params: list[tuple[Any, ...]]) -> None:
    """Insert rows given as tuples in ``cols`` order, their values as the driver takes them
    (times already the stored text: :func:`~.types.to_db_text`)."""
    style = conn.dialect.paramstyle
    marks = ", ".join("?" if style == "qmark" else f"%({c})s" if style == "pyformat"
                      else "%s" if style == "format" else f":{c}" for c in cols)
    quoted = ", ".join(conn.dialect.identifier_preparer.quote(c) for c in cols)
    sql = f"INSERT INTO {table.name} ({quoted}) VALUES ({marks})"
    if style in ("qmark", "format"):
        conn.exec_driver_sql(sql, params)
    else:
        conn.exec_driver_sql(sql, [dict(zip(cols, p, strict=True)) for p in params])
