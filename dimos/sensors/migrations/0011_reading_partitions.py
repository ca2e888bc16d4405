"""PostgreSQL: the readings table becomes partitioned by month of ``observed_at``, with its
data (docs/sensors/storage.md). SQLite: nothing changes.

The database's primary key becomes (id, observed_at), as PostgreSQL requires of a partitioned
table; ``id`` keeps its own sequence, so it stays unique, and Django keeps treating it as the
primary key (nothing refers to a reading's id). The months from the oldest reading to three
months ahead get a partition; a DEFAULT partition takes anything else.

The copy rewrites the table once (an INSERT … SELECT); on a large installation run it in a
maintenance window (docs/operations.md)."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import migrations

TABLE = "sensors_reading"
OLD = "sensors_reading_unpartitioned"


def _next(start: datetime) -> datetime:
    return datetime(start.year + start.month // 12, start.month % 12 + 1, 1, tzinfo=UTC)


def _month(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC)
    return datetime(moment.year, moment.month, 1, tzinfo=UTC)


def _constraints(cursor, table: str) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT conname, contype FROM pg_constraint WHERE conrelid = to_regclass(%s)", [table]
    )
    return cursor.fetchall()


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f'LOCK TABLE "{TABLE}" IN ACCESS EXCLUSIVE MODE')
        cursor.execute(f'SELECT min(observed_at), coalesce(max(id), 0) FROM "{TABLE}"')
        oldest, last_id = cursor.fetchone()
        cursor.execute(f'ALTER TABLE "{TABLE}" RENAME TO "{OLD}"')
        # Free the names (constraints, indexes, the identity's sequence) for the new table.
        for name, kind in _constraints(cursor, OLD):
            cursor.execute(f'ALTER TABLE "{OLD}" DROP CONSTRAINT "{name}"')
        cursor.execute('DROP INDEX IF EXISTS "sensors_reading_time_idx"')
        cursor.execute(f'ALTER TABLE "{OLD}" ALTER COLUMN id DROP IDENTITY IF EXISTS')
        cursor.execute(f'ALTER TABLE "{OLD}" ALTER COLUMN id DROP DEFAULT')
        cursor.execute(f'DROP SEQUENCE IF EXISTS "{TABLE}_id_seq"')
        cursor.execute(
            f'CREATE TABLE "{TABLE}" (LIKE "{OLD}" INCLUDING DEFAULTS) PARTITION BY RANGE (observed_at)'
        )
        cursor.execute(f'CREATE SEQUENCE "{TABLE}_id_seq" OWNED BY "{TABLE}".id')
        cursor.execute(f"ALTER TABLE \"{TABLE}\" ALTER COLUMN id SET DEFAULT nextval('{TABLE}_id_seq')")
        cursor.execute(f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{TABLE}_pkey" PRIMARY KEY (id, observed_at)')
        cursor.execute(
            f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "sensors_reading_unique_time" '
            "UNIQUE (municipality_id, device_id, observed_at)"
        )
        cursor.execute(f'CREATE INDEX "sensors_reading_time_idx" ON "{TABLE}" (municipality_id, observed_at)')
        cursor.execute(
            f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "sensors_reading_device_id_fk" FOREIGN KEY (device_id) '
            'REFERENCES "sensors_device" (id) DEFERRABLE INITIALLY DEFERRED'
        )
        cursor.execute(
            f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "sensors_reading_municipality_id_fk" '
            'FOREIGN KEY (municipality_id) REFERENCES "core_municipality" (id) DEFERRABLE INITIALLY DEFERRED'
        )
        now = datetime.now(UTC)
        start = _month(min(oldest, now) if oldest else now)
        end = _next(_next(_next(_next(_month(now)))))  # this month and three ahead
        while start < end:
            stop = _next(start)
            cursor.execute(
                f'CREATE TABLE "{TABLE}_p{start.year:04d}_{start.month:02d}" PARTITION OF "{TABLE}" '
                f"FOR VALUES FROM ('{start.isoformat()}') TO ('{stop.isoformat()}')"
            )
            start = stop
        cursor.execute(f'CREATE TABLE "{TABLE}_default" PARTITION OF "{TABLE}" DEFAULT')
        cursor.execute(f'INSERT INTO "{TABLE}" SELECT * FROM "{OLD}"')
        cursor.execute(f'DROP TABLE "{OLD}"')
        cursor.execute("SELECT setval(%s, %s, %s)", [f"{TABLE}_id_seq", max(last_id, 1), last_id > 0])


def unpartition(apps, schema_editor):
    """Back to one plain table (Django's own shape of migration 0009), data included."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f'LOCK TABLE "{TABLE}" IN ACCESS EXCLUSIVE MODE')
        cursor.execute(f'SELECT coalesce(max(id), 0) FROM "{TABLE}"')
        last_id = cursor.fetchone()[0]
        cursor.execute(f'ALTER TABLE "{TABLE}" RENAME TO "{OLD}"')
        for name, _kind in _constraints(cursor, OLD):
            cursor.execute(f'ALTER TABLE "{OLD}" DROP CONSTRAINT "{name}"')
        cursor.execute('DROP INDEX IF EXISTS "sensors_reading_time_idx"')
        cursor.execute(f'ALTER TABLE "{OLD}" ALTER COLUMN id DROP DEFAULT')
        cursor.execute(f'CREATE TABLE "{TABLE}" (LIKE "{OLD}")')
        cursor.execute(f'DROP SEQUENCE IF EXISTS "{TABLE}_id_seq"')
        cursor.execute(f'ALTER TABLE "{TABLE}" ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY')
        cursor.execute(f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{TABLE}_pkey" PRIMARY KEY (id)')
        cursor.execute(
            f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "sensors_reading_unique_time" '
            "UNIQUE (municipality_id, device_id, observed_at)"
        )
        cursor.execute(f'CREATE INDEX "sensors_reading_time_idx" ON "{TABLE}" (municipality_id, observed_at)')
        cursor.execute(
            f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "sensors_reading_device_id_fk" FOREIGN KEY (device_id) '
            'REFERENCES "sensors_device" (id) DEFERRABLE INITIALLY DEFERRED'
        )
        cursor.execute(
            f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "sensors_reading_municipality_id_fk" '
            'FOREIGN KEY (municipality_id) REFERENCES "core_municipality" (id) DEFERRABLE INITIALLY DEFERRED'
        )
        cursor.execute(f'INSERT INTO "{TABLE}" SELECT * FROM "{OLD}"')
        cursor.execute(f'DROP TABLE "{OLD}" CASCADE')
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, %s)",
            [TABLE, max(last_id, 1), last_id > 0],
        )


class Migration(migrations.Migration):
    dependencies = [("sensors", "0010_reading_drop_single_column_indexes")]

    operations = [migrations.RunPython(partition, unpartition)]
