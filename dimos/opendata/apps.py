from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "dimos.opendata"
    label = "opendata"
    verbose_name = "Ανοικτά δεδομένα"

    def ready(self) -> None:
        # Importing the builders registers them; importing the tasks registers the periodic build.
        from dimos.opendata import builders, tasks  # noqa: F401
