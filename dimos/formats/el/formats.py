"""Greek formats: the one way Dimos writes a date, a time and a number in Greek.

Chosen once (issue 13): dates with two-digit day and month («03/12/2026»), the
24-hour clock («14:05»), decimal comma and thousands dot («1.890,00»). Templates
use the named formats (``|date:"SHORT_DATE_FORMAT"``), never a pattern of their own.
Django's own Greek module is kept for everything not set here.
"""

from django.conf.locale.el.formats import *  # noqa: F403

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
