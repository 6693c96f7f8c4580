"""R1: ``kill -9`` at random moments while a child creates, amends and decides records.

The child writes through the services and reports every save the app confirmed (register
number, version, state hash, exchange form) on a pipe. After the kill: (a) integrity and foreign
keys, (b) every confirmed save present and byte-identical, (c) nothing present that was not
confirmed except the one in-flight change, complete, (d) one audit row per change and the chain
verifies."""

from __future__ import annotations

import json
import os
import random
import signal
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from kfor_desk.domain.exchange import state_hash
from kfor_desk.domain.records import ConsentRequest, Record
from kfor_desk.domain.workflow import Action, available_actions
from kfor_desk.services.session import open_desk
from tests.factories import NOW, make_notification, make_request
from tests.reliability.helpers import assert_sound, audit_rows, form, snapshot

RUNS = 50

PARAMS: dict[Action, dict[str, str]] = {
    Action.DISSEMINATE: {"to": "RC-E, RC-W, JRD-N"},
    Action.CANCEL: {"reason": "Cancelled by the SAF (weather)."},
    Action.RECOMMEND: {"recommendation": "Grant with KFOR escort; daylight only."},
    Action.DECIDE: {"outcome": "granted_with_conditions", "authority": "COMKFOR",
                    "conditions": "Escorted by KFOR; daylight only"},
    Action.COMMUNICATE: {"via": "phone to KSF J3"},
    Action.WITHDRAW: {"reason": "Withdrawn by the KSF."},
}


def _writer(db: str, seed: int, fd: int) -> None:  # pragma: no cover - runs in the child
    rng = random.Random(seed)
    tick = iter(range(1, 10**6))
    desk = open_desk(db, "Capt Writer")
    desk.clock = lambda: NOW + timedelta(minutes=next(tick))
    out = os.fdopen(fd, "w", buffering=1, encoding="utf-8")
    mine: dict[str, Record] = {}
    n, r = desk.repo.all_records()
    mine.update({x.register_no or "": x for x in [*n, *r]})
    while True:
        roll = rng.random()
        rec = rng.choice(list(mine.values()))
        actions = [a for a in available_actions(rec) if a in PARAMS or a in (
            Action.ACKNOWLEDGE, Action.START_REVIEW)]
        if roll < 0.35:
            new = make_request(notes=f"run {seed} #{rng.random()}") if rng.random() < 0.5 \
                else make_notification(notes=f"run {seed} — №{rng.randrange(10**6)}")
            saved = desk.register(new).record
        elif roll < 0.7 or not actions:
            if isinstance(rec, ConsentRequest) and rec.status.is_decided:
                saved = desk.amend(rec, replace(rec, notes=f"correction {rng.random()}"),
                                   reason="typo in the notes").record
            elif rec.status.value in ("withdrawn", "cancelled"):
                continue
            else:
                saved = desk.amend(rec, replace(rec, notes=f"amended ć {rng.random()}",
                                                personnel=rng.randrange(1, 500))).record
        else:
            action = rng.choice(actions)
            saved = desk.act(rec, action, **PARAMS.get(action, {})).record
        mine[saved.register_no or ""] = saved
        out.write(json.dumps({"regno": saved.register_no, "version": saved.version,
                              "hash": state_hash(saved), "form": form(saved)}) + "\n")


def _run_and_kill(db: Path, seed: int) -> list[dict[str, object]]:
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(r)
        try:
            _writer(str(db), seed, w)
        finally:
            os._exit(3)
    os.close(w)
    rng = random.Random(seed * 7919)
    want = rng.randrange(1, 25)
    lines: list[str] = []
    buf = b""
    deadline = time.monotonic() + 60
    with os.fdopen(r, "rb") as fh:
        while len(lines) < want and time.monotonic() < deadline:
            chunk = os.read(fh.fileno(), 65536)
            if not chunk:
                break
            buf += chunk
            *done, buf = buf.split(b"\n")
            lines += [x.decode() for x in done]
        time.sleep(rng.random() * 0.02)  # land somewhere inside the next transaction
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        buf += fh.read()
    lines += [x.decode() for x in buf.split(b"\n")[:-1]]  # a torn last line is unconfirmed
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, \
        f"the writer ended before the kill (status {status})"
    return [json.loads(x) for x in lines]


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(RUNS))
def test_kill_9_loses_nothing_confirmed(fresh_db: Path, seed: int) -> None:
    before_audit = len(audit_rows(fresh_db))
    confirmed = _run_and_kill(fresh_db, seed)
    assert confirmed, "the writer confirmed nothing before the kill"
    assert_sound(fresh_db)  # (a) and (d): integrity, foreign keys, chain, records vs chain
    now = snapshot(fresh_db)
    rows = audit_rows(fresh_db)
    # (d) one audit row per change; (c) at most the one in-flight change beyond the confirmed
    changes = len(rows) - before_audit
    assert changes in (len(confirmed), len(confirmed) + 1), (changes, len(confirmed))
    last: dict[str, dict[str, object]] = {}
    for c in confirmed:
        last[str(c["regno"])] = c
    history = {(row[4], row[6]) for row in rows}
    for regno, c in last.items():
        # (b) every confirmed save is present; byte-identical unless a later complete change
        assert (regno, c["hash"]) in history, f"{regno} v{c['version']} lost"
        assert regno in now
        if now[regno] != c["form"]:
            assert changes == len(confirmed) + 1 and rows[-1][4] == regno, \
                f"{regno} differs from its confirmed save and is not the in-flight change"
    unconfirmed = set(now) - set(last) - set(snapshot_template_regnos(rows, before_audit))
    assert len(unconfirmed) <= 1 and (not unconfirmed or rows[-1][4] in unconfirmed)


def snapshot_template_regnos(rows: list[tuple[object, ...]], before: int) -> list[str]:
    return [str(row[4]) for row in rows[:before] if row[4]]
