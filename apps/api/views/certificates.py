"""Certificates, revocation by serial number, and health checks."""

import logging

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts.scoping import scope
from apps.api.base import ScopedViewMixin
from apps.api.errors import ApiError
from apps.api.filters import ApiCertificateFilter
from apps.api.idempotency import idempotent
from apps.api.serializers.certificates import (
    CertificateSerializer,
    HealthCheckSerializer,
    HealthRunSerializer,
    RevocationSerializer,
    RevokedSerializer,
)
from apps.ca import errors as catalogue
from apps.ca.errors import CertfleetError
from apps.certificates.lifecycle import health, revocation
from apps.certificates.lifecycle.replacement import replacement_for
from apps.certificates.models import Certificate, HealthCheck
from apps.core import serials
from apps.fleet.models import Site

logger = logging.getLogger(__name__)


class CertificateViewSet(ScopedViewMixin, viewsets.ReadOnlyModelViewSet):
    """Certificates issued to your sites."""

    queryset = Certificate.objects.select_related("site")
    serializer_class = CertificateSerializer
    filterset_class = ApiCertificateFilter
    ordering_fields = ["not_after", "created_at", "subject_cn"]
    ordering = ["-created_at", "-pk"]

    @extend_schema(responses={(200, "application/x-pem-file"): OpenApiTypes.STR})
    @action(detail=True, methods=["get"])
    def pem(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The certificate and its chain in PEM (no private key)."""
        certificate = self.get_object()
        body = certificate.cert_pem.strip() + "\n"
        if certificate.chain_pem.strip():
            body += certificate.chain_pem.strip() + "\n"
        response = HttpResponse(body, content_type="application/x-pem-file")
        filename = f"{certificate.subject_cn}-{certificate.serial_hex}.pem"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class RevocationViewSet(ScopedViewMixin, viewsets.GenericViewSet):
    """Revoke a certificate by its serial number."""

    queryset = Certificate.objects.select_related("site")
    serializer_class = RevocationSerializer

    @extend_schema(request=RevocationSerializer, responses={200: RevokedSerializer})
    @idempotent
    def create(self, request: Request) -> Response:
        """The CA is told (after proving control of the site), the certificate is
        marked revoked, and vouchers that could replace it at once are offered.
        Irreversible: the body must say confirm=true."""
        form = RevocationSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        site = self._site(data["serial"], data.get("site"))
        certificate = revocation.revoke(
            user=request.user,
            site=site,
            serial_text=data["serial"],
            confirm=data["confirm"],
        )
        logger.info(
            "API revoked certificate %s of site %s", certificate.serial_hex, site.name
        )
        offer = replacement_for(user=request.user, certificate=certificate)
        body = {"certificate": certificate, "replacement": offer}
        return Response(RevokedSerializer(body).data)

    def _site(self, serial_text: str, site_id: int | None) -> Site:
        """The site named, or the one site whose certificate has this serial."""
        sites = scope(Site.objects.all(), self.request.user)
        if site_id is not None:
            site = sites.filter(pk=site_id).first()
            if site is None:
                raise ValidationError({"site": ["There is no such site among yours."]})
            return site
        try:
            keys = [serials.key(value) for value in serials.candidates(serial_text)]
        except serials.InvalidSerial as exc:
            raise CertfleetError(catalogue.SERIAL_INVALID, serial_text) from exc
        site_ids = set(
            self.get_queryset()
            .filter(serial_key__in=keys)
            .values_list("site_id", flat=True)
        )
        if not site_ids:
            raise ApiError(
                catalogue.API_NOT_FOUND,
                f"No certificate of yours has serial {serial_text}.",
            )
        if len(site_ids) > 1:
            raise ValidationError(
                {"site": ["This serial is on several of your sites; name the site."]}
            )
        return sites.get(pk=site_ids.pop())


class HealthViewSet(
    ScopedViewMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """TLS checks of your sites: what they serve, drift, chain, days left."""

    queryset = HealthCheck.objects.select_related("site")
    serializer_class = HealthCheckSerializer
    filterset_fields = ["site", "ok", "matches_installed", "chain_complete"]
    ordering_fields = ["checked_at", "days_left"]
    ordering = ["-checked_at", "-pk"]

    @extend_schema(request=HealthRunSerializer, responses={201: HealthCheckSerializer})
    @idempotent
    def create(self, request: Request, *args, **kwargs) -> Response:
        """Check one site now with a TLS handshake ("test my site")."""
        form = HealthRunSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        sites = scope(Site.objects.select_related("server"), request.user)
        site = sites.filter(pk=form.validated_data["site"]).first()
        if site is None:
            raise ValidationError({"site": ["There is no such site among yours."]})
        check = health.check_site(site)
        return Response(self.get_serializer(check).data, status=201)
