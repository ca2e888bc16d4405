from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffRole(models.TextChoices):
    CLERK = "clerk", _("Υπάλληλος")
    DEPARTMENT_HEAD = "department_head", _("Προϊστάμενος/η τμήματος")
    MUNICIPAL_ADMIN = "municipal_admin", _("Διαχειριστής/τρια δήμου")
    REGION_VIEWER = "region_viewer", _("Παρατηρητής Περιφέρειας")
    SCHOOL_DIRECTOR = "school_director", _("Διευθυντής/ντρια σχολείου")
    SENSOR_OPERATOR = "sensor_operator", _("Χειριστής/τρια αισθητήρων")
    EDUCATION_OFFICER = "education_officer", _("Υπάλληλος παιδείας")
    MAYOR = "mayor", _("Δήμαρχος / Αντιδήμαρχος")


# Roles that work inside one municipality (everything but the Region viewer).
MUNICIPAL_ROLES = frozenset(
    {
        StaffRole.CLERK,
        StaffRole.DEPARTMENT_HEAD,
        StaffRole.MUNICIPAL_ADMIN,
        StaffRole.SCHOOL_DIRECTOR,
        StaffRole.SENSOR_OPERATOR,
        StaffRole.EDUCATION_OFFICER,
        StaffRole.MAYOR,
    }
)


class TaskStatus(models.TextChoices):
    PENDING = "pending", _("Σε αναμονή")
    RUNNING = "running", _("Σε εκτέλεση")
    DONE = "done", _("Ολοκληρώθηκε")
    FAILED = "failed", _("Απέτυχε")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Σε αναμονή")
    SENT = "sent", _("Στάλθηκε")
    FAILED = "failed", _("Απέτυχε")
