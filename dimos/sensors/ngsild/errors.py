"""NGSI-LD ProblemDetails (ETSI GS CIM 009 clause 5.5.2 / RFC 7807)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from dimos.core.badinput import bad_request_responder
from dimos.sensors.ngsild.messages_el import TITLES_EL, greek_detail

ERROR_BASE = "https://uri.etsi.org/ngsi-ld/errors/"
TITLES = {
    "InvalidRequest": "The request associated to the operation is syntactically invalid or includes wrong content",
    "BadRequestData": "The request includes input data which does not meet the requirements of the operation",
    "AlreadyExists": "The referred element already exists",
    "OperationNotSupported": "The operation is not supported",
    "ResourceNotFound": "The referred resource has not been found",
    "InternalError": "There has been an error during the operation execution",
    "TooComplexQuery": "The query is too complex",
    "TooManyResults": "The query result exceeds the maximum number of results",
    "NoMultiTenantSupport": "The broker does not support multiple tenants",
    "NonexistentTenant": "The addressed tenant does not exist",
    "Unauthorized": "An integration credential is required",
    "Forbidden": "The integration credential does not allow this operation",
    "NotAcceptable": "None of the accepted media types can be produced",
    "UnsupportedMediaType": "The request content type is not supported",
}
STATUS = {
    "InvalidRequest": 400,
    "BadRequestData": 400,
    "AlreadyExists": 409,
    "OperationNotSupported": 422,
    "ResourceNotFound": 404,
    "InternalError": 500,
    "TooComplexQuery": 403,
    "TooManyResults": 403,
    "NoMultiTenantSupport": 501,
    "NonexistentTenant": 404,
    "Unauthorized": 401,
    "Forbidden": 403,
    "NotAcceptable": 406,
    "UnsupportedMediaType": 415,
}


class NgsiError(Exception):
    def __init__(self, name: str, detail: str, status: int | None = None) -> None:
        super().__init__(detail)
        self.name = name
        self.detail = detail
        self.status = status or STATUS[name]

    def language(self) -> str:
        """The language of this error's body: the request's (Greek or English) when the detail
        exists in it; else English, so that title and detail never mix languages."""
        if (get_language() or "").startswith("el") and greek_detail(str(self.detail)) is not None:
            return "el"
        return "en"

    def body(self) -> dict[str, object]:
        greek = self.language() == "el"
        return {
            "type": ERROR_BASE + self.name,
            "title": (TITLES_EL if greek else TITLES).get(self.name, self.name),
            "status": self.status,
            "detail": greek_detail(str(self.detail)) if greek else str(self.detail),
        }

    def response(self) -> HttpResponse:
        response = HttpResponse(
            json.dumps(self.body(), ensure_ascii=False),
            status=self.status,
            content_type="application/json",
        )
        response["Content-Language"] = self.language()
        patch_vary_headers(response, ["Accept-Language"])
        if self.status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="ngsi-ld"'
        return response


def forbidden(scopes: Sequence[str], entity_id: str = "") -> NgsiError:
    """A scope failure (403): the credential is valid but may not do this."""
    about = f" on {entity_id}" if entity_id else ""  # (Greek: messages_el)
    return NgsiError(
        "Forbidden",
        f"The credential lacks the scope this operation needs{about} ({' or '.join(scopes)}).",
    )


@bad_request_responder("/ngsi-ld/")
def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """Hostile input refused at the door (dimos.core.badinput), in NGSI-LD's ProblemDetails."""
    return NgsiError("BadRequestData", message).response()
