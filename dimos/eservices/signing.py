"""Electronic sealing of issued PDFs (PAdES) behind one small interface.

Production path: a qualified electronic seal of the municipality (ΑΠΕΔ / Greek
Trust Service Provider, kept in an HSM or a remote signing service) applied with
pyHanko as a PAdES-B-LT signature. Implement ``PdfSealer.seal`` to call it and
point ``settings.DIMOS_PDF_SEALER`` at the class. Sealing happens before the
SHA-256 is taken, so verification compares the exact bytes the citizen holds.

The default, ``UnsealedSealer``, returns the bytes unchanged and says so: the
document is still verifiable through its code and hash on the public page.
"""

from __future__ import annotations

import abc
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string


class PdfSealer(abc.ABC):
    @abc.abstractmethod
    def seal(self, pdf: bytes, *, municipality: object, reason: str) -> tuple[bytes, bool]:
        """Return the (possibly sealed) bytes and whether a seal was applied."""


class UnsealedSealer(PdfSealer):
    def seal(self, pdf: bytes, *, municipality: object, reason: str) -> tuple[bytes, bool]:
        return pdf, False


@lru_cache(maxsize=4)
def _sealer_class(path: str) -> type[PdfSealer]:
    cls = import_string(path)
    if not (isinstance(cls, type) and issubclass(cls, PdfSealer)):
        raise TypeError(f"{path} is not a PdfSealer")
    return cls


def get_sealer() -> PdfSealer:
    return _sealer_class(getattr(settings, "DIMOS_PDF_SEALER", "dimos.eservices.signing.UnsealedSealer"))()
