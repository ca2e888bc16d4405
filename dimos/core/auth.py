"""The authentication back-end: Django's, with the user's tenant loaded in the same query."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class DimosModelBackend(ModelBackend):
    """Loads the signed-in user with municipality and department (and its parent).

    Every staff page shows or checks these, so joining them here saves up to
    three queries per request.
    """

    def get_user(self, user_id: Any) -> Any:
        User = get_user_model()
        try:
            user = User._default_manager.select_related("municipality", "department__parent").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
