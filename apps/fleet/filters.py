"""Filter sets for servers and sites, shared by the pages and the API.

A site's certificate state is derived in the database (one annotation, no query per
row): failing when its latest order failed or its latest health check did not pass,
else expiring when its certificate ends within EXPIRING_DAYS, else secured when it has
an active certificate, else not secured.
"""

import datetime as dt

import django_filters
from django import forms
from django.db.models import (
    Case,
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from apps.accounts.filters import IntegerFilter
from apps.accounts.models import Account
from apps.accounts.scoping import scope
from apps.certificates.models import Certificate, HealthCheck, Order
from apps.core import clock
from apps.fleet.models import PleskServer, Site

EXPIRING_DAYS = 30
MAX_DAYS = 100 * 366


class CertState:
    SECURED = "secured"
    EXPIRING = "expiring"
    FAILING = "failing"
    UNSECURED = "unsecured"

    choices = [
        (SECURED, _("Secured")),
        (EXPIRING, _("Expiring soon")),
        (FAILING, _("Failing")),
        (UNSECURED, _("Not secured")),
    ]


def secured(now: dt.datetime | None = None) -> Q:
    """What "secured" means everywhere (site lists, push filters): the site's
    current certificate is active (not revoked, not replaced) and not expired."""
    now = now or clock.now()
    return Q(current_certificate__status=Certificate.Status.ACTIVE) & Q(
        current_certificate__not_after__gt=now
    )


def unsecured(queryset: QuerySet, now: dt.datetime | None = None) -> QuerySet:
    """The sites of `queryset` that are not secured: no certificate, or one that
    was revoked, replaced or has expired."""
    return queryset.exclude(pk__in=Site.objects.filter(secured(now)).values("pk"))


def with_certificate_status(queryset: QuerySet, now: dt.datetime | None = None):
    """Annotate sites with `health_ok`, `last_order_state`, `last_error_code` and
    `cert_state` (one of CertState)."""
    if "cert_state" in queryset.query.annotations:
        return queryset
    now = now or clock.now()
    latest_health = HealthCheck.objects.filter(site_id=OuterRef("pk")).order_by(
        "-checked_at", "-pk"
    )
    latest_order = Order.objects.filter(site_id=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )
    soon = now + dt.timedelta(days=EXPIRING_DAYS)
    active = secured(now)
    return queryset.annotate(
        health_ok=Subquery(latest_health.values("ok")[:1]),
        last_order_state=Subquery(latest_order.values("state")[:1]),
        last_error_code=Subquery(latest_order.values("error_code")[:1]),
    ).annotate(
        cert_state=Case(
            When(
                Q(health_ok=False) | Q(last_order_state=Order.State.FAILED),
                then=Value(CertState.FAILING),
            ),
            When(
                active & Q(current_certificate__not_after__lte=soon),
                then=Value(CertState.EXPIRING),
            ),
            When(active, then=Value(CertState.SECURED)),
            default=Value(CertState.UNSECURED),
        )
    )


def status_counts(queryset: QuerySet) -> dict[str, int]:
    """How many of the sites are in each certificate state, in one query."""
    annotated = with_certificate_status(queryset)
    counts = annotated.aggregate(
        total=Count("pk"),
        **{
            state: Count("pk", filter=Q(cert_state=state))
            for state, _label in CertState.choices
        },
    )
    return {key: value or 0 for key, value in counts.items()}


def _scoped_servers(request):
    return scope(PleskServer.objects.order_by("name"), request.user)


def _scoped_accounts(request):
    accounts = Account.objects.exclude(kind=Account.Kind.PROVIDER).order_by("name")
    return scope(accounts, request.user)


class SiteFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name contains"))
    server = django_filters.ModelChoiceFilter(
        queryset=_scoped_servers, label=_("Server")
    )
    # By id (API, links from an account's page); pages type a name instead, as a
    # list of every customer would be too long to choose from.
    owner = django_filters.ModelChoiceFilter(
        queryset=_scoped_accounts,
        method="owned_by",
        label=_("Owner"),
        widget=forms.HiddenInput,
    )
    owner_name = django_filters.CharFilter(
        field_name="owner__name", lookup_expr="icontains", label=_("Owner contains")
    )
    status = django_filters.ChoiceFilter(
        choices=CertState.choices, method="by_status", label=_("Certificate")
    )
    expiring_within = IntegerFilter(
        method="by_expiry",
        label=_("Expires within (days)"),
        min_value=0,
        max_value=MAX_DAYS,
    )

    class Meta:
        model = Site
        fields = ["q", "server", "owner", "owner_name", "status", "expiring_within"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if getattr(user, "is_authenticated", False) and not user.is_provider_staff:
            # Servers are the provider's; others have none to choose from.
            del self.filters["server"]

    def search(self, queryset, name, value):
        term = value.strip().lower()
        return queryset.filter(Q(name__contains=term) | Q(display_name__icontains=term))

    def owned_by(self, queryset, name, value):
        """An owner's whole subtree: a reseller's sites include its customers'."""
        return queryset.filter(owner__path__startswith=value.path)

    def by_status(self, queryset, name, value):
        return with_certificate_status(queryset).filter(cert_state=value)

    def by_expiry(self, queryset, name, value):
        until = clock.now() + dt.timedelta(days=int(value))
        return queryset.filter(
            current_certificate__status=Certificate.Status.ACTIVE,
            current_certificate__not_after__lte=until,
        )


class ServerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or host contains"))
    sync_state = django_filters.ChoiceFilter(
        choices=PleskServer.SyncState.choices, label=_("Sync")
    )

    class Meta:
        model = PleskServer
        fields = ["q", "sync_state"]

    def search(self, queryset, name, value):
        term = value.strip()
        return queryset.filter(Q(name__icontains=term) | Q(host__icontains=term))
