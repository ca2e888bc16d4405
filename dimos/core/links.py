"""Absolute links that leave the site: in e-mails, SMS and QR codes of issued documents.

One place decides the scheme, host and port, so a link in an e-mail opens the
same site the citizen used, the demo's port included (``http://serres.localhost:8000/…``).
"""

from __future__ import annotations

from django.conf import settings

from dimos.core.models import Municipality

_DEFAULT_PORTS = {"http": 80, "https": 443}


def public_base_url(municipality: Municipality) -> str:
    """``scheme://host[:port]`` of the municipality, without a trailing slash.

    ``DIMOS_PUBLIC_BASE_URL`` wins when set; otherwise the municipality's first
    host name, over https in production and http under DEBUG, with
    ``DIMOS_PUBLIC_PORT`` when it is not the scheme's default port.
    """
    base = settings.DIMOS_PUBLIC_BASE_URL.rstrip("/")
    if base:
        return base
    hosts = [h for h in (municipality.hostnames or []) if h != "testserver"]
    host = hosts[0] if hosts else "localhost"
    scheme = "http" if settings.DEBUG else "https"
    port = int(getattr(settings, "DIMOS_PUBLIC_PORT", 0) or 0)
    if port and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    return f"{scheme}://{host}"


def public_url(municipality: Municipality, path: str) -> str:
    """An absolute link to ``path`` (which starts with ``/``) on the municipality's site."""
    return public_base_url(municipality) + path
