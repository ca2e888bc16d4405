"""Schools benchmark: a funding proposal for 60 schools with 20,000 assets, and bulk import.

Targets (issue 6): proposal under 1 s median; import of a 10,000-row CSV at
≥ 2,000 rows/s; constant memory (tracemalloc peak of the import at two sizes).
"""

from __future__ import annotations

import io
import random
import statistics
import time
import tracemalloc
from datetime import date
from decimal import Decimal
from pathlib import Path

from bench.common import (
    Timer,
    alternate,
    count_queries,
    database_label,
    fresh_database,
    result,
    write_results,
)


def _world(n_schools: int, n_assets: int) -> tuple[object, list]:
    from dimos.core import demo
    from dimos.schools import services
    from dimos.schools.constants import AssetStatus, SchoolType, StandardBasis
    from dimos.schools.models import Asset, EquipmentCategory, EquipmentModel, School, SchoolYear, Standard

    serres = demo.seed().serres
    rng = random.Random(6)
    cats, models = {}, []
    for i, (code, name, price, life) in enumerate(
        [
            ("tablet", "Tablet", "249", 4),
            ("laptop", "Laptop", "689", 5),
            ("board", "Διαδραστικός πίνακας", "2190", 8),
            ("doccam", "Κάμερα εγγράφων", "119", 6),
            ("robotics", "Ρομποτική", "439", 6),
            ("printer3d", "3D εκτυπωτής", "1299", 6),
            ("network", "Access point", "169", 7),
            ("desktop", "Desktop", "719", 6),
        ]
    ):
        cats[code] = EquipmentCategory.objects.create(municipality=serres, code=code, name=name)
        models.append(
            EquipmentModel.objects.create(
                municipality=serres,
                category=cats[code],
                code=f"m-{code}",
                manufacturer="Bench",
                name=f"Model {i}",
                unit_price=Decimal(price),
                expected_life_years=life,
            )
        )
    by_code = {m.category.code: m for m in models}
    for kind in (SchoolType.PRIMARY, SchoolType.KINDERGARTEN):
        for code, basis, q, per in [
            ("tablet", StandardBasis.PER_PUPILS, 1, 4),
            ("laptop", StandardBasis.PER_TEACHER, 1, 1),
            ("board", StandardBasis.PER_CLASSROOM, 1, 1),
            ("doccam", StandardBasis.PER_CLASSROOM, 1, 2),
            ("robotics", StandardBasis.PER_SCHOOL, 4, 1),
            ("printer3d", StandardBasis.PER_SCHOOL, 1, 1),
            ("network", StandardBasis.PER_CLASSROOM, 1, 3),
        ]:
            Standard.objects.create(
                municipality=serres,
                school_type=kind,
                category=cats[code],
                basis=basis,
                quantity=q,
                per=per,
                model=by_code[code],
            )
    schools = []
    for i in range(n_schools):
        kind = SchoolType.PRIMARY if i % 3 else SchoolType.KINDERGARTEN
        s = School.objects.create(
            municipality=serres,
            name=f"Σχολείο {i:03d}",
            school_type=kind,
            classrooms=rng.randint(2, 12),
            lat=41.08,
            lon=23.55,
        )
        SchoolYear.objects.create(
            municipality=serres, school=s, year=2026, pupils=rng.randint(30, 320), teachers=rng.randint(4, 30)
        )
        schools.append(s)
    tags = services.asset_tags_allocate(municipality=serres, count=n_assets)
    batch = []
    for i, tag in enumerate(tags):
        m = rng.choice(models)
        batch.append(
            Asset(
                municipality=serres,
                tag=tag,
                model=m,
                serial=f"B{i:07d}",
                status=rng.choice([AssetStatus.DEPLOYED] * 8 + [AssetStatus.IN_STOCK, AssetStatus.RETIRED]),
                school=rng.choice(schools),
                purchase_date=date(rng.randint(2012, 2026), rng.randint(1, 12), rng.randint(1, 28)),
            )
        )
        if len(batch) == 5000:
            Asset.objects.bulk_create(batch)
            batch = []
    Asset.objects.bulk_create(batch)
    return serres, schools


