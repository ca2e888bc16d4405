"""Monthly partitions of the readings table on PostgreSQL (docs/sensors/storage.md).

Migration 0010 turns ``sensors_reading`` into a table partitioned by RANGE of
``observed_at``: one partition per calendar month (UTC), named ``sensors_reading_pYYYY_MM``,
and a DEFAULT partition for anything outside them (a backfill older than the first month).
The hourly task has the months ahead created (``partitions_ensure``, in a task of its own); retention drops whole
months (``partitions_drop_before``). On SQLite there are no partitions and every function
here is a no-op."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import DatabaseError, connection, transaction

log = logging.getLogger("dimos.sensors")

TABLE = "sensors_reading"
DEFAULT_PARTITION = f"{TABLE}_default"
MONTHS_AHEAD = 3
_NAME = re.compile(rf"^{TABLE}_p(\d{{4}})_(\d{{2}})$")


@dataclass(frozen=True)
class Partition:
    name: str
    start: datetime  # inclusive
    end: datetime  # exclusive


def month_start(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC)
    return datetime(moment.year, moment.month, 1, tzinfo=UTC)


def next_month(start: datetime) -> datetime:
    return datetime(start.year + start.month // 12, start.month % 12 + 1, 1, tzinfo=UTC)


def partition_name(start: datetime) -> str:
    return f"{TABLE}_p{start.year:04d}_{start.month:02d}"


def is_partitioned() -> bool:
    """Whether the readings table is a partitioned table (PostgreSQL after migration 0010)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
        row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def partitions() -> list[Partition]:
    """The monthly partitions, oldest first (the DEFAULT partition is not listed)."""
    if not is_partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = to_regclass(%s)",
            [TABLE],
        )
        names = [row[0] for row in cursor.fetchall()]
    found = []
    for name in names:
        match = _NAME.match(name)
        if match:
            start = datetime(int(match[1]), int(match[2]), 1, tzinfo=UTC)
            found.append(Partition(name, start, next_month(start)))
    return sorted(found, key=lambda p: p.start)


def create_partition_sql(start: datetime) -> str:
    end = next_month(start)
    return (
        f'CREATE TABLE IF NOT EXISTS "{partition_name(start)}" PARTITION OF "{TABLE}" '
        f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
    )


def partitions_missing(now: datetime, months_ahead: int = MONTHS_AHEAD) -> list[datetime]:
    """The months (their first instant) from ``now``'s to ``months_ahead`` later with no partition;
    a catalog read, no lock."""
    if not is_partitioned():
        return []
    have = {p.name for p in partitions()}
    missing = []
    start = month_start(now)
    for _ in range(months_ahead + 1):
        if partition_name(start) not in have:
            missing.append(start)
        start = next_month(start)
    return missing


def partitions_ensure(now: datetime, months_ahead: int = MONTHS_AHEAD) -> list[str]:
    """Create the partitions of this month and the next ``months_ahead`` months; returns the
    names created. Creating one locks the readings table briefly: run it in a short transaction
    of its own (the ``sensors.partitions`` task), never inside a long one.

    A month whose rows already sit in the DEFAULT partition is skipped (and logged):
    PostgreSQL refuses to create it, and those rows stay readable where they are."""
    created = []
    for start in partitions_missing(now, months_ahead):
        name = partition_name(start)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(create_partition_sql(start))
        except DatabaseError:  # logged; the other months are still created
            log.warning("readings partition %s not created (rows in the default partition?)", name)
        else:
            created.append(name)
    return created


def partitions_drop_before(cutoff: datetime) -> int:
    """Drop every monthly partition that ends at or before ``cutoff``; returns the readings
    they held. (The caller summarises them into rollups first.)"""
    dropped = 0
    for part in partitions():
        if part.end > cutoff:
            break
        with connection.cursor() as cursor:
            # Counted before the exclusive lock of DETACH, so ingest is not blocked meanwhile.
            cursor.execute(f'SELECT count(*) FROM "{part.name}"')  # noqa: S608 (catalog name)
            dropped += cursor.fetchone()[0]
        with transaction.atomic(), connection.cursor() as cursor:
            # Deferred foreign-key checks of rows written earlier in this transaction would
            # block the DROP: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f'ALTER TABLE "{TABLE}" DETACH PARTITION "{part.name}"')
            cursor.execute(f'DROP TABLE "{part.name}"')
        log.info("readings partition %s dropped (retention)", part.name)
    return dropped
