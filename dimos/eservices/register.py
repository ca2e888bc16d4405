"""The electronic protocol register: gapless numbers per municipality per year.

Architecture rule 3: a number is taken from a counter row locked in the same
transaction that stores the entry, so a rolled-back transaction gives its number
back and two writers never get the same one (the row lock of
``UPDATE … RETURNING``, the lock ``select_for_update`` takes, on PostgreSQL; on
SQLite the IMMEDIATE transaction mode already serialises writers). The unique constraint (municipality, year, number) is the safety net.

Municipalities that keep their own register (e.g. ΙΡΙΔΑ) plug in an
``ExternalRegister`` subclass through ``settings.DIMOS_PROTOCOL_REGISTER``; the
built-in register is the default. See docs/services/api.md.
"""

from __future__ import annotations

import abc
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from dimos.core.models import Municipality
from dimos.eservices.constants import Direction
from dimos.eservices.models import ProtocolCounter, ProtocolEntry


def _increment(municipality_id: int, year: int) -> int | None:
    """Increment the counter row and return the new value, in one statement.

    ``UPDATE … RETURNING`` takes the same row lock as ``SELECT … FOR UPDATE``
    (held to the end of the caller's transaction, so concurrent writers queue
    on it and a rollback returns the number), in one round trip instead of two.
    """
    table = connection.ops.quote_name(ProtocolCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_number = last_number + 1 "  # noqa: S608  (no user input)
            "WHERE municipality_id = %s AND year = %s RETURNING last_number",
            [municipality_id, year],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _next_number(municipality_id: int, year: int) -> int:
    number = _increment(municipality_id, year)
    if number is None:  # the first number of the year: create the counter row
        try:
            with transaction.atomic():
                ProtocolCounter.objects.create(municipality_id=municipality_id, year=year, last_number=0)
        except IntegrityError:
            pass  # another writer created it first
        number = _increment(municipality_id, year)
        assert number is not None
    return number


def _allocate_one_statement(fields: dict[str, Any]) -> ProtocolEntry:
    """PostgreSQL: increment the counter and insert the entry in one statement.

    The data-modifying CTE locks the counter row exactly like the two-step path,
    but the lock is held for one round trip (plus the commit) instead of two.
    """
    qn = connection.ops.quote_name
    counter = qn(ProtocolCounter._meta.db_table)
    entry = qn(ProtocolEntry._meta.db_table)
    columns = [*fields, "number", "voided", "void_reason"]
    sql = (
        f"WITH c AS (UPDATE {counter} SET last_number = last_number + 1 "  # noqa: S608  (no user input)
        "WHERE municipality_id = %s AND year = %s RETURNING last_number) "
        f"INSERT INTO {entry} ({', '.join(qn(c) for c in columns)}) "
        f"SELECT {', '.join(['%s'] * len(fields))}, c.last_number, false, '' FROM c RETURNING id, number"
    )
    params = [fields["municipality_id"], fields["year"], *fields.values()]
    for _attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is not None:
            return ProtocolEntry(id=row[0], number=row[1], voided=False, void_reason="", **fields)
        try:  # the first number of the year: create the counter row, then again
            with transaction.atomic():
                ProtocolCounter.objects.create(municipality_id=fields["municipality_id"], year=fields["year"])
        except IntegrityError:
            pass
    raise RuntimeError("protocol counter row could not be created")


def protocol_allocate(
    *,
    municipality: Municipality,
    direction: str,
    subject: str,
    correspondent: str,
    obj: Any = None,
    external_ref: str = "",
) -> ProtocolEntry:
    """Take the next number and store the entry, in the caller's transaction."""
    if direction not in Direction.values:
        raise ValueError(f"unknown direction {direction!r}")
    now = timezone.now()
    year = timezone.localtime(now).year
    fields = {
        "municipality_id": municipality.pk,
        "year": year,
        "registered_at": now,
        "direction": direction,
        "subject": subject[:300],
        "correspondent": correspondent[:200],
        "object_type": obj._meta.label_lower if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None and obj.pk else "",
        "external_ref": external_ref,
    }
    # No savepoint when nested: the caller's transaction is the unit (and the lock's lifetime).
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            return _allocate_one_statement(fields)
        number = _next_number(municipality.pk, year)
        return ProtocolEntry.objects.create(
            municipality=municipality,
            year=year,
            number=number,
            registered_at=now,
            direction=direction,
            subject=subject[:300],
            correspondent=correspondent[:200],
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None and obj.pk else "",
            external_ref=external_ref,
        )


class ProtocolRegister(abc.ABC):
    """Where protocol numbers come from."""

    @abc.abstractmethod
    def register(
        self, *, municipality: Municipality, direction: str, subject: str, correspondent: str, obj: Any = None
    ) -> ProtocolEntry:
        """Record an incoming or outgoing item and return its entry (with number)."""


class BuiltinRegister(ProtocolRegister):
    """The platform's own gapless register (the default)."""

    def register(
        self, *, municipality: Municipality, direction: str, subject: str, correspondent: str, obj: Any = None
    ) -> ProtocolEntry:
        return protocol_allocate(
            municipality=municipality,
            direction=direction,
            subject=subject,
            correspondent=correspondent,
            obj=obj,
        )


class ExternalRegister(ProtocolRegister):
    """Base for a municipality's own register system (ΙΡΙΔΑ-style web service).

    A subclass implements ``request_number`` (a call to the external system that
    returns the number it gave, its year and its own reference). The entry is
    mirrored locally so pages, receipts and documents work the same; the
    external system owns the sequence, the unique constraint still guards it.
    If the call fails it raises, the caller's transaction rolls back, and the
    application stays a draft: nothing half-registered is left behind.
    """

    @abc.abstractmethod
    def request_number(
        self, *, municipality: Municipality, direction: str, subject: str, correspondent: str
    ) -> tuple[int, int, str]:
        """Return (number, year, external reference) from the external register."""

    def register(
        self, *, municipality: Municipality, direction: str, subject: str, correspondent: str, obj: Any = None
    ) -> ProtocolEntry:
        number, year, ref = self.request_number(
            municipality=municipality, direction=direction, subject=subject, correspondent=correspondent
        )
        return ProtocolEntry.objects.create(
            municipality=municipality,
            year=year,
            number=number,
            direction=direction,
            subject=subject[:300],
            correspondent=correspondent[:200],
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None and obj.pk else "",
            external_ref=ref[:80],
        )


@lru_cache(maxsize=8)
def _register_class(path: str) -> type[ProtocolRegister]:
    cls = import_string(path)
    if not (isinstance(cls, type) and issubclass(cls, ProtocolRegister)):
        raise TypeError(f"{path} is not a ProtocolRegister")
    return cls


def get_register() -> ProtocolRegister:
    path = getattr(settings, "DIMOS_PROTOCOL_REGISTER", "dimos.eservices.register.BuiltinRegister")
    return _register_class(path)()
