from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from dimos.core.workdays import orthodox_easter
from dimos.eservices.codes import (
    ALPHABET,
    check_symbol,
    code_display,
    code_generate,
    code_is_valid,
    code_normalize,
)
from dimos.eservices.constants import DeadlineKind, Direction
from dimos.eservices.models import ProtocolCounter, ProtocolEntry, Service
from dimos.eservices.register import ExternalRegister, get_register, protocol_allocate
from dimos.eservices.services import deadline_compute, deadline_extend


def _allocate(municipality: Any, n: int = 1) -> list[int]:
    return [
        protocol_allocate(
            municipality=municipality, direction=Direction.INCOMING, subject="Θέμα", correspondent="Κάποιος"
        ).number
        for _ in range(n)
    ]


# --- Verification codes --------------------------------------------------------


def test_codes_are_random_short_and_self_checking() -> None:
    codes = {code_generate() for _ in range(500)}
    assert len(codes) == 500
    for code in list(codes)[:50]:
        assert len(code) == 10 and code_is_valid(code)
        assert code_display(code)[5] == "-"


def test_every_single_symbol_typo_is_caught() -> None:
    code = code_generate()
    for i in range(len(code)):
        for ch in ALPHABET:
            if ch != code[i]:
                assert not code_is_valid(code[:i] + ch + code[i + 1 :])


def test_normalisation_accepts_dashes_lowercase_and_confusables() -> None:
    body = "1O0ABCDEF".replace("O", "0")
    code = body + check_symbol(body)
    typed = f"{code[:1]}o{code[2:5]}-{code[5:]}".lower()  # "o" typed for zero
    assert code_is_valid(code_normalize(typed))
    assert not code_is_valid("SHORT")
    assert not code_is_valid(code_normalize("!!!!!!!!!!"))


# --- The register (SQLite and PostgreSQL) --------------------------------------


def test_numbers_are_consecutive_per_municipality(serres: Any, irakleia: Any) -> None:
    assert _allocate(serres, 3) == [1, 2, 3]
    assert _allocate(irakleia, 2) == [1, 2]
    assert ProtocolCounter.objects.get(municipality=serres).last_number == 3


def test_a_rolled_back_transaction_gives_its_number_back(serres: Any) -> None:
    _allocate(serres)
    with pytest.raises(RuntimeError), transaction.atomic():
        _allocate(serres)
        raise RuntimeError("fail after allocation")
    assert _allocate(serres) == [2]
    assert list(
        ProtocolEntry.objects.filter(municipality=serres).values_list("number", flat=True).order_by("number")
    ) == [1, 2]


def test_unique_constraint_is_the_safety_net(serres: Any) -> None:
    entry = protocol_allocate(
        municipality=serres, direction=Direction.INCOMING, subject="x", correspondent="y"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ProtocolEntry.objects.create(
            municipality=serres,
            year=entry.year,
            number=entry.number,
            direction="in",
            subject="dup",
            correspondent="z",
        )


def test_bad_direction_is_refused(serres: Any) -> None:
    with pytest.raises(ValueError):
        protocol_allocate(municipality=serres, direction="sideways", subject="x", correspondent="y")


class FakeIrida(ExternalRegister):
    """An external register answering with its own numbers (as ΙΡΙΔΑ would)."""

    def request_number(self, **kwargs: Any) -> tuple[int, int, str]:
        return 5001, 2026, "IRIDA-5001"


def test_external_register_plugs_in(settings: Any, serres: Any) -> None:
    settings.DIMOS_PROTOCOL_REGISTER = f"{__name__}.FakeIrida"
    entry = get_register().register(municipality=serres, direction="in", subject="s", correspondent="c")
    assert (entry.number, entry.external_ref) == (5001, "IRIDA-5001")
    settings.DIMOS_PROTOCOL_REGISTER = "dimos.eservices.register.BuiltinRegister"
    assert (
        get_register().register(municipality=serres, direction="in", subject="s", correspondent="c").number
        == 1
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_threads_get_exactly_one_to_n(serres: Any) -> None:
    per_thread, threads = 25, 8
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            barrier.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    _allocate(serres)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert not errors
    numbers = sorted(ProtocolEntry.objects.filter(municipality=serres).values_list("number", flat=True))
    assert numbers == list(range(1, threads * per_thread + 1))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_rollbacks_leave_no_gap(serres: Any) -> None:
    barrier = threading.Barrier(8)

    def work(i: int) -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                _allocate(serres)
                if i % 2:
                    raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        finally:
            connection.close()

    pool = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    numbers = sorted(ProtocolEntry.objects.filter(municipality=serres).values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4]


# --- Deadlines -----------------------------------------------------------------


def _service(serres: Any, days: int, kind: str) -> Service:
    return Service(
        municipality=serres,
        slug="x",
        title_el="x",
        outcome="decision",
        deadline_days=days,
        deadline_kind=kind,
    )


def test_working_day_deadline_skips_easter(serres: Any) -> None:
    easter = orthodox_easter(2026)
    assert easter == dt.date(2026, 4, 12)
    # Filed Thursday 9 April 2026: Good Friday 10/4, weekend, Easter Monday 13/4 are not counted.
    due = deadline_compute(
        service=_service(serres, 3, DeadlineKind.WORKING), municipality=serres, start=dt.date(2026, 4, 9)
    )
    assert due == dt.date(2026, 4, 16)


def test_working_day_deadline_skips_the_local_holiday(serres: Any) -> None:
    # Serres' local holiday 29 June 2026 is a Monday; filed Friday 26 June.
    due = deadline_compute(
        service=_service(serres, 1, DeadlineKind.WORKING), municipality=serres, start=dt.date(2026, 6, 26)
    )
    assert due == dt.date(2026, 6, 30)
    serres.local_holidays = []
    due = deadline_compute(
        service=_service(serres, 1, DeadlineKind.WORKING), municipality=serres, start=dt.date(2026, 6, 26)
    )
    assert due == dt.date(2026, 6, 29)


def test_calendar_deadline_moves_off_a_holiday(serres: Any) -> None:
    # 14 calendar days from Sunday 29 March 2026 end on Easter Sunday 12 April.
    due = deadline_compute(
        service=_service(serres, 14, DeadlineKind.CALENDAR), municipality=serres, start=dt.date(2026, 3, 29)
    )
    assert due == dt.date(2026, 4, 14)  # 12/4 Sunday (Easter), 13/4 Easter Monday → Tuesday


def test_paused_clock_extends_the_deadline(serres: Any) -> None:
    service = _service(serres, 5, DeadlineKind.WORKING)
    # Paused Mon 22 June, resumed Wed 1 July: 22→1 July spans 6 working days (29/6 local holiday excluded).
    extended = deadline_extend(
        service=service,
        municipality=serres,
        deadline=dt.date(2026, 6, 24),
        paused_on=dt.date(2026, 6, 22),
        resumed_on=dt.date(2026, 7, 1),
    )
    assert extended == dt.date(2026, 7, 3)
    assert deadline_extend(
        service=service,
        municipality=serres,
        deadline=dt.date(2026, 6, 24),
        paused_on=dt.date(2026, 6, 22),
        resumed_on=dt.date(2026, 6, 22),
    ) == dt.date(2026, 6, 24)
