"""Automatic backups, rotation and restore.

- Automatic backups: on start (after the checks on open passed), before every migration, on
  exit, and daily while the window runs (:func:`maybe_daily_backup`, for its timer). Each one is
  made with the backup API and verified before it gets its name (:func:`backup_sqlite`).
- Names: ``<db stem>-<UTC stamp>[.<n>]-<reason>.db`` in the backup folder (0700, files 0600).
- Rotation thins: every backup of the last :attr:`Rotation.recent_hours`, then the newest of each
  day, then the newest of each week, up to a limit; backups taken before an upgrade, and the
  newest backup that still verifies, are never removed.
- :func:`restore` verifies the backup first, pauses automatic backups, keeps the current file
  aside (renamed, never deleted), puts a verified copy in place and checks it before use.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .backup import (
    BackupError,
    backup_name,
    backup_sqlite,
    check_copy,
    default_backup_dir,
    ensure_private_dir,
)
from .instance import _hostname, process_alive

if TYPE_CHECKING:
    from .backup import Snapshot
    from .copying import CopyReport
    from .desk import Desk

STAMP = "%Y%m%dT%H%M%SZ"
_NAME_RE = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{6}Z)(?:\.(?P<n>\d+))?-(?P<reason>[^/]+)"
                      r"\.db$")
KEEP_ALWAYS = "before-upgrade"


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str
    size: int

    @property
    def label(self) -> str:
        return f"{self.taken_at:%Y-%m-%d %H:%M:%SZ} ({self.reason})"


@dataclass(frozen=True, slots=True)
class Rotation:
    """How many backups rotation keeps."""

    recent_hours: int = 48
    recent_min: int = 5        # always the newest N, however old
    daily_days: int = 14
    weekly_weeks: int = 12



def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


def _folder(db_path: Path, folder: Path | None) -> Path:
    return folder if folder is not None else default_backup_dir(db_path)


def parse_backup_name(path: Path, stem: str | None = None) -> BackupInfo | None:
    m = _NAME_RE.match(path.name)
    if not m or (stem is not None and m["stem"] != stem):
        return None
    try:
        taken = datetime.strptime(m["stamp"], STAMP).replace(tzinfo=UTC)
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    return BackupInfo(path, taken, m["reason"], size)


def local_database(where: str | None) -> Path:
    """The SQLite file at ``where`` (``--db`` / ``$KFOR_DESK_DB`` / the default, resolved) for
    backing up and restoring; a server database is refused with :class:`BackupError`."""
    from .location import resolve_location
    from .session import resolve_db

    path = resolve_location(resolve_db(where or None)).path
    if path is None:
        raise BackupError("a server database is backed up and restored by its administrator")
    return path


def is_server(where: str | None) -> bool:
    """True when ``where`` (``--db`` / ``$KFOR_DESK_DB`` / the default) is a database server."""
    from .location import resolve_location
    from .session import resolve_db

    return not resolve_location(resolve_db(where or None)).is_sqlite


def copy_desk_to(desk: Desk, dest_location: str) -> CopyReport:
    """``kfor-desk copy``: the whole desk into ``dest_location`` (see :mod:`.copying`)."""
    from .copying import copy_desk

    return copy_desk(desk.db, dest_location)


def backup_server_desk_of(desk: Desk, out: Path | None = None) -> Path:
    """``kfor-desk backup`` of a server desk: a verified local SQLite copy (see
    :mod:`.copying`)."""
    from .copying import backup_server_desk

    return backup_server_desk(desk.db, out)


def list_backups(db_path: Path, folder: Path | None = None) -> list[BackupInfo]:
    """This database's backups, newest first."""
    where = _folder(db_path, folder)
    try:
        files = [p for p in where.iterdir() if p.suffix == ".db" and p.is_file()]
    except OSError:
        return []
    found = [b for p in files if (b := parse_backup_name(p, db_path.stem)) is not None]
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def newest_good_backup(db_path: Path, folder: Path | None = None) -> Path | None:
    """The newest backup that passes its checks now (damaged ones are skipped)."""
    for b in list_backups(db_path, folder):
        if check_copy(b.path) is None:
            return b.path
    return None


def _target_name(db_path: Path, folder: Path, reason: str, when: datetime) -> Path:
    return backup_name(db_path, folder, reason, when.strftime(STAMP))


def make_backup(db_path: Path, reason: str = "manual", *, folder: Path | None = None,
                now: datetime | None = None, snapshot: Snapshot | None = None,
                should_stop: Callable[[], bool] | None = None) -> BackupInfo:
    """A verified backup now (raises :class:`BackupError`); of ``snapshot``'s state when
    given (see :class:`~kfor_desk.services.backup.Snapshot`). ``should_stop``: asked during
    the copy and its check (:class:`~kfor_desk.store.errors.CheckStopped`, nothing kept)."""
    if not db_path.is_file():
        raise BackupError(f"there is no database at {db_path} to back up")
    where = _folder(db_path, folder)
    try:
        ensure_private_dir(where)
    except OSError as exc:
        raise BackupError(f"cannot create the backup folder {where} "
                          f"({exc.strerror or exc}); no backup was made and the database is "
                          "unchanged — make sure that folder can be created, then back up "
                          "again") from None
    when = _now(now)
    from .witness import known_good

    # the witness knows the file good up to a head: the copy's check hashes only what is new
    after = snapshot.known_good if snapshot is not None else known_good(db_path)
    out = backup_sqlite(db_path, _target_name(db_path, where, reason, when), after=after,
                        snapshot=snapshot, should_stop=should_stop)
    info = parse_backup_name(out)
    assert info is not None
    return info


