"""E-service form field types: a registry of plugins (see ``registry.py``).

Importing this package registers the built-in types; an app that adds its own
imports its module from its ``AppConfig.ready()``.
"""

from dimos.eservices.fields import builtin
from dimos.eservices.fields.registry import (
    FieldContext,
    FieldKind,
    Spec,
    field_type,
    field_types,
    register_field_type,
    unregister_field_type,
)

__all__ = [
    "FieldContext",
    "FieldKind",
    "Spec",
    "builtin",
    "field_type",
    "field_types",
    "register_field_type",
    "unregister_field_type",
]
