"""Rotation, daily backups and the location check (the fault suite covers restore)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from kfor_desk.services.backups import (
    BackupInfo,
    Rotation,
    list_backups,
    make_backup,
    maybe_daily_backup,
    plan_rotation,
    rotate,
)
from kfor_desk.services.desk import Desk
from kfor_desk.services.instance import check_location

NOW = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)


def _fake(hours_ago: float, reason: str = "start") -> BackupInfo:
    t = NOW - timedelta(hours=hours_ago)
    return BackupInfo(Path(f"/b/d-{t:%Y%m%dT%H%M%SZ}-{reason}.db"), t, reason, 1)


def test_rotation_thins_recent_then_daily_then_weekly() -> None:
    backups = [_fake(h) for h in range(0, 24 * 200, 6)]  # four a day for 200 days
    doomed = {b.path for b in plan_rotation(backups, NOW, Rotation())}
    kept = [b for b in backups if b.path not in doomed]
    assert all(b in kept for b in backups if NOW - b.taken_at < timedelta(hours=48))
    days = [b.taken_at.date() for b in kept if timedelta(days=3) < NOW - b.taken_at
            < timedelta(days=14)]
    assert len(days) == len(set(days))  # one a day
    assert max(NOW - b.taken_at for b in kept) < timedelta(days=14 + 7 * 12 + 7)
    assert len(kept) < 40


def test_rotation_never_removes_upgrade_backups_or_the_newest_good_one() -> None:
    old = [_fake(24 * 300, "before-upgrade-from-0001"), _fake(24 * 400)]
    assert plan_rotation(old, NOW, Rotation(recent_min=0)) == [old[1]]
    assert plan_rotation(old, NOW, Rotation(recent_min=0), keep=old[1].path) == []


def test_rotate_keeps_the_newest_verified_copy(desk: Desk, db_path: Path) -> None:
    good = make_backup(db_path, "start", now=NOW - timedelta(days=400))
    newer = make_backup(db_path, "start", now=NOW - timedelta(days=300))
    newer.path.write_bytes(b"damaged")
    rotate(db_path, now=NOW, rotation=Rotation(recent_min=0, recent_hours=0, daily_days=0,
                                               weekly_weeks=0))
    assert [b.path for b in list_backups(db_path)] == [good.path]


def test_daily_backup_only_when_due(desk: Desk, db_path: Path) -> None:
    first = maybe_daily_backup(db_path, now=NOW)
    assert first is not None and first.reason == "daily"
    assert maybe_daily_backup(db_path, now=NOW + timedelta(hours=23)) is None
    assert maybe_daily_backup(db_path, now=NOW + timedelta(hours=25)) is not None


def test_location_check(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text("/dev/vda / ext4 rw 0 0\n"
                      "server:/export /mnt/share nfs4 rw 0 0\n"
                      "sshfs#me@h: /mnt/my\\040box fuse.sshfs rw 0 0\n"
                      "gvfsd-fuse /run/user/1/gvfs fuse.gvfsd-fuse rw 0 0\n")
    assert check_location(Path("/home/me/desk.db"), str(mounts)).refusal is None
    assert "nfs4" in (check_location(Path("/mnt/share/d.db"), str(mounts)).refusal or "")
    assert "sshfs" in (check_location(Path("/mnt/my box/d.db"), str(mounts)).refusal or "")
    assert check_location(Path("/run/user/1/gvfs/x/d.db"), str(mounts)).warnings
    cloud = check_location(Path("/home/me/OneDrive - NATO/desk.db"), str(mounts))
    assert cloud.refusal is None and "cloud-synced" in cloud.warnings[0]
    assert check_location(Path("//server/share/desk.db"), str(mounts)).refusal
