"""The report form without JavaScript (a plain Django client, as a browser with no script posts):
the category questions are on the page from the start, a failed submit keeps every answer and
shows every problem (photos included) at its place, and a supporter sees that they support a
report, with a way to stop its updates."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from dimos.core.testing import SERRES_HOST, client_for
from dimos.reports.models import Report, ReportFollower, ReportPhoto, Street
from dimos.reports.services import Reporter, report_submit
from dimos.reports.tests.conftest import CITY, jpeg_with_gps, upload

pytestmark = pytest.mark.django_db


def _form(**over: Any) -> dict[str, Any]:
    data = {
        "lat": str(CITY[0]),
        "lon": str(CITY[1]),
        "category": "pothole",
        "description": "Λακκούβα στη μέση του δρόμου.",
        "email": "someone@example.org",
        "nearby_checked": "1",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def _fieldset(html: str, code: str) -> str:
    """The opening tag of a category's question group."""
    match = re.search(rf'<fieldset class="attributes" id="questions-{code}"[^>]*>', html)
    assert match, f"no questions for {code}"
    return match.group(0)


def test_every_categorys_questions_are_on_the_page_without_script(
    anon_client: Client, categories: Any
) -> None:
    html = anon_client.get("/reports/new/").content.decode()
    for code in ("pothole", "street-light", "waste-bin"):
        assert " hidden" not in _fieldset(html, code)
    assert 'id="attr-pothole-size" name="attr-pothole-size"' in html
    assert "Πόσο μεγάλη είναι;" in html and "Απαντήστε μόνο αν επιλέξατε αυτή την κατηγορία." in html


def test_one_submit_is_enough_and_other_categories_answers_are_ignored(
    anon_client: Client, categories: Any
) -> None:
    response = anon_client.post(
        "/reports/new/",
        _form(**{"attr-pothole-size": "large", "attr-street-light-light_state": "nonsense"}),
    )
    assert response.status_code == 302
    assert Report.objects.get().attributes == {"size": "large"}


def test_a_failed_submit_keeps_every_answer(anon_client: Client, categories: Any) -> None:
    light = anon_client.post(
        "/reports/new/",
        _form(
            category="street-light",
            description="",
            **{"attr-street-light-pole_number": "ΦΣ-1234", "attr-street-light-light_state": "flickering"},
        ),
    )
    assert light.status_code == 400
    html = light.content.decode()
    assert 'name="attr-street-light-pole_number" value="ΦΣ-1234"' in html
    assert '<option value="flickering" selected>' in html
    assert 'value="street-light" checked' in html
    bins = anon_client.post(
        "/reports/new/",
        _form(category="waste-bin", description="", **{"attr-waste-bin-bin_type": ["recycling", "organic"]}),
    ).content.decode()
    assert 'value="recycling" checked' in bins and 'value="organic" checked' in bins
    assert 'value="general" checked' not in bins
    assert not Report.objects.exists()


def test_a_missing_answer_is_reported_with_the_other_problems_at_its_question(
    anon_client: Client, categories: Any
) -> None:
    response = anon_client.post("/reports/new/", _form(description=""))
    assert response.status_code == 400
    html = response.content.decode()
    # Both problems at once (the description and the unanswered question), each at its place.
    assert "Περιγράψτε το πρόβλημα." in html
    assert '<p class="error" id="attr-pothole-size-error">Απαιτείται απάντηση: Πόσο μεγάλη είναι;</p>' in html
    assert 'aria-invalid="true" aria-describedby="attr-pothole-size-error"' in html
    assert '<a href="#attr-pothole-size">' in html  # the summary links to the question
    # The questions of the other categories carry no error.
    assert "attr-street-light-light_state-error" not in html


