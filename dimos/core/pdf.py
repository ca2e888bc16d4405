"""PDF building blocks with Greek text: fonts, the municipal letterhead, tables.

reportlab renders; the DejaVu Sans fonts come from the matplotlib package (they
cover Greek and install with ``pip``), so a fresh machine needs nothing else.
Heavy imports stay inside functions: most requests never render a PDF.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"


def greek_upper(text: str) -> str:
    """Upper case the Greek way: capitals carry no tonos (Δήμος → ΔΗΜΟΣ)."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    ).upper()


@lru_cache(maxsize=1)
def register_fonts() -> tuple[str, str]:
    import matplotlib
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(ttf / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(ttf / "DejaVuSans-Bold.ttf")))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    return FONT, FONT_BOLD


def styles() -> dict[str, Any]:
    """Paragraph styles in the Greek fonts (Normal, Small, Title, Heading, Right)."""
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    register_fonts()
    base = ParagraphStyle("Normal", fontName=FONT, fontSize=10.5, leading=14)
    return {
        "Normal": base,
        "Small": ParagraphStyle("Small", parent=base, fontSize=8.5, leading=11),
        "Title": ParagraphStyle(
            "Title", parent=base, fontName=FONT_BOLD, fontSize=16, leading=20, spaceAfter=8
        ),
        "Heading": ParagraphStyle(
            "Heading", parent=base, fontName=FONT_BOLD, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4
        ),
        "Right": ParagraphStyle("Right", parent=base, alignment=TA_RIGHT),
    }


def letterhead(municipality: Any, *, subtitle: str = "") -> Callable[[Any, Any], None]:
    """A page decorator drawing the municipality's header and a page footer."""

    def draw(canvas: Any, doc: Any) -> None:
        from reportlab.lib import colors
        from reportlab.lib.units import mm

        register_fonts()
        width, height = doc.pagesize
        canvas.saveState()
        canvas.setFillColor(colors.HexColor(getattr(municipality, "primary_colour", "#003476") or "#003476"))
        canvas.rect(0, height - 22 * mm, width, 22 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(FONT, 8.5)
        canvas.drawString(18 * mm, height - 8 * mm, "ΕΛΛΗΝΙΚΗ ΔΗΜΟΚΡΑΤΙΑ")
        canvas.setFont(FONT_BOLD, 13)
        canvas.drawString(18 * mm, height - 14.5 * mm, greek_upper(municipality.name_el))
        if subtitle:
            canvas.setFont(FONT, 9)
            canvas.drawString(18 * mm, height - 19.5 * mm, subtitle)
        canvas.setFillColor(colors.HexColor("#4a4f55"))
        canvas.setFont(FONT, 8)
        contact = " · ".join(p for p in [municipality.address, municipality.phone, municipality.email] if p)
        canvas.drawString(18 * mm, 10 * mm, contact)
        canvas.drawRightString(width - 18 * mm, 10 * mm, f"Σελίδα {doc.page}")
        canvas.restoreState()

    return draw


def build_pdf(
    story: Sequence[Any],
    *,
    municipality: Any,
    title: str,
    subtitle: str = "",
    landscape: bool = False,
) -> bytes:
    """Render a flowable story on A4 with the municipal letterhead; returns the bytes.

    The PDF's metadata dates are fixed by reportlab's ``invariant`` mode, so the
    same content gives the same bytes (stable hashes for verification).
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pagesizes import landscape as to_landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=to_landscape(A4) if landscape else A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=30 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=municipality.name_el,
        creator="Dimos",
        invariant=1,
    )
    decorate = letterhead(municipality, subtitle=subtitle)
    doc.build(list(story), onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def table(
    rows: Sequence[Sequence[Any]], *, col_widths: Sequence[float] | None = None, header: bool = True
) -> Any:
    """A plain bordered table with a shaded header row, in the Greek font."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    register_fonts()
    t = Table(list(rows), colWidths=col_widths, repeatRows=1 if header else 0)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa3ad")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        style += [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf3")),
            ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
        ]
    t.setStyle(TableStyle(style))
    return t
