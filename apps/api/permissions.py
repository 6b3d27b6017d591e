"""Who may change what through the API. Seeing is decided by scoping (404 for what
is not yours); these checks refuse, with 403, a role that may see but not act."""

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from apps.accounts.models import Account


def is_staff(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_provider_staff)


class StaffWrites(BasePermission):
    """Everyone in scope reads; only provider staff change."""

    message = "Only provider staff may change this."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user.is_authenticated:
            return False
        return request.method in SAFE_METHODS or is_staff(request.user)


class StaffOnly(BasePermission):
    """Provider staff only, reading included."""

    message = "Only provider staff may use this."

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_staff(request.user)


class StaffOrReseller(BasePermission):
    """Provider staff and resellers (for example to assign vouchers)."""

    message = "Only provider staff and resellers may do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not user.is_authenticated:
            return False
        return is_staff(user) or user.role == Account.Kind.RESELLER
