"""Sites with their certificate status, one site's detail, and its live TLS test."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from apps.accounts.scoping import scope
from apps.accounts.views import ScopedListView
from apps.ca.errors import CertfleetError
from apps.certificates.lifecycle import health
from apps.certificates.models import HealthCheck, Order
from apps.fleet.filters import SiteFilter, with_certificate_status
from apps.fleet.models import Site
from apps.fleet.tables import SiteTable

RECENT = 10


class SiteListView(ScopedListView):
    table_class = SiteTable
    filterset_class = SiteFilter
    template_name = "fleet/site_list.html"

    def base_queryset(self):
        sites = Site.objects.select_related("server", "owner", "current_certificate")
        return with_certificate_status(sites).order_by("name")

    def get_table_kwargs(self):
        if self.request.user.role == "customer":
            return {"exclude": ("server", "owner")}
        return {}


def scoped_site(request, pk: int) -> Site:
    sites = Site.objects.select_related("server", "owner", "current_certificate")
    return get_object_or_404(scope(sites, request.user), pk=pk)


@login_required
def site_detail(request, pk: int):
    site = scoped_site(request, pk)
    context = {
        "site": site,
        "certificate": site.current_certificate,
        "checks": HealthCheck.objects.filter(site=site)[:RECENT],
        "orders": Order.objects.filter(site=site)
        .select_related("voucher")
        .order_by("-created_at", "-pk")[:RECENT],
    }
    return render(request, "fleet/site_detail.html", context)


@login_required
@require_POST
def site_test(request, pk: int):
    """Run a TLS handshake with the site now and show what it serves."""
    site = scoped_site(request, pk)
    try:
        check = health.check_site(site)
    except CertfleetError as exc:
        failure = {
            "code": exc.code,
            "message": exc.info.message,
            "advice": exc.info.advice,
            "detail": exc.detail,
        }
        return render(request, "fleet/_site_test.html", {"failure": failure})
    checks = HealthCheck.objects.filter(site=site)[:RECENT]
    context = {"site": site, "check": check, "checks": checks}
    return render(request, "fleet/_site_test.html", context)
