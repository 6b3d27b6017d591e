"""Bulk pushes (provider staff): dry run, start, progress, retry the failed."""

import logging

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.api.base import ScopedViewMixin
from apps.api.filters import ApiPushFilter
from apps.api.idempotency import idempotent
from apps.api.permissions import StaffWrites
from apps.api.serializers.bulk import (
    DryRunSerializer,
    ProgressSerializer,
    PushRequestSerializer,
    PushSerializer,
    RetryResultSerializer,
)
from apps.api.targets import resolve_push_request
from apps.bulk import services as bulk
from apps.bulk.models import Push

logger = logging.getLogger(__name__)


class PushViewSet(
    ScopedViewMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """One voucher onto many sites, one order per site."""

    queryset = Push.objects.select_related("voucher", "created_by")
    serializer_class = PushSerializer
    permission_classes = [StaffWrites]
    filterset_class = ApiPushFilter
    ordering_fields = ["created_at", "finished_at"]
    ordering = ["-created_at", "-pk"]

    @extend_schema(request=PushRequestSerializer, responses={201: PushSerializer})
    @idempotent
    def create(self, request: Request, *args, **kwargs) -> Response:
        """Start a push onto sites named (as in a CSV) or chosen by filter. Sites
        this voucher already secures are counted done and not ordered again."""
        voucher, sites, target, email = resolve_push_request(request)
        push = bulk.create_push(
            user=request.user,
            voucher=voucher,
            sites=sites,
            contact_email=email,
            target=target,
        )
        logger.info("API push %s started on %s sites", push.pk, len(sites))
        return Response(self.get_serializer(push).data, status=201)

    @extend_schema(request=PushRequestSerializer, responses={200: DryRunSerializer})
    @action(detail=False, methods=["post"], url_path="dry-run")
    def dry_run(self, request: Request) -> Response:
        """Per site: would the local checks pass, and if not, why. Orders nothing."""
        voucher, sites, _target, _email = resolve_push_request(request)
        rows = bulk.dry_run(voucher=voucher, sites=sites)
        passing = sum(1 for row in rows if row.ok)
        summary = {
            "total": len(rows),
            "passing": passing,
            "failing": len(rows) - passing,
            "sites": rows,
        }
        return Response(DryRunSerializer(summary).data)

    @extend_schema(responses=ProgressSerializer)
    @action(detail=True, methods=["get"])
    def progress(self, request: Request, pk: str | None = None) -> Response:
        """Done, failed (grouped by code with advice), held, running, waiting."""
        return Response(ProgressSerializer(bulk.progress(self.get_object())).data)

    @extend_schema(request=None, responses=RetryResultSerializer)
    @action(detail=True, methods=["post"], url_path="retry-failed")
    @idempotent
    def retry_failed(self, request: Request, pk: str | None = None) -> Response:
        """Run the failed orders of the push again, each from its failed step."""
        push = self.get_object()
        count = bulk.retry_failed(push, user=request.user)
        push.refresh_from_db()
        logger.info("API push %s: %s failed orders retried", push.pk, count)
        body = {"retried": count, "push": push}
        return Response(RetryResultSerializer(body).data)
