"""Readings at scale: monthly partitions on PostgreSQL (created ahead, dropped for retention,
pruned by every time-bounded read), no redundant indexes, SQLite unchanged."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dimos.core.tasks import tasks_run_pending
from dimos.sensors import partitions, selectors, services
from dimos.sensors.constants import Source
from dimos.sensors.models import Reading, Rollup

from .test_migrations import migrate, newest_schema_afterwards  # noqa: F401 (fixture)
from .test_ngsild import Api

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="partitions exist on PostgreSQL only"
)
FEB = datetime(2025, 2, 10, 12, 0, tzinfo=UTC)


def feed(municipality: Any, device: Any, start: datetime, count: int, step: timedelta) -> None:
    items = [
        services.ReadingIn(device=device, observed_at=start + i * step, values={"pm25": 10.0 + i})
        for i in range(count)
    ]
    outcome = services.readings_ingest(municipality=municipality, items=items, source=Source.SIMULATOR)
    assert outcome.created == count


def scanned(sql: str, params: Any = None) -> set[str]:
    """The readings partitions a statement's plan reads."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return set(re.findall(r"\bon (sensors_reading_(?:p\d{4}_\d{2}|default))\b", plan))


def reading_selects(queries: CaptureQueriesContext) -> list[str]:
    """The SELECTs of readings a block ran (a server-side cursor's DECLARE included)."""
    found = []
    for query in queries:
        sql = query["sql"]
        if '"sensors_reading"' in sql and "SELECT" in sql and not sql.startswith(("INSERT", "WITH")):
            found.append(sql[sql.index("SELECT") :])
    return found


def test_no_single_column_index_on_the_foreign_keys() -> None:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Reading._meta.db_table)
    indexed = [c["columns"] for c in found.values() if c["index"] or c["unique"] or c["primary_key"]]
    assert ["device_id"] not in indexed and ["municipality_id"] not in indexed
    assert ["municipality_id", "device_id", "observed_at"] in indexed  # serves every device read
    assert ["municipality_id", "observed_at"] in indexed


def test_sqlite_has_no_partitions() -> None:
    if connection.vendor == "postgresql":
        assert partitions.is_partitioned()
    else:
        assert not partitions.is_partitioned()
        assert partitions.partitions_ensure(FEB) == [] and partitions.partitions_drop_before(FEB) == 0


@postgresql_only
def test_primary_key_carries_the_partition_key() -> None:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Reading._meta.db_table)
    assert [c["columns"] for c in found.values() if c["primary_key"]] == [["id", "observed_at"]]


@postgresql_only
def test_partitions_are_created_ahead_by_the_hourly_task(serres: Any) -> None:
    assert partitions.partitions_ensure(FEB) == [
        "sensors_reading_p2025_02",
        "sensors_reading_p2025_03",
        "sensors_reading_p2025_04",
        "sensors_reading_p2025_05",
    ]
    assert partitions.partitions_ensure(FEB) == []  # idempotent
    from dimos.core.tasks import task_enqueue

    now = datetime.now(UTC)
    last = partitions.month_start(now)
    for _ in range(partitions.MONTHS_AHEAD):
        last = partitions.next_month(last)
    with connection.cursor() as cursor:  # the furthest month ahead is missing
        cursor.execute(f'DROP TABLE "{partitions.partition_name(last)}"')
    assert partitions.partitions_missing(now) == [last]
    task_enqueue("sensors.hourly", {"reschedule": False})
    tasks_run_pending()  # the hourly task enqueues sensors.partitions (its own transaction)
    tasks_run_pending()
    assert partitions.partitions_missing(now) == []
    names = {p.name for p in partitions.partitions()}
    month = partitions.month_start(now)
    for _ in range(partitions.MONTHS_AHEAD + 1):
        assert partitions.partition_name(month) in names
        month = partitions.next_month(month)


@postgresql_only
def test_readings_land_in_their_month_and_ids_stay_unique(serres: Any, station: Any) -> None:
    partitions.partitions_ensure(FEB)
    feed(serres, station, FEB, 3, timedelta(days=20))  # Feb 10, Mar 2, Mar 22
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text, id FROM sensors_reading ORDER BY observed_at")
        rows = cursor.fetchall()
    assert [r[0] for r in rows] == ["sensors_reading_p2025_02", "sensors_reading_p2025_03"] * 1 + [
        "sensors_reading_p2025_03"
    ]
    assert len({r[1] for r in rows}) == 3
    # The doors stay idempotent across the partitioned table.
    again = services.readings_ingest(
        municipality=serres,
        items=[services.ReadingIn(device=station, observed_at=FEB, values={"pm25": 1.0})],
        source=Source.SIMULATOR,
    )
    assert again.duplicates == 1 and Reading.objects.count() == 3


