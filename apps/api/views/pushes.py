"""Bulk pushes (provider staff): dry run, start, progress, retry the failed."""

import logging

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.api.base import ScopedViewMixin
from apps.api.idempotency import idempotent
from apps.api.permissions import StaffWrites
from apps.api.serializers.bulk import (
    DryRunSerializer,
    ProgressSerializer,
    PushRequestSerializer,
    PushSerializer,
)
from apps.api.targets import resolve_push_request
from apps.bulk.models import Push

logger = logging.getLogger(__name__)


class PushViewSet(
    ScopedViewMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """One voucher onto many sites, one order per site."""

    queryset = Push.objects.select_related("voucher", "created_by")
    serializer_class = PushSerializer
    permission_classes = [StaffWrites]
    filterset_fields = ["state", "voucher"]
    ordering_fields = ["created_at", "finished_at"]
    ordering = ["-created_at", "-pk"]

    @extend_schema(request=PushRequestSerializer, responses={201: PushSerializer})
    @idempotent
    def create(self, request: Request, *args, **kwargs) -> Response:
        """Start a push onto sites named or chosen by filter."""
        from apps.bulk.services import create_push

        voucher, sites, target, email = resolve_push_request(request)
        push = create_push(
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
        from apps.bulk.services import dry_run

        voucher, sites, _target, _email = resolve_push_request(request)
        return Response(dry_run_body(dry_run(voucher=voucher, sites=sites)))

    @extend_schema(responses=ProgressSerializer)
    @action(detail=True, methods=["get"])
    def progress(self, request: Request, pk: str | None = None) -> Response:
        """Done, failed by code, waiting."""
        from apps.bulk.services import progress

        return Response(ProgressSerializer(progress(self.get_object())).data)

    @extend_schema(request=None, responses=PushSerializer)
    @action(detail=True, methods=["post"], url_path="retry-failed")
    @idempotent
    def retry_failed(self, request: Request, pk: str | None = None) -> Response:
        """Run the failed orders of the push again."""
        from apps.bulk.services import retry_failed

        push = self.get_object()
        retry_failed(push, user=request.user)
        push.refresh_from_db()
        return Response(self.get_serializer(push).data)


def dry_run_body(results) -> dict:
    # TODO: adapt to the shape apps.bulk.services.dry_run returns once it lands
    lines = list(results)
    passing = sum(1 for line in lines if line["ok"])
    return {
        "total": len(lines),
        "passing": passing,
        "failing": len(lines) - passing,
        "sites": lines,
    }
