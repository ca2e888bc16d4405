"""The identity-provider contract and its registry.

In the habit of Open Forms' plug-in registries: providers are classes registered
under a unique id; the sign-in page lists ``registry.enabled()``. A provider's
job is limited to the protocol: building the authorisation URL and turning the
callback into an :class:`Identity`. State, matching to accounts, sessions and
auditing live in :mod:`dimos.accounts.services` and the views, once for all.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from django.http import HttpRequest


@dataclass(frozen=True)
class Identity:
    """What a provider vouches for about the person who signed in."""

    provider: str
    subject: str
    afm: str = ""
    first_name: str = ""
    last_name: str = ""
    father_name: str = ""
    mother_name: str = ""
    birth_year: int | None = None
    email: str = ""
    email_verified: bool = False


@dataclass
class FlowState:
    """One sign-in attempt, kept in the session under its random ``state``."""

    provider: str
    state: str
    created: float
    next_url: str = ""
    nonce: str = ""
    code_verifier: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class ProviderError(Exception):
    """The sign-in failed; ``message`` is shown to the citizen (Greek, translatable)."""

    def __init__(self, message: Any, *, status: int = 400, reason: str = "") -> None:
        super().__init__(str(reason or message))
        self.message = message
        self.status = status
        self.reason = reason or "provider_error"


class IdentityProvider(ABC):
    """A citizen identity provider.

    ``id`` appears in URLs and in ``ExternalIdentity.provider``; ``label`` on the
    sign-in button. ``is_enabled`` is false when the provider is not configured,
    and disabled providers are neither listed nor reachable.
    """

    id: ClassVar[str]
    label: ClassVar[Any]
    description: ClassVar[Any] = ""
    is_demo: ClassVar[bool] = False

    @abstractmethod
    def is_enabled(self) -> bool: ...

    def get_label(self) -> Any:
        return self.label

    @abstractmethod
    def authorization_url(self, request: HttpRequest, *, flow: FlowState, redirect_uri: str) -> str:
        """Where to send the browser to start signing in."""

    @abstractmethod
    def complete(
        self, request: HttpRequest, *, params: Mapping[str, str], flow: FlowState, redirect_uri: str
    ) -> Identity:
        """Turn the callback's parameters into an identity, or raise ProviderError."""

    def logout_url(self, request: HttpRequest, *, return_to: str) -> str | None:
        """A URL that ends the session at the provider too, if it has one."""
        return None


P = TypeVar("P", bound=type[IdentityProvider])


class Registry:
    def __init__(self) -> None:
        self._providers: dict[str, IdentityProvider] = {}

    def register(self, cls: P) -> P:
        if cls.id in self._providers:
            raise ValueError(f"Identity provider {cls.id!r} is already registered")
        self._providers[cls.id] = cls()
        return cls

    def __call__(self, cls: P) -> P:
        return self.register(cls)

    def __iter__(self) -> Iterator[IdentityProvider]:
        return iter(self._providers.values())

    def __contains__(self, provider_id: str) -> bool:
        return provider_id in self._providers

    def __getitem__(self, provider_id: str) -> IdentityProvider:
        return self._providers[provider_id]

    def get_enabled(self, provider_id: str) -> IdentityProvider | None:
        provider = self._providers.get(provider_id)
        return provider if provider is not None and provider.is_enabled() else None

    def enabled(self) -> list[IdentityProvider]:
        return [p for p in self._providers.values() if p.is_enabled()]


registry = Registry()
register: Callable[[P], P] = registry.register
