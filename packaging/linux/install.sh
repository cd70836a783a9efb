#!/bin/sh
# Install esncoach for the current user from the unpacked tarball: no root, nothing outside $HOME.
#   ./install.sh            install (or upgrade) into ~/.local
#   ./install.sh --remove   remove it again (workspaces in ~/.local/share/esncoach are kept)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=${XDG_DATA_HOME:-$HOME/.local/share}
app_dir="$HOME/.local/opt/esncoach"
bin_dir="$HOME/.local/bin"

if [ "${1:-}" = "--remove" ]; then
    rm -rf "$app_dir" "$bin_dir/esncoach" "$prefix/applications/esncoach.desktop"
    find "$prefix/icons/hicolor" -name 'esncoach.*' -delete 2>/dev/null || true
    echo "esncoach removed; your workspaces in $prefix/esncoach were left in place."
    exit 0
fi

rm -rf "$app_dir"
mkdir -p "$app_dir" "$bin_dir" "$prefix/applications"
cp -a "$here/esncoach/." "$app_dir/"
ln -sf "$app_dir/esncoach" "$bin_dir/esncoach"
for png in "$here"/icons/esncoach-*.png; do
    size=$(basename "$png" .png | sed 's/esncoach-//')
    mkdir -p "$prefix/icons/hicolor/${size}x${size}/apps"
    cp "$png" "$prefix/icons/hicolor/${size}x${size}/apps/esncoach.png"
done
mkdir -p "$prefix/icons/hicolor/scalable/apps"
cp "$here/icons/esncoach.svg" "$prefix/icons/hicolor/scalable/apps/esncoach.svg"
sed "s|^Exec=esncoach|Exec=$app_dir/esncoach|; s|^TryExec=esncoach|TryExec=$app_dir/esncoach|" \
    "$here/esncoach.desktop" > "$prefix/applications/esncoach.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$prefix/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$prefix/icons/hicolor" || true
echo "esncoach installed in $app_dir; start it from your applications menu or run: $bin_dir/esncoach"
