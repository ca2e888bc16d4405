from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "dimos.core"
    label = "core"
    verbose_name = _("Πυρήνας πλατφόρμας")

    def ready(self) -> None:
        from dimos.core import checks, signals  # noqa: F401  (registration side effects)
