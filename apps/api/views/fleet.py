"""Accounts, Plesk servers and sites."""

import logging

from django.db.models import Count, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts.models import Account
from apps.api.base import ScopedViewMixin
from apps.api.idempotency import idempotent
from apps.api.permissions import StaffWrites
from apps.api.serializers.fleet import (
    AccountSerializer,
    FingerprintRequestSerializer,
    FingerprintSerializer,
    ServerSerializer,
    ServerUpdateSerializer,
    SiteSerializer,
    SyncResultSerializer,
)
from apps.fleet import services as fleet
from apps.fleet.filters import ServerFilter, SiteFilter, with_certificate_status
from apps.fleet.models import PleskServer, Site
from apps.fleet.plesk.fingerprint import fetch_fingerprint

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
    """Plesk servers of the fleet: everyone lists what scoping shows (provider
    staff: all, others: none); only provider staff add, change and sync."""

    queryset = PleskServer.objects.order_by("name")
    permission_classes = [StaffWrites]
    filterset_class = ServerFilter
    ordering_fields = ["name", "host", "last_sync_at", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().annotate(site_count=Count("sites"))

    def get_serializer_class(self):
        if self.action == "partial_update":
            return ServerUpdateSerializer
        return ServerSerializer

    @idempotent
    def create(self, request: Request, *args, **kwargs) -> Response:
        """Add a server: the panel is contacted with the given TLS identity (pinned
        fingerprint or CA bundle) and nothing is saved unless that works. Sync it
        next with POST /servers/{id}/sync/."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = {**_defaults(), **serializer.validated_data}
        server = fleet.register_server(user=request.user, **values)
        return Response(self._fresh(server), status=201)

    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        """Change a server; connection details are checked against the panel
        again before they are saved."""
        server = self.get_object()
        serializer = self.get_serializer(server, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        current = {name: getattr(server, name) for name in _REGISTRATION_FIELDS}
        values = {**current, **serializer.validated_data}
        server = fleet.register_server(user=request.user, name=server.name, **values)
        return Response(self._fresh(server))

    @extend_schema(request=None, responses=SyncResultSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def sync(self, request: Request, pk: str | None = None) -> Response:
        """Read the server's accounts and sites now and answer with what changed."""
        server = self.get_object()
        logger.info("API sync of server %s by %s", server.name, request.user)
        report = fleet.sync_server(server, user=request.user)
        body = {"report": report, "server": self.get_queryset().get(pk=server.pk)}
        return Response(SyncResultSerializer(body).data)

    @extend_schema(
        request=FingerprintRequestSerializer, responses=FingerprintSerializer
    )
    @action(detail=False, methods=["post"])
    def fingerprint(self, request: Request) -> Response:
        """Read the certificate fingerprint a panel presents, for you to confirm
        before adding the server with it (nothing else is sent)."""
        form = FingerprintRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        found = fetch_fingerprint(**form.validated_data)
        return Response({"fingerprint_sha256": found})

    def _fresh(self, server: PleskServer) -> dict:
        server = self.get_queryset().get(pk=server.pk)
        return ServerSerializer(server, context=self.get_serializer_context()).data


# What register_server takes besides the name (apps.fleet.services.registration).
_REGISTRATION_FIELDS = [
    "host",
    "port",
    "auth",
    "login",
    "secret",
    "fingerprint_sha256",
    "ca_bundle",
    "https_port",
    "timeout",
    "max_concurrency",
    "enabled",
    "sync_interval_minutes",
]


def _defaults() -> dict:
    """The model's defaults for what a create request may leave out."""
    fields = {f.name: f for f in PleskServer._meta.get_fields() if f.concrete}
    return {
        name: fields[name].get_default()
        for name in ("port", "auth", "login", "https_port")
    }


class SiteViewSet(ScopedViewMixin, viewsets.ReadOnlyModelViewSet):
    """Sites with their certificate state (secured, expiring, failing, unsecured)."""

    queryset = Site.objects.select_related("server", "owner", "current_certificate")
    serializer_class = SiteSerializer
    filterset_class = SiteFilter
    ordering_fields = ["name", "created_at", "synced_at", "server__name"]
    ordering = ["name", "pk"]

    def get_queryset(self) -> QuerySet:
        return with_certificate_status(super().get_queryset())
