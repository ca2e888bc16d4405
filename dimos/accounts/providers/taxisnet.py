"""gov.gr / TaxisNet sign-in: the GSIS OAuth 2.0 service for public bodies.

Authorisation-code flow against ``TAXISNET_BASE_URL`` (for example
``https://test.gsis.gr/oauth2server`` or ``https://oauth2.gsis.gr/oauth2server``):

* ``{base}/oauth/authorize?client_id&redirect_uri&response_type=code&scope&state``
* ``{base}/oauth/token`` (POST, ``grant_type=authorization_code``) → JSON ``access_token``
* ``{base}/userinfo?format=xml`` with the bearer token → XML
  ``<root><userinfo userid=… taxid=… lastname=… firstname=… fathername=… mothername=… birthyear=…/></root>``
* ``{base}/logout/{client_id}/?url=…`` ends the GSIS session.

The user info carries no e-mail or phone; the platform asks for them afterwards.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from urllib.parse import quote, urlencode

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dimos.accounts.providers import http
from dimos.accounts.providers.base import FlowState, Identity, IdentityProvider, ProviderError, register
from dimos.core.greek import is_valid_afm

USERINFO_FIELDS = ("userid", "taxid", "lastname", "firstname", "fathername", "mothername", "birthyear")
BAD_USERINFO = _("Η υπηρεσία TaxisNet δεν επέστρεψε έγκυρα στοιχεία ταυτότητας. Η σύνδεση δεν ολοκληρώθηκε.")
BAD_AFM = _(
    "Ο ΑΦΜ που επέστρεψε η υπηρεσία TaxisNet δεν είναι έγκυρος, οπότε η σύνδεση δεν ολοκληρώθηκε. "
    "Επικοινωνήστε με τον δήμο."
)


def parse_userinfo(text: str) -> dict[str, str]:
    """The GSIS XML user info as a dict of the known fields (attributes or child elements)."""
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        # No DTDs: nothing legitimate needs them and they enable entity expansion attacks.
        raise ProviderError(BAD_USERINFO, status=502, reason="userinfo_doctype")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ProviderError(BAD_USERINFO, status=502, reason="userinfo_not_xml") from exc
    node = root if root.tag == "userinfo" else root.find(".//userinfo")
    if node is None:
        raise ProviderError(BAD_USERINFO, status=502, reason="userinfo_missing")
    values: dict[str, str] = {}
    for name in USERINFO_FIELDS:
        value = node.get(name)
        if value is None:
            child = node.find(name)
            value = child.text if child is not None else None
        values[name] = (value or "").strip()
    return values


def identity_from_userinfo(values: dict[str, str], *, provider: str) -> Identity:
    if not values.get("userid") or not values.get("taxid"):
        raise ProviderError(BAD_USERINFO, status=502, reason="userinfo_incomplete")
    afm = values["taxid"]
    if not is_valid_afm(afm):
        raise ProviderError(BAD_AFM, status=502, reason="invalid_afm")
    year = values.get("birthyear", "")
    birth_year = int(year) if year.isdigit() and 1900 <= int(year) <= 2100 else None
    return Identity(
        provider=provider,
        subject=values["userid"],
        afm=afm,
        first_name=values.get("firstname", "")[:150],
        last_name=values.get("lastname", "")[:150],
        father_name=values.get("fathername", "")[:100],
        mother_name=values.get("mothername", "")[:100],
        birth_year=birth_year,
    )


@register
class TaxisNetProvider(IdentityProvider):
    id = "taxisnet"
    label = _("Σύνδεση με κωδικούς TaxisNet")
    description = _("Με τους κωδικούς σας στο gov.gr (Γενική Γραμματεία Πληροφοριακών Συστημάτων).")

    @property
    def base_url(self) -> str:
        return settings.TAXISNET_BASE_URL.rstrip("/")

    def is_enabled(self) -> bool:
        return bool(settings.TAXISNET_CLIENT_ID and settings.TAXISNET_BASE_URL)

    def authorization_url(self, request: HttpRequest, *, flow: FlowState, redirect_uri: str) -> str:
        query = urlencode(
            {
                "client_id": settings.TAXISNET_CLIENT_ID,
                "redirect_uri": redirect_uri,
                "response_type": "code",
                "scope": settings.TAXISNET_SCOPE,
                "state": flow.state,
            }
        )
        return f"{self.base_url}/oauth/authorize?{query}"

    def complete(
        self, request: HttpRequest, *, params: Mapping[str, str], flow: FlowState, redirect_uri: str
    ) -> Identity:
        code = params.get("code", "")
        if not code:
            raise ProviderError(BAD_USERINFO, status=400, reason="missing_code")
        token = http.json_of(
            http.call(
                "POST",
                f"{self.base_url}/oauth/token",
                what="taxisnet_token",
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": redirect_uri,
                    "client_id": settings.TAXISNET_CLIENT_ID,
                    "client_secret": settings.TAXISNET_CLIENT_SECRET,
                },
                headers={"Accept": "application/json"},
            ),
            what="taxisnet_token",
        )
        access_token = token.get("access_token")
        if not isinstance(access_token, str) or not access_token:
            raise ProviderError(http.UNREACHABLE, status=502, reason="taxisnet_token_missing")
        response = http.call(
            "GET",
            f"{self.base_url}/userinfo",
            what="taxisnet_userinfo",
            params={"format": "xml"},
            headers={"Authorization": f"Bearer {access_token}", "Accept": "application/xml"},
        )
        return identity_from_userinfo(parse_userinfo(response.text), provider=self.id)

    def logout_url(self, request: HttpRequest, *, return_to: str) -> str | None:
        client_id = quote(settings.TAXISNET_CLIENT_ID, safe="")
        return f"{self.base_url}/logout/{client_id}/?{urlencode({'url': return_to})}"
