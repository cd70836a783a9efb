#!/usr/bin/env bash
# Build esncoach.app and a drag-to-Applications .dmg on macOS (run on a Mac, from any folder).
#
#   python3.11 -m venv .venv && .venv/bin/pip install -e ".[packaging]"
#   bash packaging/macos/build.sh
#
# Output: dist/esncoach.app and dist/esncoach-VERSION-macos-ARCH.dmg. Build on the oldest macOS you
# support (LSMinimumSystemVersion in the spec is 12.0) and once per architecture (arm64, x86_64), or use a
# universal2 Python and add target_arch="universal2" to the spec's EXE.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
PY=${PYTHON:-$ROOT/.venv/bin/python}
read -r NAME VERSION < <("$PY" -c "
import sys; sys.path.insert(0, 'packaging')
import spec_support, pathlib; print(*spec_support.app_identity(pathlib.Path('.')))")
ARCH=$(uname -m)

QT_QPA_PLATFORM=offscreen "$PY" packaging/render_icons.py build/icons      # esncoach.icns for the bundle
"$PY" -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/esncoach.spec
APP="dist/$NAME.app"

# Smoke test of the frozen CLI inside the .app (a passphrase file keeps the login keychain untouched).
SMOKE=$(mktemp -d)
trap 'rm -rf "$SMOKE"' EXIT
printf 'smoke test passphrase\n' > "$SMOKE/pass"
QT_QPA_PLATFORM=offscreen "$APP/Contents/MacOS/$NAME" demo --db "$SMOKE/demo.db" --passphrase-file "$SMOKE/pass"
QT_QPA_PLATFORM=offscreen "$APP/Contents/MacOS/$NAME" check --db "$SMOKE/demo.db" --passphrase-file "$SMOKE/pass"

# Signing and notarisation (needs an Apple Developer ID; skipped when SIGN_IDENTITY is unset):
#   SIGN_IDENTITY="Developer ID Application: Example Ltd (TEAMID)" NOTARY_PROFILE=esncoach bash packaging/macos/build.sh
# with the profile stored once by: xcrun notarytool store-credentials esncoach --apple-id ... --team-id ...
if [[ -n "${SIGN_IDENTITY:-}" ]]; then
    codesign --force --deep --options runtime --timestamp --sign "$SIGN_IDENTITY" "$APP"
    codesign --verify --strict --verbose=2 "$APP"
fi

# The disk image: the app beside a link to /Applications, compressed (UDZO).
DMG="dist/$NAME-$VERSION-macos-$ARCH.dmg"
STAGE="build/dmg"
rm -rf "$STAGE" "$DMG"
mkdir -p "$STAGE"
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
hdiutil create -volname "$NAME $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$DMG"

if [[ -n "${SIGN_IDENTITY:-}" ]]; then
    codesign --sign "$SIGN_IDENTITY" --timestamp "$DMG"
    if [[ -n "${NOTARY_PROFILE:-}" ]]; then
        xcrun notarytool submit "$DMG" --keychain-profile "$NOTARY_PROFILE" --wait
        xcrun stapler staple "$DMG"
    fi
fi
echo "app: $APP ($(du -sh "$APP" | cut -f1)); disk image: $DMG ($(du -h "$DMG" | cut -f1))"
