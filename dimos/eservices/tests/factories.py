"""factory_boy factories for e-services: a catalogue entry and a draft application.

A submitted application goes through the services (protocol number, deadline,
history), so tests make it with ``conftest.make_submitted``, not a factory.
"""

from __future__ import annotations

import factory

from dimos.core.tests.factories import CitizenFactory, MunicipalityFactory
from dimos.eservices.constants import DeadlineKind, Outcome, Status
from dimos.eservices.models import Application, Service


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    municipality = factory.SubFactory(MunicipalityFactory)
    slug = factory.Sequence(lambda n: f"ypiresia-{n}")
    title_el = factory.Sequence(lambda n: f"Βεβαίωση {n}")
    title_en = factory.Sequence(lambda n: f"Certificate {n}")
    outcome = Outcome.DECISION
    deadline_days = 5
    deadline_kind = DeadlineKind.WORKING
    form = factory.LazyFunction(
        lambda: [{"name": "full_name", "type": "text", "label_el": "Ονοματεπώνυμο", "required": True}]
    )


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft application (status ``draft``) of a citizen for a service."""

    class Meta:
        model = Application

    service = factory.SubFactory(ServiceFactory)
    municipality = factory.SelfAttribute("service.municipality")
    citizen = factory.SubFactory(CitizenFactory)
    status = Status.DRAFT
    data = factory.LazyFunction(dict)
