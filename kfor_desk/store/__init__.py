"""Storage: SQLAlchemy 2 tables, the connection rules, migrations and the audit trail.

Everything leaving this package is a plain domain value; no ORM object escapes it.
"""
