"""Pure-Python domain: records, rules, status machines, time, geodesy, deconfliction.

Nothing here imports Qt, SQLAlchemy, reportlab or any upper layer of KFOR Desk.
"""
