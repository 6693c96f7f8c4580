"""``kfor-desk geo POSITION... [--json]``: lat/lon, MGRS, distance to the ABL, band and side.

Needs no database. With ``--json`` each POSITION gives one line, in order (``kfor-desk/1``)::

    {"lat": 42.9, "lon": 20.5, "mgrs": "34TDN…", "precision_m": 1000, "abl_distance_km": 3.21,
     "band": "ground", "side": "kosovo"}

``precision_m`` is what the text states: 1, 10, 100, 1000 or 10000 for MGRS (the square's
side), for degrees the last stated digit in metres (``42.8922`` → 11). A position coarser than
100 m gets a warning on stderr (a dropped digit is the usual cause).

and a position that cannot be read gives ``{"input": …, "error": …}``; the exit status is then 1,
after all the other lines.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kfor_desk.domain.enums import Band, Side
from kfor_desk.domain.geo import (
    PositionError,
    format_mgrs,
    out_of_area,
    parse_position,
    precision_text,
    precision_warning,
)
from kfor_desk.domain.geo.abl import abl_index


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "geo",
        help="lat/lon, MGRS, distance to the ABL, band, side",
        description="Read positions (MGRS, decimal degrees or degrees-minutes-seconds) and show "
                    "where they lie relative to the ABL (indicative). Quote a position that "
                    "contains spaces; put -- before a position that starts with a minus sign.",
        epilog="examples: kfor-desk geo 34TDN8927148852 '42.8922, 20.8686' "
               "'42°53′32″N 20°52′07″E' --json",
    )
    parser.add_argument("positions", nargs="+", metavar="POSITION",
                        help="e.g. '34T DN 89271 48852', '42.8922, 20.8686', '425332N 0205207E'")
    parser.add_argument("--json", action="store_true",
                        help="one JSON object a line, in order (kfor-desk/1)")
    parser.set_defaults(func=run_geo)


def geo_record(text: str) -> dict[str, Any]:
    """The ``kfor-desk/1`` object for one position; raises ``PositionError`` if unreadable."""
    pos = parse_position(text)
    rel = abl_index().relation(pos.lat, pos.lon)
    return {
        "lat": round(pos.lat, 6),
        "lon": round(pos.lon, 6),
        "mgrs": pos.mgrs,
        "precision_m": int(pos.precision_m) if pos.precision_m >= 1 else pos.precision_m,
        "abl_distance_km": round(rel.distance_km, 3),
        "band": rel.band.value,
        "side": rel.side.value,
    }


def run_geo(args: argparse.Namespace) -> int:
    failed = False
    for text in args.positions:
        try:
            record = geo_record(text)
        except PositionError as exc:
            failed = True
            if args.json:
                _print_json({"input": text, "error": str(exc)})
            else:
                print(f"kfor-desk: {exc}", file=sys.stderr)
            continue
        warning = out_of_area(record["lat"], record["lon"])
        if warning:
            print(f"kfor-desk: warning: {warning}", file=sys.stderr)
        coarse = precision_warning(parse_position(text))
        if coarse:
            print(f"kfor-desk: warning: {text}: {coarse}", file=sys.stderr)
        if args.json:
            _print_json(record)
        else:
            print(_human(text, record))
    sys.stdout.flush()
    return 1 if failed else 0


def _print_json(obj: dict[str, Any]) -> None:
    print(json.dumps(obj, ensure_ascii=False))


def _human(text: str, r: dict[str, Any]) -> str:
    lat, lon = r["lat"], r["lon"]
    place = abl_index().describe(lat, lon)
    side = Side(r["side"])
    band = Band(r["band"])
    side_text = {Side.KOSOVO: "Kosovo side", Side.SERBIA: "Serbian side",
                 Side.OTHER: "neighbouring country"}[side]
    return (
        f"{text}\n"
        f"  MGRS     {format_mgrs(r['mgrs'])}\n"
        f"  stated   {precision_text(parse_position(text))}\n"
        f"  lat/lon  {abs(lat):.5f}°{'N' if lat >= 0 else 'S'} "
        f"{abs(lon):.5f}°{'E' if lon >= 0 else 'W'}\n"
        f"  ABL      {r['abl_distance_km']:.2f} km, {side_text}, band {band.value} "
        f"({band.label}) — indicative\n"
        f"  near     {place}"
    )
