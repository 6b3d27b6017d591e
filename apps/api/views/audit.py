"""The audit log and the requesting user's own identity."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view, schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.api.base import ScopedViewMixin
from apps.api.schema import CertfleetSchema
from apps.api.serializers.audit import AuditEventSerializer
from apps.audit.models import AuditEvent


class AuditFilter(filters.FilterSet):
    action = filters.CharFilter(lookup_expr="startswith", label="Action (prefix)")
    since = filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    until = filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt")

    class Meta:
        model = AuditEvent
        fields = ["action", "object_type", "object_id", "account", "since", "until"]


class AuditViewSet(ScopedViewMixin, viewsets.ReadOnlyModelViewSet):
    """Who did what, when: every state change in your part of the tree."""

    queryset = AuditEvent.objects.select_related("actor")
    serializer_class = AuditEventSerializer
    filterset_class = AuditFilter
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
