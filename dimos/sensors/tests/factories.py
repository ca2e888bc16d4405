"""factory_boy factories for sensors: a device, made through ``device_create``.

Devices go through the service (NGSI-LD id, type checks, state row), so the
factory calls it instead of saving the model directly.
"""

from __future__ import annotations

from typing import Any

import factory

from dimos.core.tests.factories import MunicipalityFactory
from dimos.sensors import services
from dimos.sensors.models import Device


class DeviceFactory(factory.Factory):
    class Meta:
        model = Device

    municipality = factory.SubFactory(MunicipalityFactory)
    type_code = "WasteContainer"
    code = factory.Sequence(lambda n: f"dev-{n:03d}")
    name = factory.Sequence(lambda n: f"Συσκευή {n}")
    lat = 41.0910
    lon = 23.5480

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Device:
        return services.device_create(**kwargs)
