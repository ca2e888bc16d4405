"""factory_boy factories for reports: category groups, categories, external bodies, routing."""

from __future__ import annotations

import factory

from dimos.core.tests.factories import DepartmentFactory, MunicipalityFactory, MunicipalUnitFactory
from dimos.reports.models import Category, CategoryGroup, ExternalBody, RoutingRule


class CategoryGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CategoryGroup

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"group-{n}")
    name_el = factory.Sequence(lambda n: f"Ομάδα {n}")
    name_en = factory.Sequence(lambda n: f"Group {n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    municipality = factory.SubFactory(MunicipalityFactory)
    group = factory.SubFactory(CategoryGroupFactory, municipality=factory.SelfAttribute("..municipality"))
    code = factory.Sequence(lambda n: f"category-{n}")
    name_el = factory.Sequence(lambda n: f"Κατηγορία {n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")
    department = factory.SubFactory(DepartmentFactory, municipality=factory.SelfAttribute("..municipality"))


class ExternalBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExternalBody

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.Sequence(lambda n: f"foreas-{n}")
    name_el = factory.Sequence(lambda n: f"Φορέας {n}")
    name_en = factory.Sequence(lambda n: f"Body {n}")
    email = factory.LazyAttribute(lambda o: f"{o.code}@example.org")


class RoutingRuleFactory(factory.django.DjangoModelFactory):
    """Reports of ``category`` inside ``unit`` go to ``department``."""

    class Meta:
        model = RoutingRule

    municipality = factory.SubFactory(MunicipalityFactory)
    category = factory.SubFactory(CategoryFactory, municipality=factory.SelfAttribute("..municipality"))
    unit = factory.SubFactory(MunicipalUnitFactory, municipality=factory.SelfAttribute("..municipality"))
    department = factory.SubFactory(DepartmentFactory, municipality=factory.SelfAttribute("..municipality"))
