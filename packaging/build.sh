#!/usr/bin/env bash
# Build the Linux one-folder bundle and tarball, then smoke-test the frozen app headless.
#
#   bash packaging/build.sh            build + smoke test (exit 0 only if every check passed)
#   bash packaging/build.sh --no-build smoke-test the bundle already in dist/esncoach
#
# Output: dist/esncoach/ (the bundle), dist/esncoach-VERSION-linux-ARCH.tar.gz (bundle, .desktop file,
# icons, install.sh). Work files go to build/. Both folders are git-ignored.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PY=${PYTHON:-$ROOT/.venv/bin/python}
BUILD=1
[[ "${1:-}" == "--no-build" ]] && BUILD=0

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'build.sh: FAILED: %s\n' "$*" >&2; exit 1; }

read -r NAME VERSION < <("$PY" -c "
import sys; sys.path.insert(0, 'packaging')
import spec_support, pathlib; print(*spec_support.app_identity(pathlib.Path('.')))")
ARCH=$(uname -m)
BUNDLE="$ROOT/dist/$NAME"
APP="$BUNDLE/$NAME"

if (( BUILD )); then
    step "tools"
    stale=$("$PY" -c "
import sys; sys.path.insert(0, 'packaging')
import spec_support, pathlib; print(' '.join(spec_support.missing_from_installed_metadata(pathlib.Path('.'))))")
    if ! "$PY" -m PyInstaller --version >/dev/null 2>&1 || [[ -n "$stale" ]]; then
        # PyInstaller lives in the 'packaging' extra; a stale editable install would hide new libraries
        # from the bundle's licence list, so refresh the metadata too.
        "$PY" -m pip install -q -e ".[packaging]"
    fi
    echo "PyInstaller $("$PY" -m PyInstaller --version), $("$PY" --version)"

    step "icons (rendered from resources/icons/app.svg with Qt)"
    QT_QPA_PLATFORM=offscreen "$PY" packaging/render_icons.py build/icons

    step "PyInstaller: $NAME $VERSION, one folder"
    start=$(date +%s)
    "$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
        --distpath dist --workpath build/pyinstaller packaging/esncoach.spec
    BUILD_SECONDS=$(( $(date +%s) - start ))
    echo "built in ${BUILD_SECONDS}s"

    # Python's own library and some extension modules come with debug information (tens of MB). Only
    # those lose it; wheels' libraries are already stripped (some are patched by auditwheel and must not
    # be touched), and the launcher carries the app's archive, so it is left alone too.
    if command -v file >/dev/null && command -v strip >/dev/null; then
        step "strip debug information"
        before=$(du -sm "$BUNDLE" | cut -f1)
        find "$BUNDLE/_internal" -type f -name '*.so*' -print0 | xargs -0 file | grep 'with debug_info' |
            cut -d: -f1 | xargs -r strip --strip-debug
        echo "${before} MB -> $(du -sm "$BUNDLE" | cut -f1) MB"
    fi
fi
[[ -x "$APP" ]] || fail "no bundle at $APP (run without --no-build)"

step "bundle contents"
INTERNAL="$BUNDLE/_internal"
QT="$INTERNAL/PySide6/Qt"
need() { [[ -e "$1" ]] || fail "missing from the bundle: ${1#"$BUNDLE"/}"; }
need "$QT/plugins/platforms/libqoffscreen.so"
need "$QT/plugins/platforms/libqxcb.so"
need "$QT/plugins/imageformats/libqsvg.so"
need "$QT/plugins/iconengines/libqsvgicon.so"
need "$INTERNAL/resources/icons/app.svg"
need "$INTERNAL/resources/licences/Qt.txt"
need "$INTERNAL/esncoach/store/migrations/env.py"
ls "$INTERNAL"/sqlcipher3/_sqlite3*.so >/dev/null 2>&1 || fail "the SQLCipher module is missing"
[[ -n $(find "$INTERNAL" -maxdepth 1 -name 'esncoach*-info') ]] || fail "esncoach's metadata (licence list) is missing"
# Every distribution the About dialog lists must have its metadata (and licence files) in the bundle.
missing_meta=$("$PY" - "$INTERNAL" <<'PYEOF'
import re, sys
from importlib import metadata
from pathlib import Path
from esncoach.licences import runtime_distributions
bundled = {re.sub(r"[-_.]+", "-", p.name.split("-")[0]).lower() for p in Path(sys.argv[1]).glob("*-info")}
bundled |= {re.sub(r"[-_.]+", "-", p.name.rsplit("-", 1)[0]).lower() for p in Path(sys.argv[1]).glob("*.dist-info")}
print(" ".join(d for d in runtime_distributions() if d not in bundled and d != "esncoach"))
PYEOF
)
[[ -z "$missing_meta" ]] || fail "package metadata missing from the bundle (About dialog): $missing_meta"
unwanted=$(find "$INTERNAL" \( -name 'libQt6WebEngine*' -o -name 'libQt6Qml*' -o -name 'libQt6Quick*' \
    -o -name 'libQt63D*' -o -name 'libQt6Multimedia*' -o -name 'QtWebEngine*' -o -name 'QtQml*' \
    -o -name 'QtQuick*' -o -name 'libgtk-3*' \) -print)
[[ -z "$unwanted" ]] || fail "modules that should be excluded are in the bundle: $unwanted"
dangling=$(find "$BUNDLE" -xtype l -print)
[[ -z "$dangling" ]] || fail "dangling links in the bundle: $dangling"
qt_modules=$(cd "$INTERNAL/PySide6" && ls Qt*.so 2>/dev/null | sed 's/\..*//' | tr '\n' ' ')
echo "Qt for Python modules: $qt_modules"
echo "Qt plugins: $(cd "$QT/plugins" && find . -name '*.so' | sed 's|^\./||; s|/lib|/|; s|\.so$||' | sort | tr '\n' ' ')"

step "tarball with .desktop file and icons"
STAGE="$ROOT/build/tarball/$NAME-$VERSION-linux-$ARCH"
TARBALL="$ROOT/dist/$NAME-$VERSION-linux-$ARCH.tar.gz"
rm -rf "$ROOT/build/tarball"
mkdir -p "$STAGE/icons"
cp -a "$BUNDLE" "$STAGE/$NAME"
cp packaging/linux/esncoach.desktop packaging/linux/install.sh "$STAGE/"
cp build/icons/esncoach-{16,24,32,48,64,128,256,512}.png "$STAGE/icons/"
cp resources/icons/app.svg "$STAGE/icons/esncoach.svg"
if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$STAGE/esncoach.desktop"; fi
tar -C "$ROOT/build/tarball" -czf "$TARBALL" "$(basename "$STAGE")"

step "smoke test: the frozen app, offscreen, in a temporary folder"
SMOKE=$(mktemp -d "${TMPDIR:-/tmp}/esncoach-smoke.XXXXXX")
trap 'rm -rf "$SMOKE"' EXIT
export QT_QPA_PLATFORM=offscreen
export ESNCOACH_DATA_DIR="$SMOKE/data" ESNCOACH_SETTINGS_DIR="$SMOKE/settings"
export XDG_CONFIG_HOME="$SMOKE/config" XDG_DATA_HOME="$SMOKE/xdg-data" HOME="$SMOKE/home"
mkdir -p "$HOME"
DB="$SMOKE/demo.esncoach.db"
PASS="$SMOKE/passphrase.txt"
printf 'smoke test passphrase\n' > "$PASS"

got=$("$APP" --version)
[[ "$got" == "$NAME $VERSION" ]] || fail "--version said '$got', expected '$NAME $VERSION'"
echo "ok: $got"

"$APP" demo --db "$DB" --passphrase-file "$PASS"
"$APP" check --db "$DB" --passphrase-file "$PASS" | tee "$SMOKE/check.txt"
grep -q '^ok: schema .*, 12 executives' "$SMOKE/check.txt" || fail "check did not report a healthy demo"

# No keyring and no passphrase: one clear sentence and exit 2, never a traceback.
set +e
PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring "$APP" check --db "$DB" </dev/null 2>"$SMOKE/nokey.txt"
code=$?
set -e
[[ $code == 2 ]] && grep -q 'passphrase' "$SMOKE/nokey.txt" && ! grep -q Traceback "$SMOKE/nokey.txt" \
    || fail "without a key, check should refuse with a sentence (exit $code: $(cat "$SMOKE/nokey.txt"))"
echo "ok: refused without a key: $(cat "$SMOKE/nokey.txt")"

# The desktop app itself: it must come up on the offscreen platform and keep running until stopped.
set +e
timeout -s TERM 12 "$APP" --db "$DB" --passphrase-file "$PASS" >"$SMOKE/gui.txt" 2>&1
code=$?
set -e
if [[ $code != 124 ]] || grep -qiE 'traceback|could not load the qt platform plugin|cannot load library' "$SMOKE/gui.txt"; then
    fail "the GUI did not stay up (exit $code): $(cat "$SMOKE/gui.txt")"
fi
echo "ok: the GUI started on the offscreen platform and ran until stopped"

REPORT_PROBLEM=""
if "$APP" report --help >/dev/null 2>&1; then
    EXEC_NAME=$("$APP" execs list --db "$DB" --passphrase-file "$PASS" --json |
        "$PY" -c 'import json, sys; print(sorted(e["name"] for e in json.load(sys.stdin))[0])')
    PDF="$SMOKE/report.pdf"
    if "$APP" report --db "$DB" --passphrase-file "$PASS" --exec "$EXEC_NAME" --out "$PDF"; then
        if [[ -s "$PDF" ]] && head -c 5 "$PDF" | grep -q '%PDF-'; then
            text_ok=$("$PY" - "$PDF" "$EXEC_NAME" <<'PYEOF'
import re, sys, unicodedata
from pypdf import PdfReader
text = " ".join(page.extract_text() or "" for page in PdfReader(sys.argv[1]).pages)
text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))
print("yes" if sys.argv[2] in text else "no")
PYEOF
            ) || text_ok="unchecked (pypdf missing)"
            echo "ok: exec report for $EXEC_NAME: $(du -h "$PDF" | cut -f1), name found in text: $text_ok"
            [[ "$text_ok" != "no" ]] || REPORT_PROBLEM="the PDF does not contain the exec's name"
        else
            REPORT_PROBLEM="report wrote no PDF at $PDF"
        fi
    else
        REPORT_PROBLEM="report --exec '$EXEC_NAME' failed"
    fi
else
    REPORT_PROBLEM="the frozen app has no 'report' command ('esncoach report --help' failed)"
fi

step "summary"
echo "bundle:  $BUNDLE ($(du -sh "$BUNDLE" | cut -f1), $(find "$BUNDLE" -type f | wc -l) files)"
echo "tarball: $TARBALL ($(du -h "$TARBALL" | cut -f1))"
[[ -n "${BUILD_SECONDS:-}" ]] && echo "build time: ${BUILD_SECONDS}s"
if [[ -n "$REPORT_PROBLEM" ]]; then
    fail "exec report step: $REPORT_PROBLEM"
fi
echo "smoke test passed"
