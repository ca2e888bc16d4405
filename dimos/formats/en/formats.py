"""English formats: day before month as in Greek (the reader is in Greece), so
«03/12/2026» means the same date on both language versions of a page; the
24-hour clock; decimal point and thousands comma («1,890.00»).
"""

from django.conf.locale.en.formats import *  # noqa: F403

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
