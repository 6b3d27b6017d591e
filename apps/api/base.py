"""What every API view shares: scoped querysets, pagination, errors, schema."""

from typing import Any

from django.db.models import QuerySet

from apps.accounts.scoping import scope
from apps.api.errors import handle_exception
from apps.api.pagination import Pagination
from apps.api.schema import CertfleetSchema


class ScopedViewMixin:
    """Every queryset goes through `apps.accounts.scoping.scope`: objects of another
    tenant do not exist for the requesting user (404)."""

    pagination_class = Pagination
    schema = CertfleetSchema()
    request: Any

    def get_queryset(self) -> QuerySet:
        return scope(super().get_queryset(), self.request.user)  # type: ignore[misc]

    def get_exception_handler(self):
        return handle_exception