def test_a_rejected_photo_gets_its_error_at_the_field_even_when_something_else_failed(
    anon_client: Client, categories: Any
) -> None:
    response = anon_client.post(
        "/reports/new/",
        _form(
            description="",
            **{"attr-pothole-size": "small"},
            photos=[upload(jpeg_with_gps(), "good.jpg"), upload(b"%PDF-1.4 x", "scan.jpg")],
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    error = re.search(r'<p class="error" id="id_photos_error">([^<]*)</p>', html)
    assert error and "scan.jpg" in error.group(1) and "δεν είναι φωτογραφία" in error.group(1)
    assert "good.jpg" not in error.group(1)
    assert 'aria-invalid="true"' in html.split('id="id_photos"')[1].split(">")[0]
    assert not ReportPhoto.objects.exists() and not Report.objects.exists()


def test_photos_not_kept_by_the_browser_are_named_to_attach_again(
    anon_client: Client, categories: Any
) -> None:
    response = anon_client.post(
        "/reports/new/",
        _form(description="", **{"attr-pothole-size": "small"}, photos=[upload(jpeg_with_gps(), "lamp.jpg")]),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_photos_again"' in html and "(lamp.jpg)" in html
    assert "id_photos_again" in html.split('id="id_photos"')[1].split(">")[0]  # described by it
    assert 'id="id_photos_error"' not in html  # the photo itself was fine


def test_the_typed_address_needs_no_accents(anon_client: Client, serres: Any, categories: Any) -> None:
    Street.objects.create(municipality=serres, name="Μεραρχίας", lat=41.0830, lon=23.5530)
    for typed in ("ΜΕΡΑΡΧΙΑΣ", "μεραρχιας"):
        names = [
            s["name"] for s in anon_client.get("/reports/new/streets/", {"q": typed[:6]}).json()["streets"]
        ]
        assert names == ["Μεραρχίας"]
    response = anon_client.post(
        "/reports/new/", _form(lat="", lon="", address="μεραρχιας 12", **{"attr-pothole-size": "small"})
    )
    assert response.status_code == 302
    assert (Report.objects.get().lat, Report.objects.get().lon) == (41.0830, 23.5530)


@pytest.fixture
def open_report(serres: Any, citizen: Any, categories: Any) -> Report:
    return report_submit(
        municipality=serres,
        category=categories["street-light"],
        lat=CITY[0],
        lon=CITY[1],
        description="Σβηστή λάμπα",
        reporter=Reporter(user=citizen),
    )


SUPPORT_BUTTON = "Είναι και δικό μου πρόβλημα"
SUPPORTING = "Υποστηρίζετε αυτή την αναφορά"


def test_an_anonymous_supporter_sees_their_support_and_can_stop_updates(
    anon_client: Client, open_report: Report
) -> None:
    page = f"/reports/{open_report.pk}/"
    assert SUPPORT_BUTTON in anon_client.get(page).content.decode()
    after = anon_client.post(f"/reports/{open_report.pk}/support/", {"email": "fan@example.org"}, follow=True)
    html = after.content.decode()
    assert SUPPORTING in html and SUPPORT_BUTTON not in html and "Διακοπή ενημερώσεων" in html
    # Someone else (another browser) is still offered the button.
    assert SUPPORT_BUTTON in Client(HTTP_HOST=SERRES_HOST).get(page).content.decode()
    follower = ReportFollower.objects.get(report=open_report, email="fan@example.org")
    stopped = anon_client.post(
        f"/reports/unsubscribe/{follower.unsubscribe_token}/", {"from": "report"}, follow=True
    )
    assert stopped.redirect_chain[-1][0] == page
    html = stopped.content.decode()
    assert "Δεν θα λαμβάνετε άλλες ενημερώσεις για αυτή την αναφορά." in html and SUPPORTING not in html
    assert not ReportFollower.objects.filter(pk=follower.pk).exists()


def test_a_signed_in_supporter_sees_their_support(
    serres: Any, open_report: Report, django_user_model: Any
) -> None:
    neighbour = django_user_model.objects.create_user(username="geitonas", email="g@example.org")
    client = client_for(neighbour, SERRES_HOST)
    client.post(f"/reports/{open_report.pk}/support/", {})
    html = client.get(f"/reports/{open_report.pk}/").content.decode()
    assert SUPPORTING in html and SUPPORT_BUTTON not in html
    token = ReportFollower.objects.get(report=open_report, user=neighbour).unsubscribe_token
    assert f"/reports/unsubscribe/{token}/" in html
