"""Accessible PDFs in Greek: HTML templates rendered by WeasyPrint as tagged PDF/UA-1.

Every PDF the platform issues is a Django template extending ``pdf/base.html``
(the municipal letterhead, page numbers, the fonts) rendered by ``render_pdf``.
WeasyPrint's ``pdf/ua-1`` variant writes a structure tree that follows the
HTML (headings, paragraphs, tables, lists), the document language (``/Lang``)
from ``<html lang>``, the title from ``<title>`` and the alternative text of
images from ``alt``; fonts are always embedded (subsets). See ADR 0007.

The DejaVu Sans fonts come from the matplotlib package (see ADR 0003), loaded by
``@font-face`` from their files, so the result does not depend on the fonts
installed on the machine. Heavy imports stay inside functions: most requests
never render a PDF.
"""

from __future__ import annotations

import base64
import logging
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

PDF_VARIANT = "pdf/ua-1"


def greek_upper(text: str) -> str:
    """Upper case the Greek way: capitals carry no tonos (Δήμος → ΔΗΜΟΣ)."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    ).upper()


@lru_cache(maxsize=1)
def font_files() -> dict[str, Path]:
    """The DejaVu Sans TrueType files shipped with matplotlib (regular and bold)."""
    import matplotlib

    ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return {"regular": ttf / "DejaVuSans.ttf", "bold": ttf / "DejaVuSans-Bold.ttf"}


def _url_fetcher() -> Any:
    """A fetcher of the two font files and ``data:`` URIs only; nothing else, ever.

    Templates carry text typed by citizens and staff (escaped, but defence in
    depth): a PDF must never pull a file of the server or a URL of the network.
    A refused or missing resource stops the rendering instead of being skipped.
    """
    from weasyprint.urls import URLFetcher

    allowed = {p.as_uri() for p in font_files().values()}

    class Fetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not (url.startswith("data:") or url in allowed):
                raise ValueError(f"PDF resource refused: {url[:80]}")
            return super().fetch(url, headers)

    return Fetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)


def qr_data_uri(data: str) -> str:
    """A QR code as an SVG ``data:`` URI for an ``<img>`` in a PDF template (vector, crisp)."""
    from dimos.core.qr import qr_svg

    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(data, scale=4).encode()).decode()


def render_pdf(
    template_name: str,
    context: dict[str, Any],
    *,
    municipality: Any,
    title: str,
    subtitle: str = "",
    lang: str = "el",
    landscape: bool = False,
) -> bytes:
    """Render a template extending ``pdf/base.html`` to tagged PDF/UA-1 bytes.

    ``lang`` sets both ``<html lang>`` (the PDF's ``/Lang``) and the language the
    template's ``{% translate %}`` strings render in. The same content gives the
    same bytes (no creation date is written), so hashes of issued documents are
    stable.
    """
    from weasyprint import HTML

    # WeasyPrint logs each rendering step at INFO: noise in the server's log.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    fonts = font_files()
    contact = " · ".join(p for p in [municipality.address, municipality.phone, municipality.email] if p)
    with translation.override(lang):
        html = render_to_string(
            template_name,
            {
                **context,
                "lang": lang,
                "title": title,
                "subtitle": subtitle,
                "municipality": municipality,
                "municipality_upper": greek_upper(
                    municipality.name_el if lang == "el" else municipality.name_en
                ),
                "brand": getattr(municipality, "primary_colour", "") or "#003476",
                "contact": contact,
                "landscape": landscape,
                "font_regular": fonts["regular"].as_uri(),
                "font_bold": fonts["bold"].as_uri(),
            },
        )
    document = HTML(string=html, url_fetcher=_url_fetcher(), base_url=fonts["regular"].parent.as_uri() + "/")
    return document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False)
