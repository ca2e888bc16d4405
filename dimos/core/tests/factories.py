"""factory_boy factories for the core: municipalities, units, departments, people.

Defaults make a valid row with no other set-up; tests name only what they check.
``StaffFactory`` and ``CitizenFactory`` go through ``create_user`` so passwords
are hashed as in production.
"""

from __future__ import annotations

from typing import Any

import factory

from dimos.core.constants import StaffRole
from dimos.core.models import Department, Municipality, MunicipalUnit

STAFF_PASSWORD = "correct horse battery"

# A square around Serres (lon, lat), the default boundary of a test municipality.
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[23.40, 40.97], [23.70, 40.97], [23.70, 41.35], [23.40, 41.35], [23.40, 40.97]]],
}


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    slug = factory.Sequence(lambda n: f"dimos-{n}")
    name_el = factory.LazyAttribute(lambda o: f"Δήμος {o.slug}")
    name_en = factory.LazyAttribute(lambda o: f"Municipality of {o.slug}")
    code = factory.LazyAttribute(lambda o: o.slug.replace("-", "")[:8].upper())
    hostnames = factory.LazyAttribute(lambda o: [f"{o.slug}.localhost"])
    open311_jurisdiction = factory.LazyAttribute(lambda o: f"{o.slug}.gr")
    centre_lat = 41.0857
    centre_lon = 23.5480
    boundary = None


class MunicipalUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MunicipalUnit

    municipality = factory.SubFactory(MunicipalityFactory)
    name_el = factory.Sequence(lambda n: f"Ενότητα {n}")
    name_en = factory.Sequence(lambda n: f"Unit {n}")
    boundary = factory.LazyFunction(lambda: dict(SQUARE))


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"tmima-{n}")
    name_el = factory.Sequence(lambda n: f"Τμήμα {n}")
    name_en = factory.Sequence(lambda n: f"Office {n}")


class _UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.User"

    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    email_verified = True

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        return model_class.objects.create_user(*args, **kwargs)


class StaffFactory(_UserFactory):
    """A staff member (a clerk unless told otherwise) who can sign in with ``STAFF_PASSWORD``."""

    username = factory.Sequence(lambda n: f"staff{n}")
    password = STAFF_PASSWORD
    role = StaffRole.CLERK
    municipality = factory.SubFactory(MunicipalityFactory)


class CitizenFactory(_UserFactory):
    """A citizen signed in through TaxisNet: no password, an ΑΦΜ."""

    username = factory.Sequence(lambda n: f"citizen{n}")
    first_name = "Μαρία"
    last_name = "Παπαδοπούλου"
    afm = "090000045"
