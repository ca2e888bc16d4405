"""Checks that a PDF is accessible: tagged, with a language, embedded fonts and real text.

Used by the test of every PDF kind the platform issues (receipts, issued
documents, the register book, the proposal, label sheets, loan agreements).
It reads the PDF's own structures with pypdf, and asks poppler's ``pdfinfo``
too when the machine has it.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any


def _walk(node: Any, seen: set[int] | None = None) -> Iterator[Any]:
    """Every structure element under ``node`` (dictionaries with /S), depth first."""
    seen = seen if seen is not None else set()
    obj = node.get_object() if hasattr(node, "get_object") else node
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, dict):
        if "/S" in obj:
            yield obj
        kids = obj.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, list) else [kids]:
                yield from _walk(kid, seen)
    elif isinstance(obj, list):
        for kid in obj:
            yield from _walk(kid, seen)


def pdf_fonts(reader: Any) -> dict[str, bool]:
    """Base font name → whether its program is embedded, over every page."""
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font.get("/BaseFont"))] = embedded
    return fonts


def assert_accessible_pdf(
    data: bytes, *, lang: str = "el", texts: Iterable[str] = (), figures_with_alt: int = 0
) -> str:
    """Fail unless ``data`` is a tagged PDF in ``lang`` with embedded fonts containing ``texts``.

    ``figures_with_alt`` is how many figures (QR codes) must carry alternative
    text. Returns the extracted text for further checks.
    """
    from pypdf import PdfReader

    assert data.startswith(b"%PDF"), "not a PDF"
    reader = PdfReader(io.BytesIO(data))
    catalog = reader.trailer["/Root"].get_object()
    mark_info = catalog.get("/MarkInfo")
    assert mark_info is not None and bool(mark_info.get_object().get("/Marked")), "no /MarkInfo /Marked true"
    assert "/StructTreeRoot" in catalog, "no structure tree"
    assert str(catalog.get("/Lang", "")) == lang, f"/Lang is {catalog.get('/Lang')!r}, expected {lang!r}"
    elements = list(_walk(catalog["/StructTreeRoot"]))
    kinds = {str(e["/S"]) for e in elements}
    assert kinds & {"/P", "/H1", "/H2", "/Table", "/TD", "/L"}, f"structure tree has no content: {kinds}"
    figures = [e for e in elements if str(e["/S"]) == "/Figure"]
    with_alt = [f for f in figures if str(f.get("/Alt", "")).strip()]
    assert len(with_alt) >= figures_with_alt, f"{len(with_alt)} figures with alt text of {len(figures)}"
    assert len(with_alt) == len(figures), "a figure has no alternative text"
    fonts = pdf_fonts(reader)
    assert fonts, "no fonts"
    assert all(fonts.values()), f"fonts not embedded: {[f for f, e in fonts.items() if not e]}"
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    flat = " ".join(text.split())
    for expected in texts:
        assert " ".join(expected.split()) in flat, f"{expected!r} not in the extracted text"
    if shutil.which("pdfinfo"):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(data)
            handle.flush()
            info = subprocess.run(
                ["pdfinfo", handle.name],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        assert "Tagged:          yes" in info, info
    return text
