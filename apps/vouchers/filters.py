"""Filter set for the voucher inventory, shared by the pages and the API."""

import django_filters
from django import forms
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Account
from apps.accounts.scoping import scope
from apps.vouchers import codes
from apps.vouchers.models import Voucher


def with_balance(queryset: QuerySet) -> QuerySet:
    """Annotate `balance`, the uses neither spent nor reserved, so it sorts in SQL."""
    return queryset.annotate(
        balance=F("uses_allowed") - F("uses_spent") - F("uses_reserved")
    )


def _scoped_accounts(request):
    return scope(Account.objects.order_by("name"), request.user)


class VoucherFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Code contains"))
    kind = django_filters.ChoiceFilter(choices=Voucher.Kind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(
        choices=Voucher.Status.choices, label=_("Status")
    )
    owner = django_filters.ModelChoiceFilter(
        queryset=_scoped_accounts, label=_("Owner"), widget=forms.HiddenInput
    )
    owner_name = django_filters.CharFilter(
        field_name="owner__name", lookup_expr="icontains", label=_("Owner contains")
    )

    class Meta:
        model = Voucher
        fields = ["q", "kind", "status", "owner", "owner_name"]

    def search(self, queryset, name, value):
        return queryset.filter(code__contains=codes.normalize(value))
