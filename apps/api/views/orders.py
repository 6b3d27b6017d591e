"""Orders: redeem a voucher on a site, follow the steps, retry a failed one."""

import logging

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts.scoping import scope
from apps.api.base import ScopedViewMixin
from apps.api.filters import ApiOrderFilter
from apps.api.idempotency import idempotent
from apps.api.permissions import is_staff
from apps.api.serializers.certificates import (
    OrderDetailSerializer,
    OrderSerializer,
    RedeemSerializer,
    StaffOrderDetailSerializer,
)
from apps.certificates import services as pipeline
from apps.certificates.models import Order
from apps.fleet.models import Site

logger = logging.getLogger(__name__)


class OrderViewSet(
    ScopedViewMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """One certificate's job for one site, step by step."""

    queryset = Order.objects.select_related("site", "voucher__owner")
    filterset_class = ApiOrderFilter
    ordering_fields = ["created_at", "finished_at", "state"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("steps")
        return queryset

    def get_serializer_class(self):
        if self.action == "create":
            return RedeemSerializer
        if self.action in ("retrieve", "retry"):
            if is_staff(self.request.user):
                return StaffOrderDetailSerializer
            return OrderDetailSerializer
        return OrderSerializer

    @extend_schema(request=RedeemSerializer, responses={201: OrderDetailSerializer})
    @idempotent
    def create(self, request: Request, *args, **kwargs) -> Response:
        """Redeem a voucher on one of your sites: the order starts at once and its
        steps can be followed at /orders/{id}/."""
        form = RedeemSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        site = self._site(data["site"])
        order = pipeline.redeem(
            user=request.user,
            site=site,
            voucher_code=data["voucher_code"],
            contact_email=data["contact_email"],
            accepted_terms=data["accept_terms"],
        )
        logger.info("API redeem on site %s: order %s", site.name, order.pk)
        return Response(self._detail(order), status=201)

    @extend_schema(request=None, responses=OrderDetailSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def retry(self, request: Request, pk: str | None = None) -> Response:
        """Run a failed order again from the step that failed."""
        order = pipeline.retry_order(self.get_object(), user=request.user)
        return Response(self._detail(order))

    def _site(self, pk: int) -> Site:
        site = scope(Site.objects.all(), self.request.user).filter(pk=pk).first()
        if site is None:
            raise ValidationError({"site": [f"There is no site {pk} among yours."]})
        return site

    def _detail(self, order: Order) -> dict:
        order = self.get_queryset().prefetch_related("steps").get(pk=order.pk)
        serializer = (
            StaffOrderDetailSerializer
            if is_staff(self.request.user)
            else OrderDetailSerializer
        )
        return serializer(order, context=self.get_serializer_context()).data
