"""Reading decimal degrees and degrees-minutes-seconds text as a position.

Tokenises the text, splits it into latitude and longitude (by hemisphere letters or a
separator), reads each as decimal degrees or DMS (compact ``425332N`` too) and derives the
uncertainty from the last stated digit. A decimal comma is refused, never truncated. It does
not read MGRS (:mod:`.position_mgrs`) nor decide which form a text is in
(:func:`.position.parse_position`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .position_mgrs import to_mgrs
from .position_value import (
    _EXPECTED,
    _METRES_PER_DEGREE_LAT,
    ParsedPosition,
    PositionError,
    PositionForm,
    _check_range,
)

_QUOTES = {
    "′": "'", "’": "'", "‘": "'", "´": "'", "`": "'",
    "″": '"', "”": '"', "“": '"', "''": '"',
    "º": "°", "˚": "°",
    "−": "-", "–": "-",
}
_TOKEN_RE = re.compile(
    r"(?P<num>[+-]?\d+(?:\.\d+)?)|(?P<mark>[°'\"])|(?P<hemi>[NSEW])|(?P<sep>[,;/])|(?P<ws>\s+)"
)


@dataclass
class _Coord:
    numbers: list[str]
    marks: list[str | None]
    hemi: str | None = None


def _parse_degrees(raw: str, with_mgrs: bool = True) -> ParsedPosition:
    text = raw
    for old, new in _QUOTES.items():
        text = text.replace(old, new)
    text = text.upper()
    if re.search(r"\d,\d", text) and not re.fullmatch(
        r"\s*[NSEW]?\s*[+-]?\d+\.\d+\s*°?\s*[NSEW]?\s*,\s*[NSEW]?\s*[+-]?\d+\.\d+\s*°?\s*[NSEW]?\s*",
        text,
    ):
        raise PositionError(
            f"'{raw}' seems to use a decimal comma; write decimals with a point and separate "
            "latitude and longitude with a comma and a space, e.g. 42.8922, 20.8686"
        )
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        tm = _TOKEN_RE.match(text, pos)
        if not tm:
            raise PositionError(f"'{raw}': unexpected '{text[pos]}'; {_EXPECTED}")
        kind = tm.lastgroup or ""
        if kind != "ws":
            tokens.append((kind, tm.group()))
        pos = tm.end()
    coords = _split_coords(raw, tokens)
    lat_c, lon_c = coords
    if lat_c.hemi in ("E", "W") or lon_c.hemi in ("N", "S"):
        lat_c, lon_c = lon_c, lat_c
    if lat_c.hemi in ("E", "W") or lon_c.hemi in ("N", "S"):
        raise PositionError(
            f"'{raw}': expected one latitude (N/S) and one longitude (E/W); {_EXPECTED}"
        )
    lat, lat_unc, lat_form = _coord_value(raw, lat_c, is_lat=True)
    lon, lon_unc, lon_form = _coord_value(raw, lon_c, is_lat=False)
    if lat_form != lon_form:
        raise PositionError(
            f"'{raw}' mixes decimal degrees and degrees-minutes-seconds; write both the same way"
        )
    _check_range(lat, lon, raw)
    unc = math.hypot(
        lat_unc * _METRES_PER_DEGREE_LAT,
        lon_unc * _METRES_PER_DEGREE_LAT * math.cos(math.radians(lat)),
    )
    unit_m = 2.0 * max(lat_unc, lon_unc) * _METRES_PER_DEGREE_LAT  # the last stated digit
    precision = round(unit_m) if unit_m >= 10 else round(unit_m, 1)
    return ParsedPosition(
        lat=lat, lon=lon, uncertainty_m=unc, form=lat_form,
        mgrs=_mgrs_or_empty(lat, lon) if with_mgrs else "",
        precision_m=float(precision),
    )


def _mgrs_or_empty(lat: float, lon: float) -> str:
    if not -80.0 <= lat <= 84.0:
        return ""
    return to_mgrs(lat, lon)


def _split_coords(raw: str, tokens: list[tuple[str, str]]) -> tuple[_Coord, _Coord]:
    """Group tokens into two coordinates, split by hemisphere letters or a separator."""
    hemis = [i for i, (k, _) in enumerate(tokens) if k == "hemi"]
    seps = [i for i, (k, _) in enumerate(tokens) if k == "sep"]
    if len(seps) > 1 or (hemis and len(hemis) != 2):
        raise PositionError(f"'{raw}' is not a position I can read; {_EXPECTED}")
    groups: list[list[tuple[str, str]]]
    if hemis:
        # prefix style (N42 E20) when the text starts with a letter, else suffix style
        if hemis[0] == 0:
            groups = [tokens[: hemis[1]], tokens[hemis[1]:]]
        else:
            groups = [tokens[: hemis[0] + 1], tokens[hemis[0] + 1:]]
    elif seps:
        groups = [tokens[: seps[0]], tokens[seps[0] + 1:]]
    else:
        nums = [i for i, (k, _) in enumerate(tokens) if k == "num"]
        if len(nums) != 2 or any(k == "mark" for k, _ in tokens):
            raise PositionError(
                f"'{raw}': cannot tell latitude from longitude; add N/E or separate them with "
                f"a comma; {_EXPECTED}"
            )
        groups = [tokens[: nums[1]], tokens[nums[1]:]]
    result: list[_Coord] = []
    for group in groups:
        group = [t for t in group if t[0] != "sep"]
        coord = _Coord(numbers=[], marks=[])
        for i, (kind, value) in enumerate(group):
            if kind == "num":
                coord.numbers.append(value)
                coord.marks.append(None)
            elif kind == "mark":
                if not coord.numbers or coord.marks[-1] is not None:
                    raise PositionError(f"'{raw}': misplaced '{value}'; {_EXPECTED}")
                coord.marks[-1] = value
            elif kind == "hemi":
                if coord.hemi is not None or (0 < i < len(group) - 1):
                    raise PositionError(f"'{raw}': misplaced '{value}'; {_EXPECTED}")
                coord.hemi = value
        if not coord.numbers:
            raise PositionError(f"'{raw}': a coordinate has no number; {_EXPECTED}")
        result.append(coord)
    return result[0], result[1]


def _coord_value(raw: str, c: _Coord, *, is_lat: bool) -> tuple[float, float, PositionForm]:
    """Value in degrees, half the last stated unit in degrees, and the form."""
    name = "latitude" if is_lat else "longitude"
    numbers = list(c.numbers)
    marks = list(c.marks)
    if c.hemi and any(n.startswith(("+", "-")) for n in numbers):
        raise PositionError(f"'{raw}': give the {name} a sign or a hemisphere letter, not both")
    # compact DMS: 425332N, 0205207E, 4253N, 02052E (needs the hemisphere letter)
    if len(numbers) == 1 and marks[0] is None and c.hemi:
        whole, _, frac = numbers[0].lstrip("+-").partition(".")
        if len(whole) >= 4:
            lengths = {4: 2, 6: 2} if is_lat else {4: 2, 5: 3, 6: 2, 7: 3}
            deg_len = lengths.get(len(whole))
            if deg_len is None:
                raise PositionError(
                    f"'{raw}': cannot read '{numbers[0]}' as compact degrees-minutes-seconds; "
                    "expected DDMMSS for latitude and DDDMMSS for longitude, "
                    "e.g. 425332N 0205207E"
                )
            rest = whole[deg_len:]
            parts = [whole[:deg_len], rest[:2]] + ([rest[2:]] if len(rest) > 2 else [])
            if frac:
                parts[-1] += "." + frac
            numbers = parts
            marks = [None] * len(parts)
    if len(numbers) > 3:
        raise PositionError(f"'{raw}': too many numbers in the {name}; {_EXPECTED}")
    expected_marks = ["°", "'", '"'][: len(numbers)]
    for mark, want in zip(marks, expected_marks, strict=True):
        if mark is not None and mark != want:
            raise PositionError(
                f"'{raw}': expected degrees °, minutes ′ and seconds ″ in that order"
            )
    for n in numbers[:-1]:
        if "." in n:
            raise PositionError(f"'{raw}': only the last part of the {name} may have decimals")
    values = [abs(float(n)) for n in numbers]
    negative = numbers[0].startswith("-") or c.hemi in ("S", "W")
    for v, label in zip(values[1:], ("minutes", "seconds"), strict=False):
        if v >= 60:
            raise PositionError(f"'{raw}': {label} must be below 60, not {v:g}")
    degrees = values[0] + sum(v / 60 ** (i + 1) for i, v in enumerate(values[1:]))
    last = numbers[-1]
    decimals = len(last.partition(".")[2])
    half_unit = 0.5 * 10.0 ** (-decimals) / 60 ** (len(numbers) - 1)
    form: PositionForm = "decimal" if len(numbers) == 1 else "dms"
    return (-degrees if negative else degrees), half_unit, form

