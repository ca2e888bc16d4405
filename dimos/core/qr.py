"""QR codes (segno) as SVG, for pages and (as ``data:`` URIs, see ``dimos.core.pdf``) for PDFs."""

from __future__ import annotations

import io


def qr_svg(data: str, *, scale: int = 4, title: str = "") -> str:
    """Inline SVG markup of a QR code (decorative: pages also print the URL as text)."""
    import segno

    buffer = io.BytesIO()
    segno.make(data, error="m").save(
        buffer, kind="svg", scale=scale, xmldecl=False, svgns=True, title=title or None, border=2
    )
    return buffer.getvalue().decode("utf-8")
