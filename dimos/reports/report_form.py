"""What the report form page needs beyond its Django form: the category questions as the page
shows them (every answer kept after a failed submit), the photo problems of a failed submit, and
the visitor's support of a report.

The page works without JavaScript: every category's questions are rendered (the script hides
the ones of the other categories) and only the chosen category's answers are read, so a citizen
with no script answers everything in one submit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _

from dimos.core.exceptions import ApplicationError
from dimos.core.models import Municipality
from dimos.reports.constants import MAX_PHOTOS
from dimos.reports.models import Category, CategoryAttribute, Report, ReportFollower
from dimos.reports.selectors import categories_active
from dimos.reports.services.photos import clean_photo
from dimos.reports.services.validation import validate_attributes

SUPPORTED_SESSION_KEY = "reports_supported"


def question_name(category_code: str, question_code: str) -> str:
    """The input name of a question: answers of the other categories never collide."""
    return f"attr-{category_code}-{question_code}"


def question_answers(data: QueryDict, category_code: str) -> dict[str, Any]:
    """The answers to the chosen category's questions (a list where several were ticked)."""
    prefix = question_name(category_code, "")
    answers: dict[str, Any] = {}
    for key in data:
        if key.startswith(prefix):
            values = data.getlist(key)
            answers[key.removeprefix(prefix)] = values if len(values) > 1 else values[0]
    return answers


@dataclass(frozen=True)
class Question:
    """One question as the page shows it, with what the citizen answered and its error."""

    attribute: CategoryAttribute
    name: str
    answers: list[str]
    error: str = ""

    @property
    def answer(self) -> str:
        return self.answers[0] if self.answers else ""

    @property
    def options(self) -> list[dict[str, Any]]:
        return [
            {"key": str(v.get("key")), "name": v.get("name", ""), "chosen": str(v.get("key")) in self.answers}
            for v in self.attribute.values or []
        ]


@dataclass(frozen=True)
class QuestionGroup:
    category: Category
    chosen: bool
    questions: list[Question] = field(default_factory=list)


def question_groups(
    categories: list[Category], data: QueryDict | None, selected: str, errors: dict[str, str]
) -> list[QuestionGroup]:
    """The questions of every category that has any; answers and errors only for the chosen one."""
    groups = []
    for category in categories:
        attributes = [a for a in category.attributes.all() if a.variable]
        if not attributes:
            continue
        chosen = category.code == selected
        questions = [
            Question(
                attribute=a,
                name=question_name(category.code, a.code),
                answers=data.getlist(question_name(category.code, a.code)) if data is not None else [],
                error=errors.get(a.code, "") if chosen else "",
            )
            for a in attributes
        ]
        groups.append(QuestionGroup(category=category, chosen=chosen, questions=questions))
    return groups


def question_problems(
    municipality: Municipality, category_code: str, answers: dict[str, Any]
) -> dict[str, str]:
    """The chosen category's unanswered or invalid questions (by question code), checked even when
    another part of the form failed, so that one failed submit shows every problem at once."""
    category = (
        categories_active(municipality).filter(code=category_code).prefetch_related("attributes").first()
        if category_code
        else None
    )
    if category is None:
        return {}
    try:
        validate_attributes(category, answers)
    except ApplicationError as exc:
        return question_errors(exc.errors or {})
    return {}


def question_errors(errors: dict[str, list[str]]) -> dict[str, str]:
    """``attribute[<code>]`` errors of the services → {question code: message}."""
    return {
        key.removeprefix("attribute[").removesuffix("]"): " ".join(str(m) for m in messages)
        for key, messages in errors.items()
        if key.startswith("attribute[")
    }


def photo_problems(photos: list[Any], *, anonymous: bool) -> list[str]:
    """What is wrong with each photo of a failed submit, by file name (the service stops at the first).

    Each upload is rewound afterwards, so a later step can read it again."""
    if len(photos) > MAX_PHOTOS:
        return [_("Έως %(n)s φωτογραφίες.") % {"n": MAX_PHOTOS}]
    problems = []
    for upload in photos:
        try:
            clean_photo(upload, anonymous=anonymous)
        except ApplicationError as exc:
            problems.append(f"{getattr(upload, 'name', '')}: {exc.message}")
        finally:
            upload.seek(0)
    return problems


def supporter_of(request: HttpRequest, report: Report) -> ReportFollower | None:
    """The visitor's subscription to ``report`` as a supporter: by account, or remembered by this
    browser's session after an anonymous «it is my problem too»."""
    followers = ReportFollower.objects.filter(municipality=report.municipality, report=report)
    if request.user.is_authenticated:
        return followers.filter(user=request.user).first()
    token = request.session.get(SUPPORTED_SESSION_KEY, {}).get(str(report.pk))
    return followers.filter(unsubscribe_token=token).first() if token else None


def remember_support(request: HttpRequest, follower: ReportFollower) -> None:
    """Remember an anonymous supporter's subscription in their session (to show it and stop it)."""
    if request.user.is_authenticated:
        return
    supported = dict(request.session.get(SUPPORTED_SESSION_KEY, {}))
    supported[str(follower.report_id)] = follower.unsubscribe_token
    request.session[SUPPORTED_SESSION_KEY] = supported


def forget_support(request: HttpRequest, report_pk: int) -> None:
    supported = dict(request.session.get(SUPPORTED_SESSION_KEY, {}))
    if supported.pop(str(report_pk), None) is not None:
        request.session[SUPPORTED_SESSION_KEY] = supported
