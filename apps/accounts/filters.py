"""Filter pieces shared by every app's filter sets (pages and API alike)."""

import django_filters
from django import forms

# PostgreSQL's bigint; SQLite's INTEGER has the same range.
BIGINT_MIN = -(2**63)
BIGINT_MAX = 2**63 - 1


class IntegerFilter(django_filters.NumberFilter):
    """A whole number within the database's range: ids, codes, days. Anything else
    is a form error (400 in the API, an empty list on a page), never a crash."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", BIGINT_MIN)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(*args, **kwargs)
