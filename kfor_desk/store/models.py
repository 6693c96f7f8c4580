"""Tables. Lengths come from the domain and are enforced with CHECK too (SQLite ignores
``VARCHAR(n)``). Every record table carries ``version`` for optimistic locking."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kfor_desk.domain.records import LONG_TEXT, MEDIUM_TEXT, SHORT_TEXT

from .types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _len(col: str, n: int) -> CheckConstraint:
    return CheckConstraint(f"length({col}) <= {n}", name=f"{col}_len")


class Meta(Base):
    """Key/value facts about the database: training flag, desk settings."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    __table_args__ = (_len("value", LONG_TEXT),)


class NotificationRow(Base):
    __tablename__ = "notifications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    register_no: Mapped[str] = mapped_column(String(16), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    sender_ref: Mapped[str] = mapped_column(String(SHORT_TEXT), default="")
    channel: Mapped[str] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    received_by: Mapped[str] = mapped_column(String(SHORT_TEXT), default="")
    name: Mapped[str] = mapped_column(String(SHORT_TEXT))
    exercise_type: Mapped[str] = mapped_column(String(32))
    units: Mapped[str] = mapped_column(Text, default="")
    personnel: Mapped[int | None] = mapped_column(Integer)
    vehicles: Mapped[int | None] = mapped_column(Integer)
    weapon_systems: Mapped[str] = mapped_column(Text, default="")
    live_fire: Mapped[bool] = mapped_column(Boolean, default=False)
    air_assets: Mapped[str | None] = mapped_column(Text)
    start: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    end: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    status: Mapped[str] = mapped_column(String(32), index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disseminated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disseminated_to: Mapped[str] = mapped_column(Text, default="")
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    patrols: Mapped[str] = mapped_column(String(32), default="none")
    liaison_contact: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (
        _len("sender_ref", SHORT_TEXT), _len("received_by", SHORT_TEXT),
        _len("name", SHORT_TEXT), _len("units", MEDIUM_TEXT),
        _len("weapon_systems", MEDIUM_TEXT), _len("air_assets", MEDIUM_TEXT),
        _len("disseminated_to", MEDIUM_TEXT), _len("cancel_reason", MEDIUM_TEXT),
        _len("liaison_contact", MEDIUM_TEXT), _len("notes", LONG_TEXT),
        CheckConstraint('"end" > start', name="period"),
        CheckConstraint("version >= 1", name="version"),
    )


class RequestRow(Base):
    __tablename__ = "requests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    register_no: Mapped[str] = mapped_column(String(16), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    ksf_ref: Mapped[str] = mapped_column(String(SHORT_TEXT), default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    received_by: Mapped[str] = mapped_column(String(SHORT_TEXT), default="")
    requesting_unit: Mapped[str] = mapped_column(String(SHORT_TEXT))
    point_of_contact: Mapped[str] = mapped_column(String(SHORT_TEXT), default="")
    purpose: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text, default="")
    municipalities: Mapped[str] = mapped_column(Text, default="")  # JSON list
    route: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    end: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    personnel: Mapped[int | None] = mapped_column(Integer)
    vehicles: Mapped[int | None] = mapped_column(Integer)
    weapons_carried: Mapped[bool] = mapped_column(Boolean, default=False)
    air_assets: Mapped[str | None] = mapped_column(Text)
    decision_due: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    status: Mapped[str] = mapped_column(String(32), index=True)
    review_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recommendation: Mapped[str] = mapped_column(Text, default="")
    recommended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_authority: Mapped[str | None] = mapped_column(String(SHORT_TEXT))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    conditions: Mapped[str] = mapped_column(Text, default="")
    rationale: Mapped[str] = mapped_column(Text, default="")
    communicated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    communicated_via: Mapped[str] = mapped_column(String(SHORT_TEXT), default="")
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdraw_reason: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (
        _len("ksf_ref", SHORT_TEXT), _len("received_by", SHORT_TEXT),
        _len("requesting_unit", SHORT_TEXT), _len("point_of_contact", SHORT_TEXT),
        _len("description", LONG_TEXT), _len("route", MEDIUM_TEXT),
        _len("air_assets", MEDIUM_TEXT), _len("recommendation", LONG_TEXT),
        _len("decision_authority", SHORT_TEXT), _len("conditions", LONG_TEXT),
        _len("rationale", LONG_TEXT), _len("communicated_via", SHORT_TEXT),
        _len("withdraw_reason", MEDIUM_TEXT), _len("notes", LONG_TEXT),
        CheckConstraint('"end" > start', name="period"),
        CheckConstraint("version >= 1", name="version"),
    )


class LocationRow(Base):
    """A location of a notification or of a request (exactly one of the two)."""

    __tablename__ = "locations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE"))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(SHORT_TEXT), default="")
    position: Mapped[str | None] = mapped_column(String(SHORT_TEXT))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    radius_m: Mapped[int | None] = mapped_column(Integer)
    uncertainty_m: Mapped[float] = mapped_column(Float, default=0.0)
    abl_distance_km: Mapped[float | None] = mapped_column(Float)
    side: Mapped[str | None] = mapped_column(String(16))
    band: Mapped[str | None] = mapped_column(String(16))
    __table_args__ = (
        CheckConstraint("(notification_id IS NULL) <> (request_id IS NULL)", name="owner"),
        _len("name", SHORT_TEXT), _len("position", SHORT_TEXT),
        CheckConstraint("lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180", name="latlon"),
        Index("ix_locations_notification", "notification_id"),
        Index("ix_locations_request", "request_id"),
    )


class AuditRow(Base):
    """Append-only, hash-chained: triggers refuse UPDATE and DELETE."""

    __tablename__ = "audit"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    operator: Mapped[str] = mapped_column(String(SHORT_TEXT))
    workstation: Mapped[str] = mapped_column(String(SHORT_TEXT))
    entity: Mapped[str] = mapped_column(String(16))  # notification | request | conflict | database
    register_no: Mapped[str | None] = mapped_column(String(40), index=True)
    action: Mapped[str] = mapped_column(String(32))
    changes: Mapped[str] = mapped_column(Text)  # canonical JSON [[field, before, after], ...]
    reason: Mapped[str] = mapped_column(Text, default="")
    state_hash: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class ConflictMarkRow(Base):
    """A conflict the duty officer marked deconflicted (latest mark per pair counts)."""

    __tablename__ = "conflict_marks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    a: Mapped[str] = mapped_column(String(16))
    b: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    marked_by: Mapped[str] = mapped_column(String(SHORT_TEXT))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    fingerprint: Mapped[str] = mapped_column(String(64))
    __table_args__ = (Index("ix_conflict_marks_pair", "a", "b"), _len("note", LONG_TEXT))
