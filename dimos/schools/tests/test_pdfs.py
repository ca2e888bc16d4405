"""Every PDF of the schools is accessible: proposal, label sheet, loan agreement.

Tagged (structure tree), ``/Lang`` of the page's language, fonts embedded, Greek
text extractable, every QR code with alternative text.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from dimos.core.testing_pdf import assert_accessible_pdf
from dimos.schools.models import Asset
from dimos.schools.tests.factories import world


@pytest.fixture
def w(serres):
    return world(serres)


@pytest.fixture
def bob_client(bob):
    from dimos.core.testing import SERRES_HOST, client_for

    return client_for(bob, SERRES_HOST)


def test_proposal_pdf_is_tagged_greek(w, bob_client) -> None:
    response = bob_client.get(reverse("schools:proposal_pdf", args=[w.proposal.pk, 1]))
    assert response.status_code == 200
    assert_accessible_pdf(
        response.content,
        lang="el",
        texts=["ΔΗΜΟΣ ΣΕΡΡΩΝ", w.proposal.title, "Ανάλυση ανά σχολείο", "Αιτιολόγηση", "Ο/Η Δήμαρχος"],
    )


def test_proposal_pdf_in_english_is_tagged_english(w, bob_client) -> None:
    bob_client.cookies["dimos_language"] = "en"
    response = bob_client.get(reverse("schools:proposal_pdf", args=[w.proposal.pk, 1]))
    assert_accessible_pdf(
        response.content, lang="en", texts=["MUNICIPALITY OF SERRES", "Breakdown by school"]
    )


def test_labels_pdf_is_tagged_and_each_qr_has_alt_text(w, bob_client) -> None:
    response = bob_client.get(reverse("schools:labels_pdf", args=[w.school.pk]))
    assets = list(Asset.objects.filter(school=w.school).exclude(status="retired"))
    assert assets
    assert_accessible_pdf(
        response.content, lang="el", figures_with_alt=len(assets), texts=[a.tag for a in assets]
    )


def test_loan_agreement_pdf_is_tagged_greek(w, bob_client) -> None:
    response = bob_client.get(reverse("schools:loan_pdf", args=[w.loan.pk]))
    assert response.status_code == 200
    assert_accessible_pdf(
        response.content,
        lang="el",
        texts=["Συμφωνητικό δανεισμού εξοπλισμού", w.loan.asset.tag, "Όροι", "Για το σχολείο"],
    )
