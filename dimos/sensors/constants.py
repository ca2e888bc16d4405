"""Choices and the alarm transition table."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# Largest batch any door accepts (NGSI-LD brokers commonly cap at 1000 entities).
MAX_BATCH = 1000
# Readings stamped further in the future than this are refused (clock skew allowance).
FUTURE_TOLERANCE_SECONDS = 300


class Source(models.TextChoices):
    HTTP = "http", _("HTTP (δέσμη)")
    NGSILD = "ngsild", _("NGSI-LD")
    MQTT = "mqtt", _("MQTT")
    TTN = "ttn", _("LoRaWAN (TTN)")
    SIMULATOR = "simulator", _("Προσομοιωτής")


class CredentialScope(models.TextChoices):
    """What an integration credential may do (explicit, chosen by the administrator)."""

    READ = "read", _("Ανάγνωση όλων των συσκευών του δήμου")
    WRITE_DEVICE = "write_device", _("Μετρήσεις μόνο της συσκευής του")
    WRITE_MUNICIPALITY = "write_municipality", _("Μετρήσεις όλων των συσκευών του δήμου")
    MANAGE_DEVICES = "manage_devices", _("Διαχείριση συσκευών (δημιουργία, αλλαγή, διαγραφή οντοτήτων)")


WRITE_SCOPES = frozenset({CredentialScope.WRITE_DEVICE, CredentialScope.WRITE_MUNICIPALITY})


class RuleKind(models.TextChoices):
    THRESHOLD = "threshold", _("Όριο τιμής με υστέρηση")
    STATUS = "status", _("Τιμή κατάστασης")
    SILENT = "silent", _("Σιωπή συσκευής για Ν ώρες")


class Direction(models.TextChoices):
    ABOVE = "above", _("πάνω από το όριο")
    BELOW = "below", _("κάτω από το όριο")


class AlarmStatus(models.TextChoices):
    OPEN = "open", _("Ανοιχτός")
    ACKNOWLEDGED = "acknowledged", _("Σε χειρισμό")
    RESOLVED = "resolved", _("Επιλύθηκε")


ALARM_TRANSITIONS: dict[str, frozenset[str]] = {
    AlarmStatus.OPEN: frozenset({AlarmStatus.ACKNOWLEDGED, AlarmStatus.RESOLVED}),
    AlarmStatus.ACKNOWLEDGED: frozenset({AlarmStatus.RESOLVED}),
    AlarmStatus.RESOLVED: frozenset(),
}
