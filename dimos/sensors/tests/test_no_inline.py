"""No inline script or style in the sensor templates (the Content-Security-Policy has no unsafe-inline)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_no_inline_script_or_style(template: Path) -> None:
    found = INLINE.findall(template.read_text())
    assert not found, f"{template.name}: {found}"
