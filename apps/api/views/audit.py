"""The audit log and the requesting user's own identity."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view, schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.api.base import ScopedViewMixin
from apps.api.filters import ApiAuditFilter
from apps.api.schema import CertfleetSchema
from apps.api.serializers.audit import AuditEventSerializer
from apps.audit.models import AuditEvent


class AuditViewSet(ScopedViewMixin, viewsets.ReadOnlyModelViewSet):
    """Who did what, when: every state change in your part of the tree."""

    queryset = AuditEvent.objects.select_related("actor")
    serializer_class = AuditEventSerializer
    filterset_class = ApiAuditFilter
    ordering_fields = ["at"]
    ordering = ["-at", "-pk"]


@extend_schema(
    responses=inline_serializer(
        "Me",
        {
            "username": serializers.CharField(),
            "role": serializers.CharField(),
            "account": serializers.IntegerField(allow_null=True),
            "account_name": serializers.CharField(allow_null=True),
        },
    )
)
@api_view(["GET"])
@schema(CertfleetSchema())
def me(request: Request) -> Response:
    """Who the token belongs to, and their role."""
    user = request.user
    return Response(
        {
            "username": user.get_username(),
            "role": user.role,
            "account": user.account_id,
            "account_name": user.account.name if user.account_id else None,
        }
    )
