"""Render resources/icons/app.svg with Qt into the PNG, .ico and .icns files installers and launchers need.

Run at build time (build.sh and the Windows/macOS notes do): ``python packaging/render_icons.py build/icons``.
The renderings are never committed, so the SVG stays the only source of the icon. Qt draws each size
directly from the vector (no downscaling of one big bitmap); the .ico and .icns containers hold PNG frames,
which Windows Vista+ and macOS 10.7+ read.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QImageReader, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "icons" / "app.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, with their pixel size (the @2x types are Retina renderings).
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256), (b"ic09", 512),
    (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256), (b"ic14", 512),
)


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    """The icon drawn at ``size`` x ``size`` pixels with antialiasing, encoded as PNG."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError(f"Qt could not encode the {size}px icon as PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(frames: dict[int, bytes]) -> bytes:
    """A Windows .ico holding one PNG frame per size (width/height byte 0 means 256)."""
    sizes = sorted(frames)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, payload = b"", b""
    for size in sizes:
        png = frames[size]
        edge = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(png), offset + len(payload))
        payload += png
    return header + entries + payload


def icns_bytes(frames: dict[int, bytes]) -> bytes:
    """A macOS .icns of PNG elements: 16 to 1024 px, including the Retina (@2x) slots."""
    body = b""
    for kind, size in ICNS_TYPES:
        png = frames[size]
        body += kind + struct.pack(">I", len(png) + 8) + png
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def frame_count(path: Path) -> int:
    """How many images Qt's own reader finds in a written icon file (the check that it is well formed)."""
    reader = QImageReader(str(path))
    count = reader.imageCount()
    if count <= 0 or reader.read().isNull():
        raise RuntimeError(f"Qt cannot read back {path} ({reader.errorString()})")
    return count


def render_all(out: Path, source: Path = SOURCE) -> dict[str, Path]:
    """Write esncoach-<size>.png, esncoach.png (256 px), esncoach.ico and esncoach.icns into ``out``."""
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise RuntimeError(f"{source} is not an SVG Qt can render")
    out.mkdir(parents=True, exist_ok=True)
    frames = {size: render_png(renderer, size) for size in PNG_SIZES}
    written: dict[str, Path] = {}
    for size, png in frames.items():
        path = out / f"esncoach-{size}.png"
        path.write_bytes(png)
        written[f"png{size}"] = path
    (out / "esncoach.png").write_bytes(frames[256])
    written["png"] = out / "esncoach.png"
    written["ico"] = out / "esncoach.ico"
    written["ico"].write_bytes(ico_bytes({s: frames[s] for s in ICO_SIZES}))
    written["icns"] = out / "esncoach.icns"
    written["icns"].write_bytes(icns_bytes(frames))
    return written


def main(argv: list[str]) -> int:
    """Command line: ``render_icons.py OUT_DIR``; prints what it wrote."""
    if len(argv) != 1:
        print("usage: render_icons.py OUT_DIR", file=sys.stderr)
        return 2
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - Qt needs it to paint
    written = render_all(Path(argv[0]))
    print(f"render_icons: {written['ico']} ({frame_count(written['ico'])} sizes), "
          f"{written['icns'].name}, {len(PNG_SIZES)} PNGs")
    if "icns" in [bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()]:
        print(f"render_icons: {written['icns'].name} read back by Qt ({frame_count(written['icns'])} images)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
