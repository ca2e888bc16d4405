"""The shared pieces every app uses: data versions, run_service, bilingual text, the pager."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.db import transaction
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.utils import translation

from dimos.core.exceptions import ApplicationError
from dimos.core.forms import run_service
from dimos.core.i18n import bilingual, is_english, localized
from dimos.core.models import DataVersion
from dimos.core.pagination import SimplePage, page_number, slice_page
from dimos.core.versions import data_changed, data_version

# --- Data versions -------------------------------------------------------------


def test_a_version_starts_at_zero_and_moves_with_each_change(serres: Any) -> None:
    assert data_version(serres.pk, "reports") == 0
    data_changed(serres.pk, "reports")
    data_changed(serres.pk, "reports")
    assert data_version(serres.pk, "reports") == 2


def test_versions_are_per_municipality_and_topic(serres: Any, irakleia: Any) -> None:
    data_changed(serres.pk, "reports")
    assert data_version(irakleia.pk, "reports") == 0
    assert data_version(serres.pk, "documents") == 0


@pytest.mark.django_db(transaction=True)
def test_a_change_rolled_back_with_its_write_leaves_the_version_alone(serres: Any) -> None:
    data_changed(serres.pk, "reports")
    with pytest.raises(RuntimeError), transaction.atomic():
        data_changed(serres.pk, "reports")
        raise RuntimeError("the write failed")
    assert data_version(serres.pk, "reports") == 1


def test_no_municipality_changes_nothing(db: Any) -> None:
    data_changed(None, "reports")
    assert not DataVersion.objects.exists()


# --- run_service ----------------------------------------------------------------


class _Form(forms.Form):
    title = forms.CharField()


def _fails(field: str | None) -> Any:
    def call() -> None:
        raise ApplicationError("Λάθος τίτλος.", field=field)

    return call


def test_run_service_returns_the_result() -> None:
    assert run_service(lambda: 42, form=_Form(data={"title": "x"})) == 42


def test_run_service_puts_the_error_on_its_field() -> None:
    form = _Form(data={"title": "x"})
    assert form.is_valid()
    assert run_service(_fails("title"), form=form) is None
    assert form.errors["title"] == ["Λάθος τίτλος."]


def test_run_service_puts_an_unknown_field_on_the_form() -> None:
    form = _Form(data={"title": "x"})
    form.is_valid()
    run_service(_fails("nonexistent"), form=form)
    assert form.non_field_errors() == ["Λάθος τίτλος."]


def test_run_service_without_a_form_leaves_a_message(rf: RequestFactory) -> None:
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = rf.post("/")
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    assert run_service(_fails(None), request=request) is None
    assert [str(m) for m in get_messages(request)] == ["Λάθος τίτλος."]


def test_run_service_with_nowhere_to_put_the_error_raises_it() -> None:
    with pytest.raises(ApplicationError):
        run_service(_fails(None))


# --- Bilingual text -------------------------------------------------------------


class _Named:
    name_el = "Δημοτολόγιο"
    name_en = ""


def test_bilingual_falls_back_to_greek() -> None:
    with translation.override("en"):
        assert is_english()
        assert bilingual("Σέρρες", "Serres") == "Serres"
        assert bilingual("Σέρρες", "") == "Σέρρες"
        assert localized(_Named(), "name") == "Δημοτολόγιο"
    with translation.override("el"):
        assert not is_english()
        assert bilingual("Σέρρες", "Serres") == "Σέρρες"


# --- Paging ----------------------------------------------------------------------


def test_page_number_is_sane(rf: RequestFactory) -> None:
    assert page_number(rf.get("/?page=3")) == 3
    assert page_number(rf.get("/?page=-2")) == 1
    assert page_number(rf.get("/?page=abc")) == 1
    assert page_number(rf.get("/?page=99999999")) == 10_000


def test_slice_page_knows_whether_another_page_follows() -> None:
    rows, page = slice_page(list(range(25)), number=2, size=10)
    assert rows == list(range(10, 20)) and page.has_next and page.has_previous
    rows, page = slice_page(list(range(25)), number=3, size=10)
    assert rows == list(range(20, 25)) and not page.has_next


def test_the_pager_keeps_every_filter(rf: RequestFactory) -> None:
    request = rf.get("/staff/queue/", {"department": "7", "view": "all", "page": "2"})
    html = Template('{% include "includes/pager.html" %}').render(
        RequestContext(request, {"page": SimplePage(number=2, has_next=True)})
    )
    assert "department=7" in html and "view=all" in html
    assert "page=3" in html and "page=1" in html
    assert "page=2&amp;page" not in html


def test_choice_labels_are_plain_text_in_the_active_language() -> None:
    from dimos.core.i18n import choice_labels
    from dimos.reports.constants import ReportStatus

    with translation.override("el"):
        greek = choice_labels(ReportStatus.choices)
    with translation.override("en"):
        english = choice_labels(ReportStatus.choices)
    assert all(type(label) is str for label in greek.values())
    assert set(greek) == set(ReportStatus.values) and greek != english
