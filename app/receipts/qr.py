"""QR codes on the documents (reportlab's own encoder; no extra dependency).

The widget is built at the wanted size and its modules are drawn once, straight onto the
canvas as filled rectangles. Two things are avoided on purpose:
- the common idiom of asking `getBounds()` and scaling a Drawing to fit encodes and draws
  the code twice;
- `renderPDF.draw` sets the graphics default font (Helvetica) on the canvas, which puts a
  non-embedded base-14 font into the PDF's font list even though no text is drawn.
"""
from __future__ import annotations

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors

QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks


def draw_qr(canvas, payload: str, x: float, y: float, size: float, *, level: str = "M",
            border: int = QUIET_ZONE) -> None:
    """Draw a QR code of `payload` with its lower-left corner at (x, y), `size` points square
    (quiet zone included). Level M survives a smudged thermal print better than L."""
    widget = QrCodeWidget(payload, barLevel=level, barBorder=border, barWidth=size,
                          barHeight=size, x=x, y=y)
    group = widget.draw()  # encodes once; one rectangle per horizontal run of dark modules
    canvas.saveState()
    canvas.setFillColor(colors.black)
    for shape in group.contents:
        if getattr(shape, "fillColor", None) is None:
            continue  # the outline rectangle of the whole widget (not painted)
        # a hair wider than the module so anti-aliased viewers show no seams between rows
        canvas.rect(shape.x, shape.y - 0.01, shape.width, shape.height + 0.02, stroke=0, fill=1)
    canvas.restoreState()
