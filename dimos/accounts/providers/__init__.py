"""Citizen identity providers: a small registry of plug-ins with a typed contract.

Importing this package registers the built-in providers (TaxisNet, OpenID Connect
and the demo stand-in). Another provider is one class and one ``@register``.
"""

from dimos.accounts.providers import dev, oidc, taxisnet  # noqa: F401  (registration)
from dimos.accounts.providers.base import (
    FlowState,
    Identity,
    IdentityProvider,
    ProviderError,
    registry,
)

__all__ = ["FlowState", "Identity", "IdentityProvider", "ProviderError", "registry"]
