"""Dataset builders, one module per topic; importing this package registers them all."""

from dimos.opendata.builders import environment, organisation, reports, schools, services  # noqa: F401
