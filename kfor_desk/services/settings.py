"""Desk settings kept in the database (shared by every workstation on it)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import timedelta

DEFAULT_CLASSIFICATION = "NATO UNCLASSIFIED"
DEFAULT_RELEASABILITY = "RELEASABLE TO KFOR"
DEFAULT_ORIGINATOR = "HQ KFOR JOC"
PREFIX = "settings."


@dataclass(frozen=True, slots=True)
class DeskSettings:
    classification: str = DEFAULT_CLASSIFICATION
    releasability: str = DEFAULT_RELEASABILITY
    originator: str = DEFAULT_ORIGINATOR
    conflict_distance_km: float = 10.0
    conflict_margin_h: float = 0.0
    due_soon_h: float = 24.0
    unacknowledged_h: float = 24.0
    starting_soon_h: float = 24.0

    @property
    def margin(self) -> timedelta:
        return timedelta(hours=self.conflict_margin_h)

    def to_meta(self) -> dict[str, str]:
        return {PREFIX + k: str(v) for k, v in asdict(self).items()}

    @classmethod
    def from_meta(cls, meta: dict[str, str]) -> DeskSettings:
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = meta.get(PREFIX + f.name)
            if raw is None:
                continue
            try:
                values[f.name] = float(raw) if f.type in ("float", float) else raw
            except ValueError:
                continue  # a damaged setting falls back to its default
        return cls(**values)  # type: ignore[arg-type]

    def problems(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if not self.classification.strip():
            out["classification"] = "A classification marking is required on every brief."
        if len(self.classification) > 120:
            out["classification"] = "Keep the marking under 120 characters."
        if len(self.releasability) > 120:
            out["releasability"] = "Keep the releasability line under 120 characters."
        if not self.originator.strip():
            out["originator"] = "The originator (e.g. HQ KFOR JOC) is required on every brief."
        elif len(self.originator) > 80:
            out["originator"] = "Keep the originator under 80 characters."
        if not 0.1 <= self.conflict_distance_km <= 200:
            out["conflict_distance_km"] = "Conflict distance must be 0.1–200 km."
        if not 0 <= self.conflict_margin_h <= 168:
            out["conflict_margin_h"] = "Time margin must be 0–168 hours."
        for name in ("due_soon_h", "unacknowledged_h", "starting_soon_h"):
            if not 1 <= getattr(self, name) <= 336:
                out[name] = "Reminder thresholds must be 1–336 hours."
        return out
