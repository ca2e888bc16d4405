"""QR codes (segno) as SVG for pages and as reportlab drawings for PDFs."""

from __future__ import annotations

import io
from typing import Any


def qr_svg(data: str, *, scale: int = 4, title: str = "") -> str:
    """Inline SVG markup of a QR code (decorative: pages also print the URL as text)."""
    import segno

    buffer = io.BytesIO()
    segno.make(data, error="m").save(
        buffer, kind="svg", scale=scale, xmldecl=False, svgns=True, title=title or None, border=2
    )
    return buffer.getvalue().decode("utf-8")


def qr_flowable(data: str, *, size_mm: float = 28) -> Any:
    """A reportlab flowable drawing of the QR code (vector, crisp when printed)."""
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.units import mm

    widget = QrCodeWidget(data, barLevel="M")
    x1, y1, x2, y2 = widget.getBounds()
    size = size_mm * mm
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(widget)
    return drawing
