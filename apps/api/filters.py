"""The API's filter sets: the pages' own (one filter set shared by pages and API),
plus what scripts also need, such as ids and serials in any spelling."""

import django_filters
from django.db.models import QuerySet
from rest_framework.exceptions import ValidationError

from apps.accounts.filters import IntegerFilter
from apps.audit.filters import AuditFilter
from apps.bulk.filters import PushFilter
from apps.certificates.filters import CertificateFilter, OrderFilter
from apps.core import serials


class ApiOrderFilter(OrderFilter):
    site = IntegerFilter(field_name="site_id")
    voucher = IntegerFilter(field_name="voucher_id")

    class Meta(OrderFilter.Meta):
        fields = [*OrderFilter.Meta.fields, "site", "voucher"]


class ApiCertificateFilter(CertificateFilter):
    serial = django_filters.CharFilter(
        method="by_serial", label="Serial (hex with spaces, colons, 0x; or decimal)"
    )
    site = IntegerFilter(field_name="site_id")
    voucher = IntegerFilter(field_name="voucher_id")

    class Meta(CertificateFilter.Meta):
        fields = [*CertificateFilter.Meta.fields, "serial", "site", "voucher"]

    def by_serial(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        try:
            keys = [serials.key(number) for number in serials.candidates(value)]
        except serials.InvalidSerial as exc:
            raise ValidationError({"serial": [str(exc)]}) from exc
        return queryset.filter(serial_key__in=keys)


class ApiPushFilter(PushFilter):
    voucher = IntegerFilter(field_name="voucher_id")

    class Meta(PushFilter.Meta):
        fields = [*PushFilter.Meta.fields, "voucher"]


class ApiAuditFilter(AuditFilter):
    object_type = django_filters.CharFilter(label="Object type, e.g. fleet.site")
    object_id = django_filters.CharFilter()
    account = IntegerFilter(field_name="account_id")

    class Meta(AuditFilter.Meta):
        fields = [*AuditFilter.Meta.fields, "object_type", "object_id", "account"]
