"""Accounts, Plesk servers and sites."""

import logging

from django.db.models import Count, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts.models import Account
from apps.api.base import ScopedViewMixin
from apps.api.idempotency import idempotent
from apps.api.permissions import StaffWrites
from apps.api.serializers.fleet import (
    AccountSerializer,
    ServerSerializer,
    SiteSerializer,
)
from apps.fleet.filters import ServerFilter, SiteFilter, with_certificate_status
from apps.fleet.models import PleskServer, Site

logger = logging.getLogger(__name__)


class AccountViewSet(ScopedViewMixin, viewsets.ReadOnlyModelViewSet):
    """Your own account and the accounts below it (resellers, customers)."""

    queryset = Account.objects.select_related("parent").order_by("path")
    serializer_class = AccountSerializer
    filterset_fields = ["kind", "parent"]
    ordering_fields = ["name", "kind", "created_at"]


class ServerViewSet(
    ScopedViewMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Plesk servers of the fleet (provider staff only)."""

    queryset = PleskServer.objects.order_by("name")
    serializer_class = ServerSerializer
    permission_classes = [StaffWrites]
    filterset_class = ServerFilter
    ordering_fields = ["name", "host", "last_sync_at", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().annotate(site_count=Count("sites"))

    @idempotent
    def create(self, request: Request, *args, **kwargs) -> Response:
        """Add a server: its TLS identity is checked and it is synced once."""
        from apps.fleet.services import register_server

        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        server = register_server(user=request.user, **serializer.validated_data)
        server = self.get_queryset().get(pk=server.pk)
        return Response(self.get_serializer(server).data, status=201)

    @extend_schema(request=None, responses=ServerSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def sync(self, request: Request, pk: str | None = None) -> Response:
        """Read the server's accounts and sites now."""
        from apps.fleet.services import sync_server

        server = self.get_object()
        logger.info("API sync of server %s by %s", server.name, request.user)
        sync_server(server, user=request.user)
        server = self.get_queryset().get(pk=server.pk)
        return Response(self.get_serializer(server).data, status=status.HTTP_200_OK)


class SiteViewSet(ScopedViewMixin, viewsets.ReadOnlyModelViewSet):
    """Sites with their certificate state (secured, expiring, failing, unsecured)."""

    queryset = Site.objects.select_related("server", "owner", "current_certificate")
    serializer_class = SiteSerializer
    filterset_class = SiteFilter
    ordering_fields = ["name", "created_at", "synced_at", "server__name"]
    ordering = ["name", "pk"]

    def get_queryset(self) -> QuerySet:
        return with_certificate_status(super().get_queryset())