# ---------------------------------------------------------------- pausing
def _pause_marker(db_path: Path) -> Path:
    return Path(str(db_path) + ".restoring")


def backups_paused(db_path: Path) -> bool:
    """True while a restore of this database runs (in any process on this computer)."""
    marker = _pause_marker(db_path)
    try:
        text = marker.read_text(encoding="utf-8").split()
    except OSError:
        return False
    if len(text) >= 2 and text[1] != _hostname():
        return True  # another computer's restore: trust it
    try:
        pid = int(text[0])
    except (ValueError, IndexError):
        return True
    if pid == os.getpid():
        return True
    return process_alive(pid)  # False: a restore that died; its marker is stale


@contextmanager
def paused(db_path: Path) -> Iterator[None]:
    """Automatic backups of ``db_path`` skip while this block runs."""
    marker = _pause_marker(db_path)
    fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, f"{os.getpid()} {_hostname()}\n".encode())
    finally:
        os.close(fd)
    try:
        yield
    finally:
        marker.unlink(missing_ok=True)


def clean_leftovers(db_path: Path) -> list[str]:
    """What a restore killed half-way left beside ``db_path``: its pause marker
    (``<db>.restoring``, once its process is gone) and its unfinished copy
    (``.<db>.restore.part``, only with no restore running). The database itself, and any
    file a running restore uses, are never touched. Call it holding the instance lock (which
    also rewrites an empty lock file). Returns the names removed."""
    removed: list[str] = []
    marker = _pause_marker(db_path)
    if marker.exists() and not backups_paused(db_path):
        with contextlib.suppress(OSError):
            marker.unlink()
            removed.append(marker.name)
    if not marker.exists():
        part = db_path.with_name(f".{db_path.name}.restore.part")
        if part.is_file():
            with contextlib.suppress(OSError):
                part.unlink()
                removed.append(part.name)
    return removed


# ---------------------------------------------------------------- automatic
def auto_backup(db_path: Path, reason: str, *, folder: Path | None = None,
                now: datetime | None = None, rotation: Rotation | None = None,
                snapshot: Snapshot | None = None,
                should_stop: Callable[[], bool] | None = None) -> BackupInfo | None:
    """An automatic backup (``start``, ``exit``, ``daily``) then rotation; None while paused.
    ``snapshot``, ``should_stop``: as for :func:`make_backup`.

    Raises :class:`BackupError` when the backup could not be made (the caller warns)."""
    if backups_paused(db_path):
        return None
    info = make_backup(db_path, reason, folder=folder, now=now, snapshot=snapshot,
                       should_stop=should_stop)
    rotate(db_path, folder=folder, now=now, rotation=rotation, good=info.path)
    return info


def maybe_daily_backup(db_path: Path, *, folder: Path | None = None,
                       now: datetime | None = None, every: timedelta = timedelta(hours=24),
                       rotation: Rotation | None = None) -> BackupInfo | None:
    """For the window's timer (call it e.g. hourly): a backup if the newest one is older than
    ``every``; None if none was due or backups are paused. Raises :class:`BackupError`."""
    when = _now(now)
    existing = list_backups(db_path, folder)
    if existing and when - existing[0].taken_at < every:
        return None
    return auto_backup(db_path, "daily", folder=folder, now=when, rotation=rotation)


def plan_rotation(backups: list[BackupInfo], now: datetime, rotation: Rotation,
                  keep: Path | None = None) -> list[BackupInfo]:
    """Which backups rotation would remove (pure; ``backups`` newest first)."""
    kept_days: set[object] = set()
    kept_weeks: set[object] = set()
    remove: list[BackupInfo] = []
    for i, b in enumerate(backups):
        age = now - b.taken_at
        day = b.taken_at.date()
        week = b.taken_at.isocalendar()[:2]
        if (i < rotation.recent_min or age < timedelta(hours=rotation.recent_hours)
                or KEEP_ALWAYS in b.reason or b.path == keep):
            kept_days.add(day)
            kept_weeks.add(week)
            continue
        if age < timedelta(days=rotation.daily_days) and day not in kept_days:
            kept_days.add(day)
            kept_weeks.add(week)
            continue
        if age < timedelta(days=rotation.daily_days + 7 * rotation.weekly_weeks) and \
                week not in kept_weeks:
            kept_weeks.add(week)
            continue
        remove.append(b)
    return remove


def rotate(db_path: Path, *, folder: Path | None = None, now: datetime | None = None,
           rotation: Rotation | None = None, good: Path | None = None) -> list[Path]:
    """Thin out old backups; never removes the newest backup that still verifies (``good``:
    the caller just made and verified it)."""
    backups = list_backups(db_path, folder)
    doomed = plan_rotation(backups, _now(now), rotation or Rotation())
    if not doomed:
        return []
    good = good or newest_good_backup(db_path, folder)
    removed: list[Path] = []
    for b in plan_rotation(backups, _now(now), rotation or Rotation(), keep=good):
        with contextlib.suppress(OSError):
            b.path.unlink()
            removed.append(b.path)
    return removed


__all__ = ["BackupError", "BackupInfo", "Rotation", "auto_backup",
           "backups_paused", "clean_leftovers", "list_backups", "local_database", "make_backup",
           "maybe_daily_backup",
           "newest_good_backup", "paused", "plan_rotation", "rotate"]
