"""The authentication back-end: Django's, with the user's tenant loaded in the same query."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class DimosModelBackend(ModelBackend):
    """Loads the signed-in user with their department (and its parent) in one query.

    Every staff page shows or checks these, so joining them here saves up to
    two queries per request. (Not the municipality: its boundary JSON is heavy to
    decode, and the request already has it from the tenant cache.)
    """

    def get_user(self, user_id: Any) -> Any:
        User = get_user_model()
        try:
            user = User._default_manager.select_related("department__parent").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