def _csv(n: int, prefix: str, school_names: list[str]) -> bytes:
    out = io.StringIO()
    out.write(
        "model,serial,school,room,status,purchase_date,supplier,order_ref,cost,warranty_end,funding_source\n"
    )
    for i in range(n):
        out.write(
            f"m-tablet,{prefix}{i:07d},{school_names[i % len(school_names)]},Α{i % 12},deployed,"
            f"2025-0{1 + i % 9}-15,Info Quest,ΣΥΜ-1,249.00,2027-01-15,Περιφέρεια\n"
        )
    return out.getvalue().encode("utf-8")


def run(*, quick: bool = False) -> Path:
    from dimos.schools import services
    from dimos.schools.constants import PriorityRule
    from dimos.schools.importer import Mode, import_assets
    from dimos.schools.models import Asset

    fresh_database()
    n_schools, n_assets = 60, 20_000
    serres, schools = _world(n_schools, n_assets)
    names = [s.name for s in schools]
    rows = []

    proposal = services.proposal_create(municipality=serres, title="Bench", actor=None)

    def build() -> None:
        services.proposal_version_build(
            proposal=proposal,
            budget_cap=Decimal("400000"),
            rule=PriorityRule.GAP_PER_PUPIL,
            actor=None,
            year=2026,
        )

    floor = Timer().get("/__bench_floor__")
    n = 5 if quick else 15
    t, f = alternate(build, floor, n, warmup=2)
    version = proposal.latest()
    rows.append(
        result(
            "proposal_60_schools_20000_assets",
            "median_seconds",
            t,
            f,
            {
                "schools": n_schools,
                "assets": Asset.objects.filter(municipality=serres).count(),
                "lines": version.lines.count(),
                "runs": n,
                "queries": count_queries(build),
            },
            target="< 1 s median",
        )
    )

    size = 2_000 if quick else 10_000
    speeds, times = [], []
    for run_no in range(2 if quick else 3):
        data = _csv(size, f"I{run_no}-", names)
        start = time.perf_counter()
        report = import_assets(
            municipality=serres, upload=io.BytesIO(data), name="bench.csv", mode=Mode.VALID_ONLY, actor=None
        )
        elapsed = time.perf_counter() - start
        assert report.applied == size, report.as_dict()
        speeds.append(size / elapsed)
        times.append(elapsed)
    rows.append(
        result(
            f"import_csv_{size}_rows",
            "median_rows_per_second",
            statistics.median(speeds),
            None,
            {"rows": size, "median_seconds": round(statistics.median(times), 3), "runs": len(speeds)},
            target=">= 2000 rows/s",
        )
    )
    data = _csv(size, "D-", names)
    start = time.perf_counter()
    import_assets(
        municipality=serres, upload=io.BytesIO(data), name="bench.csv", mode=Mode.DRY_RUN, actor=None
    )
    rows.append(
        result(
            f"dry_run_csv_{size}_rows",
            "rows_per_second",
            size / (time.perf_counter() - start),
            None,
            {"rows": size},
            target="same path as the import, then rolled back",
        )
    )

    peaks = {}
    for rows_n in (2_000, 8_000) if quick else (5_000, 20_000):
        data = _csv(rows_n, f"M{rows_n}-", names)
        upload = io.BytesIO(data)
        tracemalloc.start()
        import_assets(municipality=serres, upload=upload, name="bench.csv", mode=Mode.DRY_RUN, actor=None)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        peaks[rows_n] = peak
    small, large = sorted(peaks)
    rows.append(
        result(
            "import_peak_memory",
            "peak_bytes_at_larger_size",
            peaks[large],
            None,
            {
                "peak_bytes": {str(k): v for k, v in peaks.items()},
                "ratio_large_to_small": round(peaks[large] / peaks[small], 3),
                "size_ratio": large / small,
                "note": "tracemalloc peak of Python allocations during import (the CSV bytes themselves are "
                "allocated before tracing starts); batches of 1,000 rows",
            },
            target="constant: peak does not grow with the number of rows",
        )
    )
    # SQLite figures go to schools.json; PostgreSQL ones beside them, so both can be kept.
    return write_results("schools" if database_label() == "sqlite" else "schools-postgresql", rows)
