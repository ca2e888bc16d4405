"""Form helpers shared by every app: accessible error wiring."""

from __future__ import annotations

from typing import Any

from django import forms


class AccessibleFormMixin:
    """Links each input to its help and error text (aria-describedby, aria-invalid).

    Templates render ``includes/field.html``, which gives the help and error
    paragraphs the ids used here.
    """

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self._wire_aria()

    def _wire_aria(self) -> None:
        # Reads ``_errors`` (never ``errors``): touching ``errors`` would validate
        # the form in __init__, before a subclass has set its querysets.
        errors = getattr(self, "_errors", None) or {}
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            bound = self[name]  # type: ignore[index]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}_help")
            if name in errors:
                ids.append(f"{bound.auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self._wire_aria()


class AccessibleForm(AccessibleFormMixin, forms.Form):
    pass


class AccessibleModelForm(AccessibleFormMixin, forms.ModelForm):
    pass
