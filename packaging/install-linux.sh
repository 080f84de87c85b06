#!/usr/bin/env bash
# Install (or remove) a built Kasir for the current user: no root needed.
#
#   ./install.sh              # from the unpacked dist folder (build-linux.sh copies this there)
#   ./install.sh --uninstall
#
# Puts the app in ~/.local/opt/kasir, `kasir` in ~/.local/bin, the menu entry in
# ~/.local/share/applications and the icons in ~/.local/share/icons/hicolor. KASIR_PREFIX
# (default ~/.local) changes all four, e.g. KASIR_PREFIX=/usr/local (then run with sudo).
set -euo pipefail

SRC="$(cd "$(dirname "$0")" && pwd)"
PREFIX="${KASIR_PREFIX:-$HOME/.local}"
APP="$PREFIX/opt/kasir"
BIN="$PREFIX/bin"
APPS="$PREFIX/share/applications"
ICONS="$PREFIX/share/icons/hicolor"

refresh() {
    command -v update-desktop-database >/dev/null && update-desktop-database -q "$APPS" || true
    command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$ICONS" || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$APP"
    rm -f "$BIN/kasir" "$BIN/kasir-cli" "$APPS/kasir.desktop" "$ICONS"/*/apps/kasir.png \
        "$ICONS/scalable/apps/kasir.svg"
    refresh
    echo "Kasir removed (your data and settings are kept)."
    exit 0
fi

[ -x "$SRC/kasir" ] || { echo "run this from the unpacked Kasir folder" >&2; exit 1; }
if [ "$SRC" != "$APP" ]; then
    rm -rf "$APP"
    mkdir -p "$(dirname "$APP")"
    cp -a "$SRC" "$APP"
fi
mkdir -p "$BIN" "$APPS"
ln -sf "$APP/kasir" "$BIN/kasir"
if [ -x "$APP/kasir-cli" ]; then ln -sf "$APP/kasir-cli" "$BIN/kasir-cli"; fi
res="$APP/_internal/resources/icons"
for size in 48 64 128 256; do
    install -Dm644 "$res/kasir-$size.png" "$ICONS/${size}x$size/apps/kasir.png"
done
install -Dm644 "$res/kasir.svg" "$ICONS/scalable/apps/kasir.svg"
sed -e "s|^Exec=kasir|Exec=$APP/kasir|" -e "s|^TryExec=kasir|TryExec=$APP/kasir|" \
    "$APP/kasir.desktop" >"$APPS/kasir.desktop"
chmod 644 "$APPS/kasir.desktop"
refresh
echo "Kasir installed in $APP; start it from the menu or with: $BIN/kasir"
