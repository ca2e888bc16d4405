"""The authentication back-end: Django's, loading the signed-in user with their department.

Staff pages show the user's department and its parent; loading them with the user
(``select_related``) saves a query per page. Nothing about the user is cached:
personal data (ΑΦΜ, ΑΜΚΑ, the password hash) never goes into the cache, and a
change to a user or a department is seen on the next request in every process.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class DimosModelBackend(ModelBackend):
    """``ModelBackend`` whose ``get_user`` brings the department (and its parent) in the same query."""

    def get_user(self, user_id: Any) -> Any:
        User = get_user_model()
        try:
            user = User._default_manager.select_related("department__parent").get(pk=user_id)
        except (User.DoesNotExist, ValueError, TypeError):
            return None
        return user if self.user_can_authenticate(user) else None
