"""Filter set for the audit log, shared by the pages and the API."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.audit.models import AuditEvent

# The browser's own date picker; the value is still YYYY-MM-DD.
DATE = forms.DateInput(attrs={"type": "date"})


class AuditFilter(django_filters.FilterSet):
    action = django_filters.CharFilter(
        lookup_expr="startswith", label=_("Action starts with")
    )
    actor = django_filters.CharFilter(
        field_name="actor__username", lookup_expr="iexact", label=_("By user")
    )
    since = django_filters.DateFilter(
        field_name="at", lookup_expr="date__gte", label=_("From"), widget=DATE
    )
    until = django_filters.DateFilter(
        field_name="at", lookup_expr="date__lte", label=_("To"), widget=DATE
    )

    class Meta:
        model = AuditEvent
        fields = ["action", "actor", "since", "until"]
