from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
import requests
from django.test import Client

from dimos.accounts.tests.fakes import FakeOIDC, FakeTaxisNet


@pytest.fixture
def fake_taxisnet(settings: Any) -> Iterator[FakeTaxisNet]:
    server = FakeTaxisNet().start()
    settings.TAXISNET_BASE_URL = server.root
    settings.TAXISNET_CLIENT_ID = server.client_id
    settings.TAXISNET_CLIENT_SECRET = server.client_secret
    settings.TAXISNET_SCOPE = "read"
    yield server
    server.stop()


@pytest.fixture
def fake_oidc(settings: Any) -> Iterator[FakeOIDC]:
    server = FakeOIDC().start()
    settings.OIDC_ISSUER = server.base
    settings.OIDC_CLIENT_ID = server.client_id
    settings.OIDC_CLIENT_SECRET = server.client_secret
    settings.OIDC_LABEL = "Test IdP"
    yield server
    server.stop()


def follow_provider(client: Client, start_url: str) -> tuple[str, Any]:
    """Start a sign-in, let the (real HTTP) provider approve it, return the callback URL and its answer."""
    start = client.get(start_url)
    assert start.status_code == 302, start.status_code
    authorize = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert authorize.status_code == 302, authorize.text
    back = urlparse(authorize.headers["Location"])
    callback = f"{back.path}?{back.query}"
    return callback, client.get(callback)
