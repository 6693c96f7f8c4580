"""What only a PostgreSQL server has: the desk role's privileges.

Two roles share a server desk. The **owner** (the role that ran ``kfor-desk init``) owns the
tables and runs the Alembic migrations. The **desk role** is what the workstations log in with:
:func:`grant_desk_role` lets it read and write the registers, marks and settings, but only
SELECT and INSERT on ``audit`` — the server itself refuses its UPDATE, DELETE and TRUNCATE of
audit entries (and the ``audit_no_change`` trigger of revision 0001 refuses UPDATE and DELETE
even to the owner). The desk role cannot drop that trigger: only the owner can alter the table.
This module does not create roles or databases; the server's administrator does.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from .database import Database
from .errors import StoreError

#: the tables a desk role reads and writes in full
DESK_TABLES = ("notifications", "requests", "locations", "conflict_marks", "meta")


class NotAServer(StoreError):
    """A server-only operation on a SQLite desk."""


def grant_desk_role(db: Database, role: str) -> None:
    """Give ``role`` what a workstation needs, and no UPDATE/DELETE/TRUNCATE on ``audit``."""
    if not db.target.is_server:
        raise NotAServer("roles exist only on a database server; a SQLite desk is protected "
                         "by its file permissions")
    try:
        with db.write() as conn:
            q = conn.dialect.identifier_preparer.quote
            r = q(role)
            if conn.exec_driver_sql("SELECT 1 FROM pg_roles WHERE rolname = %(n)s",
                                    {"n": role}).first() is None:
                raise StoreError(f"the server has no role {role}; ask its administrator to "
                                 f"create it (CREATE ROLE {r} LOGIN PASSWORD '…')")
            schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
            s = q(str(schema))
            conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {s} TO {r}")
            conn.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON "
                                 f"{', '.join(q(t) for t in DESK_TABLES)} TO {r}")
            conn.exec_driver_sql(f"REVOKE ALL ON audit FROM {r}")
            conn.exec_driver_sql(f"GRANT SELECT, INSERT ON audit TO {r}")
            conn.exec_driver_sql(f"GRANT SELECT ON alembic_version TO {r}")
            conn.exec_driver_sql(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {s} "
                                 f"TO {r}")
    except DBAPIError as exc:
        raise StoreError(f"the server refused to grant the desk role {role} its rights "
                         f"({str(exc.orig).splitlines()[0]}); run this as the owner of the "
                         "desk database") from exc
