"""Pages: reporting, receipt, tracking, nearby, support, public map/list/stats, privacy, staff desk, keys."""

from __future__ import annotations

import json
import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.test import Client

from dimos.core.constants import StaffRole
from dimos.core.models import AuditEvent, Notification
from dimos.core.testing import SERRES_HOST, client_for, make_staff
from dimos.reports.constants import ReportStatus
from dimos.reports.models import Open311Client, Report, ReportPhoto, Street
from dimos.reports.services import Reporter, hash_key, report_submit, report_transition
from dimos.reports.tests.conftest import CITY, IN_IRAKLEIA, jpeg_with_gps, upload

pytestmark = pytest.mark.django_db

SECRET_NAME = "Ξενοφών Κρυφίδης"
SECRET_EMAIL = "xenofon.secret@example.org"
SECRET_PHONE = "6977001122"


def _form(**over):
    data = {
        "lat": str(CITY[0]),
        "lon": str(CITY[1]),
        "category": "street-light",
        "description": "Η λάμπα στη γωνία είναι σβηστή εδώ και μια εβδομάδα.",
        "name": SECRET_NAME,
        "email": SECRET_EMAIL,
        "phone": SECRET_PHONE,
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def citizen_client(citizen):
    return client_for(citizen, SERRES_HOST)


def test_new_page_renders_groups_and_leaflet(anon_client, categories):
    response = anon_client.get("/reports/new/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/leaflet/leaflet.js" in html
    assert "Φωτισμός" in html and 'value="street-light"' in html
    assert 'name="photos"' in html and "multiple" in html


def test_signed_in_citizen_reports_with_photo(citizen_client, citizen, categories):
    response = citizen_client.post("/reports/new/", _form(photos=[upload(jpeg_with_gps())]))
    assert response.status_code == 302
    report = Report.objects.get()
    assert response["Location"] == f"/reports/receipt/{report.tracking_token}/"
    receipt = citizen_client.get(response["Location"])
    assert report.reference in receipt.content.decode()
    assert report.tracking_token in receipt.content.decode()
    assert report.is_public and report.reporter == citizen and report.department.code == "ilektrofotismos"
    assert report.photos.count() == 1 and not report.photos.get().is_public
    # someone else with the receipt URL is sent to the tracking page instead
    assert Client(HTTP_HOST=SERRES_HOST).get(response["Location"]).status_code == 302


def test_anonymous_report_with_email_confirmation(anon_client, categories):
    response = anon_client.post("/reports/new/", _form())
    assert response.status_code == 302
    report = Report.objects.get()
    assert not report.is_public
    note = Notification.objects.get(key="reports.confirm")
    link = re.search(r"/reports/confirm/[\w-]+/", note.body).group(0)
    assert anon_client.get(link).status_code == 200  # GET shows a button only
    report.refresh_from_db()
    assert not report.is_public
    assert anon_client.post(link).status_code == 302
    report.refresh_from_db()
    assert report.is_public
    assert anon_client.post(link).status_code == 404


def test_typed_address_resolved_against_street_list(citizen_client, serres, categories):
    Street.objects.create(municipality=serres, name="Μεραρχίας", lat=41.0830, lon=23.5530)
    response = citizen_client.post("/reports/new/", _form(lat="", lon="", address="ΜΕΡΑΡΧΙΑΣ 12"))
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.lat, report.lon) == (41.0830, 23.5530)
    streets = citizen_client.get("/reports/new/streets/", {"q": "μεραρ"}).json()
    assert streets == {"streets": [{"name": "Μεραρχίας", "lat": 41.083, "lon": 23.553}]}


@pytest.mark.parametrize(
    ("over", "needle"),
    [
        ({"lat": str(IN_IRAKLEIA[0]), "lon": str(IN_IRAKLEIA[1])}, "Δήμος Ηράκλειας"),
        ({"lat": "38.0", "lon": "23.7"}, "εκτός"),
        ({"lat": "abc", "lon": "x"}, "αριθμό"),
        ({"lat": "", "lon": "", "address": ""}, "Δείξτε το σημείο"),
        ({"lat": "", "lon": "", "address": "Ανύπαρκτη οδός"}, "δεν βρέθηκε"),
        ({"category": "no-such"}, "κατηγορία"),
        ({"category": ""}, "Επιλέξτε κατηγορία"),
        ({"category": "pothole"}, "Πόσο μεγάλη"),
        ({"description": ""}, "Περιγράψτε"),
        ({"description": "<b>bold</b>"}, "HTML"),
        ({"description": "α" * 4001}, "4000"),
        ({"email": "not-an-email"}, "e-mail"),
        ({"phone": "call me"}, "τηλεφώνου"),
        ({"photos": [upload(b"%PDF-1.4 x", "x.jpg")]}, "φωτογραφία"),
        ({"photos": [upload(jpeg_with_gps()) for _ in range(4)]}, "Έως 3"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(anon_client, categories, irakleia, over, needle):
    response = anon_client.post("/reports/new/", _form(**over))
    assert response.status_code == 400
    assert needle.lower() in response.content.decode().lower()
    assert not Report.objects.exists() and not ReportPhoto.objects.exists()


def test_anonymous_refused_where_category_needs_sign_in(anon_client, categories):
    response = anon_client.post("/reports/new/", _form(category="illegal-parking"))
    assert response.status_code == 400
    assert "συνδεθείτε" in response.content.decode()


def test_nearby_and_support(anon_client, citizen, serres, categories):
    existing = report_submit(
        municipality=serres,
        category=categories["street-light"],
        lat=CITY[0],
        lon=CITY[1],
        description="Σβηστή λάμπα",
        reporter=Reporter(user=citizen),
    )
    html = anon_client.get(
        "/reports/new/nearby/", {"category": "street-light", "lat": CITY[0] + 0.0001, "lon": CITY[1]}
    )
    assert html.status_code == 200
    assert f"/reports/{existing.pk}/support/" in html.content.decode()
    assert "Είναι και δικό μου πρόβλημα" in html.content.decode()
    assert (
        anon_client.get(
            "/reports/new/nearby/", {"category": "waste-bin", "lat": CITY[0], "lon": CITY[1]}
        ).content.strip()
        == b""
    )
    assert (
        anon_client.get(
            "/reports/new/nearby/", {"category": "street-light", "lat": "x", "lon": "1"}
        ).status_code
        == 400
    )
    # the button posts the whole form to the support URL: the e-mail typed there subscribes
    response = anon_client.post(f"/reports/{existing.pk}/support/", _form())
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.supporters_count == 1
    assert Report.objects.count() == 1
    bad = anon_client.post(f"/reports/{existing.pk}/support/", {"email": "nope"})
    assert bad.status_code == 302
    assert anon_client.post("/reports/999999/support/", {"email": "a@b.gr"}).status_code == 404


def test_suggest_without_model_and_with(anon_client, serres, categories, citizen):
    assert anon_client.get("/reports/new/suggest/", {"text": "σβηστή λάμπα στον δρόμο"}).json() == {
        "suggestion": None
    }
    from dimos.reports.classifier import train

    texts = {
        "street-light": ["σβηστή λάμπα στην κολόνα", "δεν ανάβει ο φανοστάτης", "καμένη λάμπα οδοφωτισμού"],
        "waste-bin": [
            "γεμάτος κάδος σκουπιδιών",
            "ξεχειλίζει ο κάδος απορριμμάτων",
            "σκουπίδια γύρω από τον κάδο",
        ],
        "pothole": ["λακκούβα στην άσφαλτο", "μεγάλη λακκούβα στον δρόμο", "χαλασμένο οδόστρωμα λακκούβες"],
    }
    for code, samples in texts.items():
        for i in range(12):
            report_submit(
                municipality=serres,
                category=categories[code],
                lat=CITY[0] + i * 0.001,
                lon=CITY[1],
                description=f"{samples[i % 3]} {i}",
                reporter=Reporter(user=citizen),
                attributes={"size": "small"} if code == "pothole" else None,
            )
    result = train(serres)
    assert result.samples == 36 and result.accuracy is not None
    data = anon_client.get("/reports/new/suggest/", {"text": "ο κάδος σκουπιδιών είναι γεμάτος"}).json()
    assert data["suggestion"]["code"] == "waste-bin"


def test_track_page_and_was_it_fixed(citizen_client, citizen, serres, categories, alice):
    report = report_submit(
        municipality=serres,
        category=categories["street-light"],
        lat=CITY[0],
        lon=CITY[1],
        description="Σβηστή",
        reporter=Reporter(user=citizen),
    )
    url = f"/reports/track/{report.tracking_token}/"
    assert "Διορθώθηκε πράγματι" not in citizen_client.get(url).content.decode()
    report_transition(report=report, to_status=ReportStatus.FIXED, actor=alice, comment="Άλλαξε η λάμπα.")
    page = citizen_client.get(url).content.decode()
    assert "Άλλαξε η λάμπα." in page and "Διορθώθηκε πράγματι" in page
    assert citizen_client.post(url, {"fixed": "maybe"}).status_code == 400
    assert citizen_client.post(url, {"fixed": "no", "comment": "Ακόμη σβηστή"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.REOPENED
    assert citizen_client.get("/reports/track/wrong-token/").status_code == 404
    mine = citizen_client.get("/reports/mine/")
    assert report.reference in mine.content.decode()


def test_my_reports_needs_sign_in(anon_client, categories):
    assert anon_client.get("/reports/mine/").status_code == 302


def test_unsubscribe(anon_client, citizen, serres, categories):
    report = report_submit(
        municipality=serres,
        category=categories["street-light"],
        lat=CITY[0],
        lon=CITY[1],
        description="Σβηστή",
        reporter=Reporter(user=citizen),
    )
    follower = report.followers.get()
    assert anon_client.get(f"/reports/unsubscribe/{follower.unsubscribe_token}/").status_code == 200
    assert anon_client.post(f"/reports/unsubscribe/{follower.unsubscribe_token}/").status_code == 200
    assert not report.followers.exists()
    assert anon_client.post(f"/reports/unsubscribe/{follower.unsubscribe_token}/").status_code == 404


def test_map_data_clusters_and_filters(anon_client, serres, categories, citizen):
    for i in range(5):
        report_submit(
            municipality=serres,
            category=categories["street-light"],
            lat=CITY[0] + i * 0.00001,
            lon=CITY[1],
            description="Σβηστή",
            reporter=Reporter(user=citizen),
        )
    far = report_submit(
        municipality=serres,
        category=categories["waste-bin"],
        lat=CITY[0] + 0.03,
        lon=CITY[1] + 0.03,
        description="Κάδος",
        reporter=Reporter(user=citizen),
    )
    bbox = "23.40,40.97,23.70,41.35"
    data = anon_client.get("/reports/map-data/", {"bbox": bbox, "zoom": 12}).json()
    counts = sorted(f["properties"]["count"] for f in data["features"])
    assert counts == [1, 5]
    single = next(f for f in data["features"] if f["properties"]["count"] == 1)
    assert single["properties"]["url"] == f"/reports/{far.pk}/"
    data = anon_client.get("/reports/map-data/", {"bbox": bbox, "zoom": 12, "category": "waste-bin"}).json()
    assert len(data["features"]) == 1
    assert anon_client.get("/reports/map-data/", {"bbox": "a,b,c,d", "zoom": 3}).status_code == 400
    assert anon_client.get("/reports/map-data/", {"bbox": bbox, "zoom": "x"}).status_code == 400
    assert anon_client.get("/reports/map-data/", {"bbox": "23.7,41,23.4,41.3", "zoom": 3}).status_code == 400


def test_privacy_over_public_pages_and_open311(anon_client, serres, categories, citizen, alice):
    hidden = report_submit(
        municipality=serres,
        category=categories["street-light"],
        lat=CITY[0],
        lon=CITY[1],
        description="Σβηστή λάμπα",
        reporter=Reporter(user=citizen, name=SECRET_NAME, email=SECRET_EMAIL, phone=SECRET_PHONE),
        source="open311",
    )
    shown = report_submit(
        municipality=serres,
        category=categories["waste-bin"],
        lat=CITY[0],
        lon=CITY[1],
        description="Γεμάτος κάδος",
        reporter=Reporter(user=citizen, name="Δημόσιο Όνομα", email=SECRET_EMAIL, show_name=True),
        source="open311",
    )
    report_transition(report=hidden, to_status=ReportStatus.IN_PROGRESS, actor=alice, comment="Σε εξέλιξη.")
    urls = [
        "/reports/",
        "/reports/?status=open",
        f"/reports/{hidden.pk}/",
        f"/reports/{shown.pk}/",
        "/reports/stats/",
        "/reports/map-data/?bbox=23.4,40.9,23.7,41.4&zoom=18",
        "/reports/map-data/?bbox=23.4,40.9,23.7,41.4&zoom=5",
        f"/reports/new/nearby/?category=street-light&lat={CITY[0]}&lon={CITY[1]}",
    ]
    for fmt in ("json", "xml"):
        urls += [
            f"/open311/v2/requests.{fmt}?jurisdiction_id=serres.gr",
            f"/open311/v2/requests/{hidden.pk}.{fmt}?jurisdiction_id=serres.gr",
            f"/open311/v2/servicerequestupdates.{fmt}?jurisdiction_id=serres.gr",
            f"/open311/v2/tokens/{hidden.open311_token}.{fmt}?jurisdiction_id=serres.gr",
        ]
    for url in urls:
        response = anon_client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for secret in (SECRET_NAME, SECRET_EMAIL, SECRET_PHONE, "Παπαδοπούλου", citizen.email, citizen.afm):
            assert secret not in body, (url, secret)
    assert "Δημόσιο Όνομα" in anon_client.get(f"/reports/{shown.pk}/").content.decode()


def test_photos_private_until_published(anon_client, serres, categories, citizen, clerk):
    report = report_submit(
        municipality=serres,
        category=categories["street-light"],
        lat=CITY[0],
        lon=CITY[1],
        description="Σβηστή",
        reporter=Reporter(user=citizen),
        photos=[upload(jpeg_with_gps())],
    )
    photo = report.photos.get()
    url = f"/reports/{report.pk}/photos/{photo.pk}/thumb/"
    assert anon_client.get(url).status_code == 404
    staff = client_for(clerk, SERRES_HOST)
    assert (
        staff.post(f"/staff/reports/{report.pk}/", {"action": "publish_photo", "photo": photo.pk}).status_code
        == 302
    )
    response = anon_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert anon_client.get(f"/reports/{report.pk}/photos/{photo.pk}/huge/").status_code == 404
    staff.post(f"/staff/reports/{report.pk}/", {"action": "hide_photo", "photo": photo.pk})
    assert anon_client.get(url).status_code == 404


def test_public_pages(anon_client, serres, categories, citizen):
    report = report_submit(
        municipality=serres,
        category=categories["street-light"],
        lat=CITY[0],
        lon=CITY[1],
        description="Σβηστή λάμπα στην πλατεία",
        reporter=Reporter(user=citizen),
    )
    listing = anon_client.get("/reports/", {"category": "street-light", "status": "open"})
    assert report.reference in listing.content.decode()
    assert report.reference not in anon_client.get("/reports/", {"status": "closed"}).content.decode()
    detail = anon_client.get(f"/reports/{report.pk}/")
    assert "Σβηστή λάμπα στην πλατεία" in detail.content.decode()
    assert "Είναι και δικό μου πρόβλημα" in detail.content.decode()
    stats = anon_client.get("/reports/stats/")
    assert stats.status_code == 200 and "Σβηστός ή χαλασμένος" in stats.content.decode()
    assert anon_client.get("/reports/999999/").status_code == 404


# --- staff ---------------------------------------------------------------------------------


@pytest.fixture
def clerk(serres, departments):
    return make_staff(
        "petros", serres, StaffRole.CLERK, department=departments["ilektrofotismos"], first_name="Πέτρος"
    )


def test_queue_defaults_to_own_department_and_filters(serres, categories, citizen, clerk, bob):
    light = report_submit(
        municipality=serres,
        category=categories["street-light"],
        lat=CITY[0],
        lon=CITY[1],
        description="Σβηστή",
        reporter=Reporter(user=citizen),
    )
    bin_ = report_submit(
        municipality=serres,
        category=categories["waste-bin"],
        lat=CITY[0],
        lon=CITY[1],
        description="Κάδος",
        reporter=Reporter(user=citizen),
    )
    client = client_for(clerk, SERRES_HOST)
    page = client.get("/staff/reports/").content.decode()
    assert f">{light.reference}<" in page and f">{bin_.reference}<" not in page
    # "All departments" is the clerk's own (and the offices under it); others' reports never show.
    for department in ("", str(bin_.department_id)):
        page = client.get("/staff/reports/", {"department": department, "status": "open"}).content.decode()
        assert f">{bin_.reference}<" not in page
    assert {
        r["id"] for r in client.get("/staff/reports/map-data/", {"department": ""}).json()["reports"]
    } == {light.pk}
    # The administrator (reports.all_departments) sees every department.
    client = client_for(bob, SERRES_HOST)
    page = client.get("/staff/reports/", {"department": "", "status": "open"}).content.decode()
    assert f">{bin_.reference}<" in page and f">{light.reference}<" in page
    Report.objects.filter(pk=bin_.pk).update(deadline="2020-01-01")
    page = client.get("/staff/reports/", {"department": "", "overdue": "1"}).content.decode()
    assert f">{bin_.reference}<" in page and f">{light.reference}<" not in page and "εκπρόθεσμη" in page
    data = client.get("/staff/reports/map-data/", {"department": ""}).json()
    assert {r["id"] for r in data["reports"]} == {light.pk, bin_.pk}
    assert (
        client.get("/staff/reports/", {"department": "abc", "status": "weird", "category": "x"}).status_code
        == 200
    )


def test_staff_desk_actions(serres, categories, citizen, clerk, departments, mailoutbox):
    from dimos.core.tasks import tasks_run_pending

    report = report_submit(
        municipality=serres,
        category=categories["street-light"],
        lat=CITY[0],
        lon=CITY[1],
        description="Σβηστή",
        reporter=Reporter(user=citizen, name=SECRET_NAME, phone=SECRET_PHONE),
    )
    other = report_submit(
        municipality=serres,
        category=categories["street-light"],
        lat=CITY[0],
        lon=CITY[1],
        description="Διπλή",
        reporter=Reporter(user=clerk),
    )
    client = client_for(clerk, SERRES_HOST)
    url = f"/staff/reports/{report.pk}/"
    page = client.get(url).content.decode()
    assert SECRET_NAME in page and SECRET_PHONE in page
    assert AuditEvent.objects.filter(action="reports.contact_read", object_id=str(report.pk)).exists()
    assert client.post(url, {"action": "transition", "status": "closed_wrongly"}).status_code == 400
    assert (
        client.post(
            url, {"action": "transition", "status": "in_progress", "comment": "Ξεκινάμε.", "public": "on"}
        ).status_code
        == 302
    )
    assert client.post(url, {"action": "comment", "text": "Σημείωση μόνο για εμάς"}).status_code == 302
    assert client.post(url, {"action": "comment", "text": ""}).status_code == 400
    # Reassignment is the head's: the clerk gets 403; the head assigns within the department.
    assert client.post(f"{url}assign/", {"department": "", "assignee": clerk.pk}).status_code == 403
    head = make_staff("eleni", serres, StaffRole.DEPARTMENT_HEAD, department=departments["technikes"])
    head_client = client_for(head, SERRES_HOST)
    assert head_client.post(f"{url}assign/", {"department": "", "assignee": clerk.pk}).status_code == 302
    assert head_client.post(f"{url}assign/", {"assignee": "999999"}).status_code == 302
    outside = departments["kathariotita"].pk
    assert head_client.post(f"{url}assign/", {"department": outside, "assignee": ""}).status_code == 302
    report.refresh_from_db()
    assert report.assigned_to == clerk and report.department == departments["ilektrofotismos"]
    assert client.post(url, {"action": "priority", "priority": "4"}).status_code == 302
    assert client.post(url, {"action": "priority", "priority": "77"}).status_code == 400
    assert client.post(url, {"action": "nonsense"}).status_code == 400
    assert client.post(url, {"action": "add_photo", "photo": upload(jpeg_with_gps())}).status_code == 302
    assert client.post(url, {"action": "add_photo", "photo": upload(b"nope", "n.jpg")}).status_code == 400
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_PROGRESS and report.priority == 4 and report.assigned_to == clerk
    assert report.photos.get().is_public  # staff photos are published
    other_url = f"/staff/reports/{other.pk}/"
    assert client.post(other_url, {"action": "merge", "into": "SER-999999"}).status_code == 400
    assert client.post(other_url, {"action": "merge", "into": "abc"}).status_code == 400
    assert client.post(other_url, {"action": "merge", "into": report.reference}).status_code == 302
    other.refresh_from_db()
    assert other.status == ReportStatus.DUPLICATE and other.duplicate_of_id == report.pk
    assert (
        client.post(
            url, {"action": "transition", "status": "fixed", "comment": "Άλλαξε.", "public": "on"}
        ).status_code
        == 302
    )
    tasks_run_pending()
    citizen_mail = [m for m in mailoutbox if m.to == [citizen.email]]
    assert any("Άλλαξε." in m.body for m in citizen_mail)
    assert not any("Σημείωση μόνο για εμάς" in m.body for m in mailoutbox)
    public = Client(HTTP_HOST=SERRES_HOST).get(f"/reports/{report.pk}/").content.decode()
    assert "Σημείωση μόνο για εμάς" not in public and "Άλλαξε." in public


def test_staff_pages_need_staff(anon_client, citizen_client, categories):
    assert anon_client.get("/staff/reports/").status_code == 302
    assert citizen_client.get("/staff/reports/").status_code == 404


def test_keys_issue_show_once_and_revoke(serres, bob, alice):
    client = client_for(bob, SERRES_HOST)
    assert client.post("/staff/reports/keys/", {"action": "issue", "name": ""}).status_code == 400
    response = client.post(
        "/staff/reports/keys/",
        {"action": "issue", "name": "FixMyStreet app", "contact_email": "dev@example.org"},
    )
    assert response.status_code == 200
    key = re.search(r'<code class="key" id="new-key">([^<]+)</code>', response.content.decode()).group(1)
    stored = Open311Client.objects.get(name="FixMyStreet app")
    assert stored.key_hash == hash_key(key) and key not in json.dumps(
        list(Open311Client.objects.values()), default=str
    )
    assert key not in client.get("/staff/reports/keys/").content.decode()
    assert client.post("/staff/reports/keys/", {"action": "revoke", "client": stored.pk}).status_code == 302
    stored.refresh_from_db()
    assert not stored.is_active
    assert client.post("/staff/reports/keys/", {"action": "revoke", "client": "x"}).status_code == 404
    # a clerk cannot manage keys: the Greek 403 page says so
    assert client_for(alice, SERRES_HOST).get("/staff/reports/keys/").status_code == 403
    assert mail.outbox == []


def test_admin_pages_for_the_municipal_administrator(serres, categories, bob):
    client = client_for(bob, SERRES_HOST)
    for model in (
        "category",
        "categorygroup",
        "externalbody",
        "routingrule",
        "street",
        "responsetemplate",
        "open311client",
    ):
        assert client.get(f"/admin/reports/{model}/").status_code == 200, model
    light = categories["street-light"]
    page = client.get(f"/admin/reports/category/{light.pk}/change/")
    assert page.status_code == 200 and "pole_number" in page.content.decode()
    assert client.get("/admin/reports/open311client/add/").status_code == 403


def test_train_command_reports_too_few(serres, categories):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("train_report_classifier", "--municipality", "serres", stdout=out)
    assert "too few to train" in out.getvalue()


def test_pages_in_english(serres, categories, citizen):
    client = client_for(citizen, SERRES_HOST)
    client.cookies["dimos_language"] = "en"
    page = client.get("/reports/new/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Report a problem" in page and "Street light out or broken" in page
    assert "Citizen reports" in client.get("/reports/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_nearby_reports_shown_before_a_duplicate_without_script(anon_client, citizen, serres, categories):
    existing = report_submit(
        municipality=serres,
        category=categories["street-light"],
        lat=CITY[0],
        lon=CITY[1],
        description="Σβηστή λάμπα",
        reporter=Reporter(user=citizen),
    )
    first = anon_client.post("/reports/new/", _form(lat=str(CITY[0] + 0.0001)))
    assert first.status_code == 200
    html = first.content.decode()
    assert (
        f"/reports/{existing.pk}/support/" in html
        and 'name="nearby_checked" id="nearby_checked" value="1"' in html
    )
    assert Report.objects.count() == 1
    second = anon_client.post("/reports/new/", _form(lat=str(CITY[0] + 0.0001), nearby_checked="1"))
    assert second.status_code == 302
    assert Report.objects.count() == 2


def test_anonymous_submissions_are_limited_per_ip(anon_client, categories):
    from dimos.reports import throttle

    # One fixed window for every submission: on a slow machine they could otherwise straddle the hour.
    moment = (time.time() // throttle.WINDOW_SECONDS) * throttle.WINDOW_SECONDS + 60
    with mock.patch("dimos.reports.throttle.time.time", return_value=moment):
        for i in range(throttle.ANONYMOUS_REPORTS_PER_HOUR):
            assert anon_client.post("/reports/new/", _form(lat=str(CITY[0] + i * 0.01))).status_code == 302
        refused = anon_client.post("/reports/new/", _form(lat=str(CITY[0] - 0.01)))
    assert refused.status_code == 400 and "Πάρα πολλές" in refused.content.decode()
    assert Report.objects.count() == throttle.ANONYMOUS_REPORTS_PER_HOUR
