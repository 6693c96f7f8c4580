"""The marking every brief and export carries: classification, releasability, EXERCISE.

One value, built from the desk settings and an optional ``--classification`` override, so the
PDF banner, the JSON field, the XLSX first row and print header, the CSV column and the ICS
description all say the same thing. This module does not decide what a marking may be (the
settings validate that) and does not print anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from .settings import DeskSettings

EXERCISE_TEXT = "EXERCISE EXERCISE EXERCISE"


@dataclass(frozen=True, slots=True)
class Marking:
    classification: str
    releasability: str = ""
    training: bool = False

    @property
    def lines(self) -> tuple[str, ...]:
        """The marking as printed: classification, releasability, EXERCISE (those present)."""
        out = [self.classification]
        if self.releasability:
            out.append(self.releasability)
        if self.training:
            out.append(EXERCISE_TEXT)
        return tuple(out)

    @property
    def one_line(self) -> str:
        """``NATO UNCLASSIFIED · RELEASABLE TO KFOR · EXERCISE EXERCISE EXERCISE``."""
        return " · ".join(self.lines)


def clean_classification(text: str | None) -> str | None:
    """An override as given (stripped), ``None`` when absent; ``ValueError`` when blank."""
    if text is None:
        return None
    text = " ".join(text.split())
    if not text:
        raise ValueError("the classification marking must not be empty")
    return text


def marking_of(settings: DeskSettings, training: bool,
               classification: str | None = None) -> Marking:
    """The marking of one brief or export: the override or the desk's setting."""
    chosen = clean_classification(classification) or settings.classification.strip() \
        or DeskSettings().classification
    return Marking(chosen, settings.releasability.strip(), training)
