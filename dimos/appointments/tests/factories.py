"""factory_boy factories for appointments: service points, types, counters, hours."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from dimos.appointments.models import AppointmentType, Counter, OpeningHours, ServicePoint
from dimos.core.tests.factories import MunicipalityFactory


class ServicePointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicePoint

    municipality = factory.SubFactory(MunicipalityFactory)
    name_el = factory.Sequence(lambda n: f"Σημείο εξυπηρέτησης {n}")
    name_en = factory.Sequence(lambda n: f"Service point {n}")
    address = "Κωνσταντίνου Καραμανλή 1"


class AppointmentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppointmentType

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"eidos-{n}")
    name_el = factory.Sequence(lambda n: f"Είδος ραντεβού {n}")
    name_en = factory.Sequence(lambda n: f"Appointment type {n}")
    duration_minutes = 15


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    point = factory.SubFactory(ServicePointFactory)
    municipality = factory.SelfAttribute("point.municipality")
    weekday = 0
    opens = dt.time(8)
    closes = dt.time(14)


class CounterFactory(factory.django.DjangoModelFactory):
    """A counter of a point; ``CounterFactory(types=[kind, …])`` says what it serves."""

    class Meta:
        model = Counter
        skip_postgeneration_save = True

    point = factory.SubFactory(ServicePointFactory)
    municipality = factory.SelfAttribute("point.municipality")
    name = factory.Sequence(lambda n: f"Γκισέ {n}")
    capacity = 1

    @factory.post_generation
    def types(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.types.set(extracted)
