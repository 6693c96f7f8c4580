#!/usr/bin/env bash
# Build the KFOR Desk one-folder bundle: packaging/dist/kfor-desk/kfor-desk
#   bash packaging/build.sh            uses .venv (creates it and installs the project if missing)
# Environment: PYTHON (interpreter for a new venv, default python3).
# Renders the PNG icons from resources/icons/kfor-desk.svg into packaging/build/icons/ first.
# Needs no network once .venv has the project and PyInstaller (".[package]").
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[package]"
fi
if ! .venv/bin/python -c "import PyInstaller" 2>/dev/null; then
  .venv/bin/python -m pip install --quiet -e ".[package]"
fi

if ! command -v objdump >/dev/null 2>&1; then
  echo "build.sh: PyInstaller needs objdump: install the Debian package binutils" \
       "(sudo apt-get install binutils; 'bash scripts/bootstrap.sh test' does)" >&2
  exit 1
fi

start=$(date +%s)
echo "== icons"
QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py packaging/build/icons

echo "== pyinstaller"
KFOR_DESK_ICON_DIR="$ROOT/packaging/build/icons" .venv/bin/python -m PyInstaller \
  --noconfirm --clean --log-level WARN \
  --distpath packaging/dist --workpath packaging/build/pyinstaller \
  packaging/kfor-desk.spec

BUNDLE=packaging/dist/kfor-desk
# The Python interpreter's own libraries carry debug info; wheel libraries are left alone.
if command -v strip >/dev/null 2>&1; then
  find "$BUNDLE/_internal" \( -name 'libpython3*.so*' -o -path '*/lib-dynload/*.so' \) -type f \
    -exec strip --strip-debug {} +
fi
# Desktop integration files travel with the bundle (install them with your package manager
# or copy them by hand; see README "Installing").
mkdir -p "$BUNDLE/share/applications" "$BUNDLE/share/metainfo"
cp packaging/linux/kfor-desk.desktop "$BUNDLE/share/applications/"
cp packaging/linux/eu.kfor.desk.metainfo.xml "$BUNDLE/share/metainfo/"
for png in packaging/build/icons/kfor-desk-*.png; do
  n=${png##*-}; n=${n%.png}
  mkdir -p "$BUNDLE/share/icons/hicolor/${n}x${n}/apps"
  cp "$png" "$BUNDLE/share/icons/hicolor/${n}x${n}/apps/kfor-desk.png"
done
mkdir -p "$BUNDLE/share/icons/hicolor/scalable/apps"
cp resources/icons/kfor-desk.svg "$BUNDLE/share/icons/hicolor/scalable/apps/kfor-desk.svg"

end=$(date +%s)
echo "== built $BUNDLE in $((end - start)) s"
echo "bundle size: $(du -sh "$BUNDLE" | cut -f1) ($(du -sb "$BUNDLE" | cut -f1) bytes)"

# Every bundled library must resolve against the bundle or the base system.
missing=$(cd "$BUNDLE/_internal" && find . -name '*.so*' -type f -print0 \
  | xargs -0 -n 50 env LD_LIBRARY_PATH="$PWD" ldd 2>/dev/null | grep 'not found' | sort -u || true)
if [ -n "$missing" ]; then
  echo "note: libraries the target system must provide (not on this machine):" >&2
  echo "$missing" >&2
fi
