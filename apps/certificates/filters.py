"""Filter sets for orders and certificates, shared by the pages and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.accounts.filters import IntegerFilter
from apps.certificates.models import Certificate, Order

# The browser's own date picker; the value is still YYYY-MM-DD.
DATE = forms.DateInput(attrs={"type": "date"})


class OrderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Site contains"))
    state = django_filters.ChoiceFilter(choices=Order.State.choices, label=_("State"))
    kind = django_filters.ChoiceFilter(choices=Order.Kind.choices, label=_("Kind"))
    error_code = IntegerFilter(label=_("Error code"))
    push = IntegerFilter(field_name="push_id", label=_("Push"))

    class Meta:
        model = Order
        fields = ["q", "state", "kind", "error_code", "push"]

    def search(self, queryset, name, value):
        term = value.strip()
        return queryset.filter(
            Q(site__name__icontains=term) | Q(site__display_name__icontains=term)
        )


class CertificateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name contains"))
    status = django_filters.ChoiceFilter(
        choices=Certificate.Status.choices, label=_("Status")
    )
    expires_before = django_filters.DateFilter(
        field_name="not_after",
        lookup_expr="date__lte",
        label=_("Expires by"),
        widget=DATE,
    )

    class Meta:
        model = Certificate
        fields = ["q", "status", "expires_before"]

    def search(self, queryset, name, value):
        term = value.strip().lower()
        return queryset.filter(
            Q(subject_cn__icontains=term) | Q(site__display_name__icontains=term)
        )
