from __future__ import annotations

from django.urls import reverse

from dimos.appointments.models import Counter, OpeningHours, ServicePoint
from dimos.core.testing import SERRES_HOST, client_for


def test_the_municipal_admin_sets_up_a_point_with_hours_and_counters(bob, serres, setup, irakleia):
    client = client_for(bob, SERRES_HOST)
    for name in ["servicepoint", "appointmenttype", "counter", "openinghours", "closure", "appointment"]:
        assert client.get(reverse(f"admin:appointments_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:appointments_servicepoint_add")).status_code == 200
    data = {
        "name_el": "ΚΕΠ Λευκώνα",
        "name_en": "KEP Lefkonas",
        "address": "Λευκώνας",
        "slot_minutes": 15,
        "horizon_days": 30,
        "notice_minutes": 60,
        "is_active": "on",
        "hours-TOTAL_FORMS": 1,
        "hours-INITIAL_FORMS": 0,
        "hours-0-weekday": 0,
        "hours-0-opens": "08:00",
        "hours-0-closes": "14:00",
        "counters-TOTAL_FORMS": 1,
        "counters-INITIAL_FORMS": 0,
        "counters-0-name": "Γκισέ",
        "counters-0-capacity": 1,
        "counters-0-types": [setup.type.pk],
        "counters-0-is_active": "on",
    }
    response = client.post(reverse("admin:appointments_servicepoint_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    point = ServicePoint.objects.get(name_el="ΚΕΠ Λευκώνα")
    assert point.municipality == serres
    assert OpeningHours.objects.get(point=point).municipality == serres
    counter = Counter.objects.get(point=point)
    assert counter.municipality == serres and list(counter.types.all()) == [setup.type]


def test_opening_hours_must_open_before_they_close(bob, setup):
    client = client_for(bob, SERRES_HOST)
    response = client.post(
        reverse("admin:appointments_openinghours_add"),
        {"point": setup.point.pk, "weekday": 1, "opens": "14:00", "closes": "08:00"},
    )
    assert response.status_code == 200  # the form comes back with an error
    assert not OpeningHours.objects.filter(weekday=1, opens="14:00").exists()
