"""The API's addresses; portal/urls.py mounts them under /api/."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from apps.api.errors import not_found
from apps.api.views.audit import AuditViewSet, me
from apps.api.views.certificates import (
    CertificateViewSet,
    HealthViewSet,
    RevocationViewSet,
)
from apps.api.views.fleet import AccountViewSet, ServerViewSet, SiteViewSet
from apps.api.views.orders import OrderViewSet
from apps.api.views.pushes import PushViewSet
from apps.api.views.vouchers import VoucherViewSet

# A trailing slash is optional, so `curl .../sites` and `.../sites/` both work.
router = DefaultRouter(trailing_slash="/?")
router.register("accounts", AccountViewSet, basename="account")
router.register("servers", ServerViewSet, basename="server")
router.register("sites", SiteViewSet, basename="site")
router.register("vouchers", VoucherViewSet, basename="voucher")
router.register("orders", OrderViewSet, basename="order")
router.register("certificates", CertificateViewSet, basename="certificate")
router.register("revocations", RevocationViewSet, basename="revocation")
router.register("health", HealthViewSet, basename="health")
router.register("pushes", PushViewSet, basename="push")
router.register("audit", AuditViewSet, basename="audit")

app_name = "api"
urlpatterns = [
    path("v1/me/", me, name="me"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "schema/docs/",
        SpectacularSwaggerView.as_view(url_name="api:schema"),
        name="docs",
    ),
    # Anything else under /api/ answers a JSON 404, not the HTML error page.
    re_path(r"^.*$", not_found),
]
