"""Render resources/icons/xfdesk.svg to the PNG sizes the Linux menus use (and one .ico for Windows).

Run after changing the SVG: `QT_QPA_PLATFORM=offscreen .venv/bin/python installer/make_icons.py`.
The PNGs are kept in the repository, so a build needs neither this script nor QtSvg.
"""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841  (QImage/QPainter need it)
    renderer = QSvgRenderer(str(ICONS / "xfdesk.svg"))
    if not renderer.isValid():
        sys.stderr.write("invalid SVG\n")
        return 1
    for size in SIZES:
        if not render(renderer, size).save(str(ICONS / f"xfdesk-{size}.png")):
            sys.stderr.write(f"cannot write xfdesk-{size}.png\n")
            return 1
    # Qt's ico writer stores one image per file: the 256 px one (Windows scales it down).
    render(renderer, 256).save(str(ICONS / "xfdesk.ico"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
