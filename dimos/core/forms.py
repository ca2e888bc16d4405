"""Form helpers shared by every app: accessible error wiring."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from dimos.core.exceptions import ApplicationError

T = TypeVar("T")


FILE_INPUT_TEMPLATE = "core/widgets/file_input.html"


class AccessibleFormMixin:
    """Links each input to its help and error text (aria-describedby, aria-invalid).

    Templates render ``includes/field.html``, which gives the help and error
    paragraphs the ids used here.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field.widget, forms.FileInput):
                # The browser's own «Choose Files / No file chosen» speaks the browser's
                # language, not the page's: a translated face over the native input.
                field.widget.template_name = FILE_INPUT_TEMPLATE
        self._wire_aria()

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


class AccessibleForm(AccessibleFormMixin, forms.Form):
    pass


class AccessibleModelForm(AccessibleFormMixin, forms.ModelForm):
    pass


def run_service(
    func: Callable[[], T],
    *,
    form: forms.BaseForm | None = None,
    request: HttpRequest | None = None,
) -> T | None:
    """Run a service call; an ``ApplicationError`` becomes a message a person can act on.

    With a ``form``, the error goes to the field it names (or to the form as a
    whole when the field is not on the form); otherwise, with a ``request``, it
    becomes an error message shown on the next page. Returns the service's result,
    or ``None`` when it failed, so a view reads::

        entry = run_service(lambda: entry_create(...), form=form)
        if entry is not None:
            return redirect(...)
    """
    try:
        return func()
    except ApplicationError as exc:
        if form is not None:
            for field, messages_ in (exc.errors or {exc.field: [exc.message]}).items():
                target = field if field in form.fields else None
                for message in messages_:
                    form.add_error(target, message)
        elif request is not None:
            messages.error(request, exc.message)
        else:
            raise
        return None
