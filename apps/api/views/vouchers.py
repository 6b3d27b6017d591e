"""Vouchers: list, find by code, import from CSV, assign, cancel."""

import logging

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from apps.api.base import ScopedViewMixin
from apps.api.errors import error_body
from apps.api.idempotency import idempotent
from apps.api.permissions import StaffOnly, StaffOrReseller
from apps.api.serializers.vouchers import (
    AssignSerializer,
    FindVoucherSerializer,
    ImportReportSerializer,
    VoucherImportSerializer,
    VoucherSerializer,
)
from apps.ca import errors as catalogue
from apps.vouchers import services as vouchers
from apps.vouchers.filters import VoucherFilter, with_balance
from apps.vouchers.models import Voucher

logger = logging.getLogger(__name__)


class VoucherViewSet(ScopedViewMixin, viewsets.ReadOnlyModelViewSet):
    """Vouchers you own or that belong to accounts below you."""

    queryset = Voucher.objects.select_related("owner")
    serializer_class = VoucherSerializer
    filterset_class = VoucherFilter
    ordering_fields = ["code", "expires_at", "created_at", "uses_spent", "balance"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self) -> QuerySet:
        return with_balance(super().get_queryset())

    @extend_schema(
        request=VoucherImportSerializer,
        responses={201: ImportReportSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        permission_classes=[StaffOnly],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    @idempotent
    def import_csv(self, request: Request) -> Response:
        """Import vouchers from CSV; every line is checked and nothing is imported
        unless all lines are good (else 400, code 7501, with the per-line report
        under `lines`)."""
        form = VoucherImportSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        form.is_valid(raise_exception=True)
        owner = form.validated_data.get("owner")
        report = vouchers.import_csv(form.csv_text(), owner=owner, user=request.user)
        lines = ImportReportSerializer(report).data
        if report.ok and report.imported:
            return Response(lines, status=201)
        failed = len(report.failed)
        detail = (
            f"{failed} of {len(report.lines)} lines have problems; nothing imported."
        )
        return Response(error_body(catalogue.API_INVALID, detail, **lines), status=400)

    @extend_schema(request=AssignSerializer, responses=VoucherSerializer)
    @action(detail=True, methods=["post"], permission_classes=[StaffOrReseller])
    @idempotent
    def assign(self, request: Request, pk: str | None = None) -> Response:
        """Hand the voucher to a reseller or customer below you."""
        voucher = self.get_object()
        form = AssignSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        form.is_valid(raise_exception=True)
        voucher = vouchers.assign(
            voucher, form.validated_data["owner"], user=request.user
        )
        return Response(self.get_serializer(voucher).data)

    @extend_schema(request=None, responses=VoucherSerializer)
    @action(detail=True, methods=["post"], permission_classes=[StaffOnly])
    @idempotent
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancel the voucher: no new orders can use it."""
        voucher = vouchers.cancel(self.get_object(), user=request.user)
        return Response(self.get_serializer(voucher).data)

    @extend_schema(
        parameters=[FindVoucherSerializer],
        responses={200: VoucherSerializer, 422: OpenApiResponse(description="-9001")},
    )
    @action(detail=False, methods=["get"])
    def find(self, request: Request) -> Response:
        """Look a voucher up by its code as a person typed it."""
        form = FindVoucherSerializer(data=request.query_params)
        form.is_valid(raise_exception=True)
        voucher = vouchers.find_voucher(form.validated_data["code"], user=request.user)
        return Response(self.get_serializer(voucher).data)