@postgresql_only
def test_retention_drops_whole_months_after_rolling_them_up(serres: Any, station: Any) -> None:
    partitions.partitions_ensure(FEB)
    feed(serres, station, FEB, 4, timedelta(minutes=15))
    feed(serres, station, datetime.now(UTC) - timedelta(hours=2), 1, timedelta(minutes=15))
    assert services.readings_purge(municipality=None, older_than_days=30) == 4
    names = {p.name for p in partitions.partitions()}
    assert "sensors_reading_p2025_02" not in names and "sensors_reading_p2025_03" not in names
    assert Reading.objects.count() == 1
    kept = Rollup.objects.get(hour=FEB)
    assert kept.count == 4 and kept.mean == 11.5


@postgresql_only
def test_time_bounded_reads_prune_partitions(serres: Any, station: Any, token: str) -> None:
    partitions.partitions_ensure(FEB)
    feed(serres, station, FEB, 4, timedelta(hours=1))
    only_feb = {"sensors_reading_p2025_02"}
    # Temporal API, timerel=between.
    api = Api(token)
    with CaptureQueriesContext(connection) as queries:
        response = api.get(
            f"/temporal/entities/{station.ngsi_id}?timerel=between"
            "&timeAt=2025-02-10T00:00:00Z&endTimeAt=2025-02-11T00:00:00Z"
        )
    assert response.status_code == 200 and len(response.json()["pm25"]) == 4
    [sql] = reading_selects(queries)
    assert scanned(sql) == only_feb
    # lastN with no time bound: the newest month is read first, older months only if needed.
    recent = datetime.now(UTC) - timedelta(days=2)
    feed(serres, station, recent, 2, timedelta(hours=1))
    with CaptureQueriesContext(connection) as queries:
        response = api.get(f"/temporal/entities/{station.ngsi_id}?lastN=2")
    assert [p["observedAt"][:13] for p in response.json()["pm25"]] == [
        (recent + timedelta(hours=i)).strftime("%Y-%m-%dT%H") for i in (0, 1)
    ]
    [sql] = reading_selects(queries)
    assert "sensors_reading_p2025_02" not in scanned(sql)
    with CaptureQueriesContext(connection) as queries:
        response = api.get(f"/temporal/entities/{station.ngsi_id}?lastN=5")
    assert len(response.json()["pm25"]) == 5  # 2 recent + 3 from February
    # The device chart.
    with CaptureQueriesContext(connection) as queries:
        points = selectors.series(station, "pm25", since=FEB - timedelta(days=1), bucket=timedelta(hours=1))
    assert len(points) == 6  # four in February, two recent
    [sql] = reading_selects(queries)
    assert "sensors_reading_p2025_01" not in scanned(sql)
    assert "sensors_reading_p2025_02" in scanned(sql)
    # Rollups of a range.
    with CaptureQueriesContext(connection) as queries:
        services.rollups_compute(municipality=serres, start=FEB, end=FEB + timedelta(hours=4))
    [sql] = reading_selects(queries)
    assert scanned(sql) == only_feb
    # Retention's delete of the remainder: only partitions before the cutoff.
    qs = Reading.objects.filter(observed_at__lt=datetime(2025, 3, 5, tzinfo=UTC))
    assert "sensors_reading_p2025_02" in scanned(*qs.query.sql_with_params())
    assert scanned(*qs.query.sql_with_params()) <= {
        "sensors_reading_p2025_02",
        "sensors_reading_p2025_03",
        "sensors_reading_default",
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("newest_schema_afterwards")
def test_the_migration_converts_the_table_with_its_data(serres: Any, station: Any) -> None:
    """0010 partitions the existing table, rows and ids kept (PostgreSQL); a no-op on SQLite.
    Reversed, the plain table comes back with the rows."""
    migrate([("sensors", "0010_reading_drop_single_column_indexes")])
    feed(serres, station, datetime(2024, 11, 30, 23, 0, tzinfo=UTC), 3, timedelta(hours=1))
    before = sorted(Reading.objects.values_list("id", "observed_at"))
    assert not partitions.is_partitioned()
    migrate([("sensors", "0011_reading_partitions")])
    assert sorted(Reading.objects.values_list("id", "observed_at")) == before
    if connection.vendor == "postgresql":
        assert partitions.is_partitioned()
        with connection.cursor() as cursor:
            cursor.execute("SELECT tableoid::regclass::text FROM sensors_reading ORDER BY observed_at")
            homes = [row[0] for row in cursor.fetchall()]
        assert homes == ["sensors_reading_p2024_11", "sensors_reading_p2024_12", "sensors_reading_p2024_12"]
        # New readings get new ids from the sequence the data came with.
        feed(serres, station, datetime(2024, 12, 5, tzinfo=UTC), 1, timedelta(hours=1))
        assert Reading.objects.order_by("-id").first().id > max(i for i, _ in before)
        migrate([("sensors", "0010_reading_drop_single_column_indexes")])
        assert not partitions.is_partitioned()
        assert Reading.objects.count() == 4
