#!/usr/bin/env bash
# KFOR Desk set-up for a fresh Debian/Ubuntu machine. One of:
#   bash scripts/bootstrap.sh app    install everything and start the app on a training database
#   bash scripts/bootstrap.sh test   install everything and run ruff, mypy and the test suite
#                                    (on SQLite and on a throwaway PostgreSQL cluster it starts)
# Installs the Debian libraries Qt needs (with apt-get, as root or through sudo), creates .venv
# and installs the project into it. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-}
case $MODE in app|test) ;; *) echo "usage: bash scripts/bootstrap.sh app|test" >&2; exit 2 ;; esac

# Debian packages: Qt offscreen needs the first group; a real screen also the xcb group.
DEBS="python3-venv python3-pip libglib2.0-0 libgl1 libegl1 libx11-6 libxkbcommon0 libfontconfig1
      libfreetype6 libdbus-1-3 fonts-dejavu-core"
if [ "$MODE" = app ]; then
  DEBS="$DEBS libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
        libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0"
fi
if [ "$MODE" = test ]; then
  DEBS="$DEBS poppler-utils"  # pdftotext/pdftoppm for looking at briefs
  DEBS="$DEBS binutils"  # objdump: PyInstaller's bundle build, which .ci/run tests next
  DEBS="$DEBS postgresql"  # the store/services/CLI suites also run against a real server
  # …which also needs the interpreter's shared library (Debian ships it apart)
  PYBIN=$(command -v "${PYTHON:-python3}" || true)
  case "$PYBIN" in
    /usr/bin/*) DEBS="$DEBS libpython$("$PYBIN" -c 'import sys; print("%d.%d" % sys.version_info[:2])')" ;;
  esac
fi

missing=""
if command -v dpkg-query >/dev/null 2>&1; then
  for p in $DEBS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
fi
if [ -n "$missing" ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "Installing Debian packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  # A new machine may have empty package lists: update first when an install fails.
  $SUDO apt-get install -y --no-install-recommends $missing \
    || { $SUDO apt-get update && $SUDO apt-get install -y --no-install-recommends $missing; }
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "$MODE" = test ]; then
  .venv/bin/python -m pip install --quiet -e ".[test]"
else
  .venv/bin/python -m pip install --quiet -e .
fi

if [ "$MODE" = app ]; then
  # the default database ($KFOR_DESK_DB, else kfor-desk.db in the user data folder): the one
  # the window and every kfor-desk command use, made once as a training desk
  DB=$(.venv/bin/python -c 'from kfor_desk.services.session import resolve_db; print(resolve_db(None))')
  if [ ! -e "$DB" ]; then
    .venv/bin/kfor-desk demo --records 80
  fi
  echo "KFOR Desk database: $DB (check it with: .venv/bin/kfor-desk verify)"
  exec .venv/bin/kfor-desk
fi

export QT_QPA_PLATFORM=offscreen
# A throwaway PostgreSQL cluster for the server half of the suite (unless one is given in
# $KFOR_DESK_TEST_PG): started here, stopped and deleted when this script ends, however it ends.
if [ -z "${KFOR_DESK_TEST_PG:-}" ]; then
  PGTMP=$(mktemp -d /tmp/kfor-desk-pg.XXXXXX)
  trap 'bash scripts/pg_cluster.sh stop "$PGTMP"; rm -rf "$PGTMP"' EXIT
  if KFOR_DESK_TEST_PG=$(bash scripts/pg_cluster.sh start "$PGTMP"); then
    export KFOR_DESK_TEST_PG KFOR_DESK_TEST_PG_SOCKET=$PGTMP
    echo "== PostgreSQL test server: $KFOR_DESK_TEST_PG"
  else
    echo "== no PostgreSQL test server could be started: the server tests will be skipped" \
         "(or fail, under CI=true)" >&2
    unset KFOR_DESK_TEST_PG
  fi
fi
echo "== ruff"
.venv/bin/ruff check kfor_desk tests bench
echo "== mypy (strict on domain and store)"
.venv/bin/mypy
echo "== pytest"
.venv/bin/python -m pytest
