"""No inline script, event handler or style in this app's templates (the CSP has no ``unsafe-inline``)."""

from __future__ import annotations

import re
from pathlib import Path

INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style\b", re.IGNORECASE)
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_templates_have_no_inline_script_or_style() -> None:
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, found
