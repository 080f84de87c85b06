#!/usr/bin/env bash
# Build Kasir as a macOS app (dist/Kasir.app) and prove it works with its self-test.
#
#   bash packaging/build-macos.sh          # on a Mac of the target architecture
#
# Steps: a build venv (build/venv) from python.org's Python 3.11+, `pip install -e .[package]`,
# `pyinstaller packaging/kasir.spec` (Kasir.app: icon, bundle id, minimum macOS 13 with
# Python 3.11 / 14 with 3.12+), then `Kasir.app/Contents/MacOS/kasir-cli --self-test`
# offscreen must exit 0. Ship it as a .dmg (packaging/README.md).
#
# Environment: PYTHON (default python3.11), KASIR_BUILD_VENV (default build/venv).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3.11}"
VENV="${KASIR_BUILD_VENV:-build/venv}"
APP="dist/Kasir.app"

[ "$(uname -s)" = Darwin ] || { echo "build-macos.sh builds on macOS only" >&2; exit 2; }
echo "== venv $VENV"
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 11) <= v < (3, 14) else "Kasir needs Python 3.11-3.13, this is %d.%d" % v)'
"$VENV/bin/python" -m pip install -q -e ".[package]"

echo "== pyinstaller packaging/kasir.spec"
"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/kasir.spec
[ -x "$APP/Contents/MacOS/kasir" ] || { echo "build failed: $APP is incomplete" >&2; exit 1; }

echo "== self-test $APP/Contents/MacOS/kasir-cli --self-test"
rm -rf build/selftest-home && mkdir -p build/selftest-home
(
    cd build/selftest-home
    env -i PATH=/usr/bin:/bin HOME="$PWD" LANG=en_US.UTF-8 QT_QPA_PLATFORM=offscreen \
        "$ROOT/$APP/Contents/MacOS/kasir-cli" --self-test
)
/usr/libexec/PlistBuddy -c "Print :LSMinimumSystemVersion" "$APP/Contents/Info.plist"
echo "OK: $APP built and self-tested ($(du -sh "$APP" | cut -f1))"
