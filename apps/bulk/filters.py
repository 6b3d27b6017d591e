"""Filter set for bulk pushes, shared by the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from apps.bulk.models import Push


class PushFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=Push.State.choices, label=_("State"))

    class Meta:
        model = Push
        fields = ["state"]
