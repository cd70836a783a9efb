#!/usr/bin/env bash
# Make a fresh machine (Debian 12, Python >= 3.11, no venv, no Qt system libraries) ready to run and
# test esncoach: the Qt runtime libraries from Debian when missing, then a venv in .venv with the
# package installed editable with its test extras. Safe to run again; quiet when nothing is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

qt_libs="libegl1 libgl1 libxkbcommon0 libfontconfig1 fonts-dejavu-core libglib2.0-0 libdbus-1-3"
# The GUI on a real X display (and the screenshot tool) also needs the xcb platform plugin's libraries.
xcb_libs="libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0 libx11-xcb1"
tools="poppler-utils"
# Team workspaces: the tests start a throwaway PostgreSQL server of their own (tests/pg_server.py).
tools="$tools postgresql-15"
missing=""
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in $qt_libs $xcb_libs $tools; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
  done
fi
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing system libraries:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "Missing system libraries (install them with sudo):$missing" >&2
  fi
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=.venv/.esncoach-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
  touch "$stamp"
fi
