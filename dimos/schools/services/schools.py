"""Schools and their yearly figures."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dimos.core.constants import StaffRole
from dimos.core.exceptions import ValidationFailed
from dimos.core.geo import unit_at, valid_lat_lon
from dimos.core.services import audit_record
from dimos.schools.models import School, SchoolYear


def school_save(*, school: School, actor: Any) -> School:
    """Create or update a school; the municipal unit follows its map point."""
    municipality = school.municipality
    if (school.lat is None) != (school.lon is None):
        raise ValidationFailed(_("Δώστε και γεωγραφικό πλάτος και μήκος, ή κανένα."), field="lat")
    if school.lat is not None:
        if not valid_lat_lon(school.lat, school.lon):
            raise ValidationFailed(_("Μη έγκυρες συντεταγμένες."), field="lat")
        school.unit = unit_at(municipality, school.lat, school.lon)
        if school.unit is None:
            raise ValidationFailed(_("Το σημείο δεν βρίσκεται σε δημοτική ενότητα του δήμου."), field="lat")
    if school.director_id is not None:
        director = school.director
        if director.role != StaffRole.SCHOOL_DIRECTOR or director.municipality_id != municipality.pk:
            raise ValidationFailed(
                _("Ο/Η διευθυντής/ντρια πρέπει να είναι χρήστης του δήμου με ρόλο διευθυντή σχολείου."),
                field="director",
            )
    created = school.pk is None
    try:
        with transaction.atomic():
            school.save()
    except IntegrityError as exc:
        raise ValidationFailed(_("Υπάρχει ήδη σχολείο με αυτή την ονομασία."), field="name") from exc
    audit_record(
        action="schools.school_created" if created else "schools.school_updated", actor=actor, obj=school
    )
    return school


def school_year_set(*, school: School, year: int, pupils: int, teachers: int, actor: Any) -> SchoolYear:
    if year < 2000 or year > 2100:
        raise ValidationFailed(_("Μη έγκυρο σχολικό έτος."), field="year")
    if pupils < 0 or teachers < 0:
        raise ValidationFailed(_("Οι αριθμοί δεν μπορεί να είναι αρνητικοί."), field="pupils")
    row, _created = SchoolYear.objects.update_or_create(
        municipality=school.municipality,
        school=school,
        year=year,
        defaults={"pupils": pupils, "teachers": teachers},
    )
    audit_record(
        action="schools.school_year_set",
        actor=actor,
        obj=school,
        new={"year": year, "pupils": pupils, "teachers": teachers},
    )
    return row
