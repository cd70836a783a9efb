#!/usr/bin/env bash
# Wrap the bundle that packaging/build.sh made (dist/esncoach) into a single-file AppImage.
#
#   bash packaging/build.sh && bash packaging/linux/appimage.sh
#
# Needs appimagetool (https://github.com/AppImage/appimagetool/releases: download the AppImage for your
# architecture, chmod +x, put it on PATH as appimagetool). Build on the oldest distribution you support:
# the bundle carries Qt and Python but uses the system's glibc, which must be at least the build's.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
PY=${PYTHON:-$ROOT/.venv/bin/python}
read -r NAME VERSION < <("$PY" -c "
import sys; sys.path.insert(0, 'packaging')
import spec_support, pathlib; print(*spec_support.app_identity(pathlib.Path('.')))")
[[ -x "dist/$NAME/$NAME" ]] || { echo "appimage.sh: run packaging/build.sh first" >&2; exit 1; }

APPDIR="build/AppDir"
rm -rf "$APPDIR"
mkdir -p "$APPDIR/usr/lib" "$APPDIR/usr/share/applications" "$APPDIR/usr/share/icons/hicolor/256x256/apps"
cp -a "dist/$NAME" "$APPDIR/usr/lib/$NAME"
cat > "$APPDIR/AppRun" <<'RUN'
#!/bin/sh
HERE=$(dirname "$(readlink -f "$0")")
exec "$HERE/usr/lib/esncoach/esncoach" "$@"
RUN
chmod +x "$APPDIR/AppRun"
cp packaging/linux/esncoach.desktop "$APPDIR/esncoach.desktop"
cp packaging/linux/esncoach.desktop "$APPDIR/usr/share/applications/"
cp build/icons/esncoach-256.png "$APPDIR/esncoach.png"
cp build/icons/esncoach-256.png "$APPDIR/usr/share/icons/hicolor/256x256/apps/esncoach.png"
ln -sf esncoach.png "$APPDIR/.DirIcon"

if ! command -v appimagetool >/dev/null; then
    echo "appimage.sh: AppDir ready in $APPDIR; install appimagetool to make the AppImage (see the top of this file)" >&2
    exit 1
fi
OUT="dist/$NAME-$VERSION-$(uname -m).AppImage"
ARCH=$(uname -m) appimagetool "$APPDIR" "$OUT"
echo "AppImage: $OUT ($(du -h "$OUT" | cut -f1))"
