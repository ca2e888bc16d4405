"""Category suggestion: a small text classifier trained on the municipality's own reports.

Character n-grams (accent- and case-folded Greek text) with a linear model. The
suggestion only helps: the citizen's choice of category always wins. The model is
stored per municipality (``ClassifierModel``) and retrained by
``manage.py train_report_classifier``.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils import timezone

from dimos.core.greek import normalize_greek
from dimos.core.models import Municipality
from dimos.reports.models import ClassifierModel, Report

MIN_SAMPLES = 30
MIN_CONFIDENCE = 0.35


def _pipeline() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(
            preprocessor=normalize_greek, analyzer="char_wb", ngram_range=(2, 5), min_df=1, sublinear_tf=True
        ),
        LogisticRegression(max_iter=2000, C=8.0),
    )


def training_data(municipality: Municipality) -> tuple[list[str], list[str]]:
    """Descriptions and final category codes of past reports (citizen and staff corrected)."""
    rows = (
        Report.objects.filter(municipality=municipality, is_public=True)
        .exclude(description="")
        .exclude(source="sensor")
        .values_list("description", "category__code")
        .order_by("-created_at")[:20000]
    )
    texts, labels = [], []
    for text, code in rows:
        texts.append(text)
        labels.append(code)
    return texts, labels


@dataclass
class TrainResult:
    samples: int
    accuracy: float | None
    categories: int


def evaluate(texts: list[str], labels: list[str], *, seed: int = 7) -> float:
    """Accuracy on a held-out 20 % (stratified where possible)."""
    from sklearn.model_selection import train_test_split

    counts = {label: labels.count(label) for label in set(labels)}
    stratify = labels if min(counts.values()) >= 2 else None
    x_train, x_test, y_train, y_test = train_test_split(
        texts, labels, test_size=0.2, random_state=seed, stratify=stratify
    )
    model = _pipeline().fit(x_train, y_train)
    return float(model.score(x_test, y_test))


def train(municipality: Municipality) -> TrainResult:
    """Fit on all past reports, measure held-out accuracy, and store the model."""
    texts, labels = training_data(municipality)
    if len(texts) < MIN_SAMPLES or len(set(labels)) < 2:
        ClassifierModel.objects.filter(municipality=municipality).delete()
        return TrainResult(samples=len(texts), accuracy=None, categories=len(set(labels)))
    accuracy = evaluate(texts, labels)
    model = _pipeline().fit(texts, labels)
    ClassifierModel.objects.update_or_create(
        municipality=municipality,
        defaults={
            "trained_at": timezone.now(),
            "samples": len(texts),
            "accuracy": accuracy,
            "blob": pickle.dumps(model),
        },
    )
    return TrainResult(samples=len(texts), accuracy=accuracy, categories=len(set(labels)))


@lru_cache(maxsize=32)
def _load(municipality_id: int, trained_at: str) -> Any:
    row = ClassifierModel.objects.filter(municipality_id=municipality_id).only("blob").first()
    # The blob is written only by ``train`` above, from this database: trusted input.
    return pickle.loads(bytes(row.blob)) if row else None  # noqa: S301


def suggest(
    municipality: Municipality, text: str, allowed: set[str] | None = None
) -> tuple[str, float] | None:
    """The most likely category code for ``text`` and its probability, or None when unsure."""
    text = (text or "").strip()
    if len(text) < 8:
        return None
    trained_at = (
        ClassifierModel.objects.filter(municipality=municipality).values_list("trained_at", flat=True).first()
    )
    if trained_at is None:
        return None
    model = _load(municipality.pk, trained_at.isoformat())
    if model is None:
        return None
    probabilities = model.predict_proba([text[:4000]])[0]
    ranked = sorted(zip(model.classes_, probabilities, strict=True), key=lambda p: -p[1])
    for code, probability in ranked:
        if allowed is None or code in allowed:
            return (str(code), float(probability)) if probability >= MIN_CONFIDENCE else None
    return None
