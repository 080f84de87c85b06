#!/usr/bin/env bash
# Build Kasir as a one-folder Linux app (dist/kasir/) and prove it works with its self-test.
#
#   bash packaging/build-linux.sh              # from anywhere; needs python3 + python3-venv
#
# Steps: a fresh build venv (build/venv), `pip install .[package]` (the app + the pinned
# PyInstaller), `pyinstaller packaging/kasir.spec`, then `dist/kasir/kasir --self-test`
# offscreen (a scripted demo sale on the embedded sandbox) must exit 0. The result, with
# kasir.desktop and install.sh beside the executable, is ready to archive and ship.
#
# Environment: PYTHON (default python3), KASIR_BUILD_VENV (default build/venv; reused when it
# already exists), KASIR_SPEC (default packaging/kasir.spec).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VENV="${KASIR_BUILD_VENV:-build/venv}"
SPEC="${KASIR_SPEC:-packaging/kasir.spec}"
DIST="dist/kasir"

step() { printf '\n== %s\n' "$*"; }
now() { date +%s; }
t_start=$(now)

step "venv $VENV"
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q -e ".[package]"
t_installed=$(now)

step "pyinstaller $SPEC"
"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller "$SPEC"
t_built=$(now)
[ -x "$DIST/kasir" ] || { echo "build failed: $DIST/kasir is missing" >&2; exit 1; }
[ -x "$DIST/kasir-cli" ] || { echo "build failed: $DIST/kasir-cli is missing" >&2; exit 1; }
# The menu entry and a per-user installer travel with the app (see packaging/README.md).
install -m644 packaging/kasir.desktop "$DIST/kasir.desktop"
install -m755 packaging/install-linux.sh "$DIST/install.sh"

step "self-test $DIST/kasir --self-test"
# Run from an empty folder with a clean environment so nothing from the source tree or the
# build venv can leak into the frozen app.
rm -rf build/selftest-home && mkdir -p build/selftest-home
status=0
(
    cd build/selftest-home
    env -i PATH=/usr/bin:/bin HOME="$PWD" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
        timeout 300 "$ROOT/$DIST/kasir" --self-test
) || status=$?
t_done=$(now)

step "summary"
echo "install:     $((t_installed - t_start)) s"
echo "pyinstaller: $((t_built - t_installed)) s"
echo "self-test:   $((t_done - t_built)) s"
echo "total:       $((t_done - t_start)) s"
echo "size:        $(du -sh "$DIST" | cut -f1) in $(find "$DIST" -type f | wc -l) files ($DIST)"
if [ "$status" -ne 0 ]; then
    echo "SELF-TEST FAILED (exit $status)" >&2
    exit "$status"
fi
echo "OK: $DIST/kasir built and self-tested"
