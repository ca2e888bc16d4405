"""Needs and prioritisation: pure computations, hand-checkable (see tests/test_planning.py).

A *standard* says how many items of a category a school of a type should have:
``ceil(base × quantity / per)`` where the base is the school's classrooms,
teachers, pupils or 1 (per school). The *gap* is what the standard requires
minus the school's counted assets of that category (in stock, deployed or on
loan, and not past their expected life). Gaps are priced with the standard's
model and ranked by a transparent rule; the budget is then spent down the
ranking, a line being funded in full, in part (as many units as still fit) or
not at all, each with a sentence that says why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from dimos.schools.constants import PriorityRule, StandardBasis


@dataclass
class Need:
    school_id: int
    school_name: str
    category_id: int
    category_name: str
    model_id: int
    unit_price: Decimal
    required: int
    have: int
    pupils: int

    @property
    def gap(self) -> int:
        return max(0, self.required - self.have)


@dataclass
class Line:
    need: Need
    rank: int = 0
    score: float = 0.0
    quantity: int = 0
    amount: Decimal = Decimal("0.00")
    explanation: str = ""


@dataclass
class Plan:
    lines: list[Line] = field(default_factory=list)
    budget_cap: Decimal = Decimal("0")
    total_need: Decimal = Decimal("0")
    total_funded: Decimal = Decimal("0")

    @property
    def remaining(self) -> Decimal:
        return self.budget_cap - self.total_funded


def required_quantity(
    *, basis: str, quantity: int, per: int, classrooms: int, teachers: int, pupils: int
) -> int:
    base = {
        StandardBasis.PER_CLASSROOM: classrooms,
        StandardBasis.PER_TEACHER: teachers,
        StandardBasis.PER_PUPILS: pupils,
        StandardBasis.PER_SCHOOL: 1,
    }[basis]
    return math.ceil(base * quantity / max(per, 1))


def _score(need: Need, rule: str) -> float:
    if rule == PriorityRule.LOWEST_COVERAGE:
        # Lower coverage first: score = 1 − have/required (1.0 = has nothing).
        return 1.0 - min(need.have, need.required) / need.required if need.required else 0.0
    return need.gap / need.pupils if need.pupils else float(need.gap)


def _fmt_eur(value: Decimal) -> str:
    whole, _sep, cents = f"{value:,.2f}".partition(".")
    return f"{whole.replace(',', '.')},{cents} €"


def prioritise(needs: list[Need], *, budget_cap: Decimal, rule: str) -> Plan:
    """Rank the gaps and spend the budget down the ranking.

    Ties are broken by the larger gap, then by school and category name, so the
    order never depends on the database. A line that no longer fits in full gets
    as many units as fit; later, cheaper lines may still be funded.
    """
    if budget_cap < 0:
        from dimos.core.exceptions import ValidationFailed

        raise ValidationFailed(_("Ο προϋπολογισμός δεν μπορεί να είναι αρνητικός."), field="budget_cap")
    plan = Plan(budget_cap=budget_cap)
    lines = [Line(need=n, score=_score(n, rule)) for n in needs if n.gap > 0]
    lines.sort(key=lambda ln: (-ln.score, -ln.need.gap, ln.need.school_name, ln.need.category_name))
    remaining = budget_cap
    for rank, line in enumerate(lines, start=1):
        need = line.need
        line.rank = rank
        cost = need.unit_price * need.gap
        plan.total_need += cost
        if rule == PriorityRule.LOWEST_COVERAGE:
            why = _("κάλυψη %(cov)s%% του προτύπου (%(have)s από %(req)s)") % {
                "cov": f"{100 * (1 - line.score):.0f}",
                "have": need.have,
                "req": need.required,
            }
        else:
            why = _("κενό %(gap)s για %(pupils)s μαθητές = %(score)s ανά μαθητή") % {
                "gap": need.gap,
                "pupils": need.pupils,
                "score": f"{line.score:.3f}".replace(".", ","),
            }
        fit = need.gap if need.unit_price <= 0 else min(need.gap, int(remaining // need.unit_price))
        line.quantity = fit
        line.amount = need.unit_price * fit
        remaining -= line.amount
        plan.total_funded += line.amount
        if fit == need.gap:
            verdict = _("χρηματοδοτείται πλήρως")
        elif fit > 0:
            verdict = _("χρηματοδοτείται μερικώς: %(fit)s από %(gap)s τεμάχια χωρούν στο υπόλοιπο") % {
                "fit": fit,
                "gap": need.gap,
            }
        else:
            verdict = _("δεν χωρά στον προϋπολογισμό (χρειάζονται %(cost)s)") % {"cost": _fmt_eur(cost)}
        line.explanation = _("Σειρά %(rank)s: %(why)s· %(verdict)s· υπόλοιπο %(left)s.") % {
            "rank": rank,
            "why": why,
            "verdict": verdict,
            "left": _fmt_eur(remaining),
        }
    plan.lines = lines
    return plan


def fmt_eur(value: Decimal | int | float | None) -> str:
    return _fmt_eur(Decimal(value or 0))
