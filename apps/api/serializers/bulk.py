"""Bulk pushes: what to push where, the dry run and the progress."""

from rest_framework import serializers

from apps.accounts.models import Account
from apps.api.serializers.scoped import ScopedAccountField
from apps.bulk.models import Push
from apps.fleet.models import PleskServer
from apps.vouchers import networks


class TargetFilterSerializer(serializers.Serializer):
    """Which sites: every field narrows; an empty filter means every active site."""

    server = serializers.PrimaryKeyRelatedField(
        queryset=PleskServer.objects.all(), required=False
    )
    # Limited to their kind: a customer's id as reseller reads like an unknown id.
    reseller = ScopedAccountField(
        queryset=Account.objects.filter(kind=Account.Kind.RESELLER),
        required=False,
        help_text="Whole subtree",
    )
    customer = ScopedAccountField(
        queryset=Account.objects.filter(kind=Account.Kind.CUSTOMER), required=False
    )
    ip_range = serializers.CharField(
        required=False,
        max_length=200,
        help_text="CIDR or first-last range, e.g. 127.0.1.0/24",
    )
    not_secured = serializers.BooleanField(
        required=False, help_text="Only sites without a certificate"
    )
    expiring_days = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=3650,
        help_text="Only sites whose certificate ends within this many days",
    )

    def validate_ip_range(self, value: str) -> str:
        try:
            networks.parse(value)
        except networks.NetworkError as exc:
            raise serializers.ValidationError(str(exc)) from exc
        return value

    def to_internal_value(self, data):
        """The filter as apps.bulk.services.select_sites reads it: ids, not rows.
        A key the filter does not have is refused: ignoring a typo would aim the
        push at every site."""
        if isinstance(data, dict):
            unknown = sorted(str(key) for key in data if key not in self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {
                        key: [f"Unknown filter key; use {', '.join(self.fields)}."]
                        for key in unknown
                    }
                )
        values = super().to_internal_value(data)
        return {
            name: getattr(value, "pk", value)
            for name, value in values.items()
            if value is not None and value is not False and value != ""
        }


class PushRequestSerializer(serializers.Serializer):
    voucher_code = serializers.CharField(max_length=128)
    names = serializers.ListField(
        child=serializers.CharField(max_length=253),
        required=False,
        max_length=100_000,
        help_text="Site names (as in a CSV upload); or use 'filter'",
    )
    filter = TargetFilterSerializer(required=False)
    contact_email = serializers.EmailField()

    def validate(self, attrs: dict) -> dict:
        if ("names" in attrs) == ("filter" in attrs):
            raise serializers.ValidationError("Send either 'names' or 'filter'.")
        if "names" in attrs and not attrs["names"]:
            raise serializers.ValidationError({"names": ["Name at least one site."]})
        return attrs


class ProblemSerializer(serializers.Serializer):
    code = serializers.IntegerField()
    message = serializers.CharField(source="info.message")
    advice = serializers.CharField(source="info.advice")
    detail = serializers.CharField(allow_blank=True)


class DryRunRowSerializer(serializers.Serializer):
    site = serializers.IntegerField(source="site.pk")
    name = serializers.CharField(source="site.display_name")
    server = serializers.CharField(source="site.server.name")
    ok = serializers.BooleanField()
    problems = ProblemSerializer(many=True)


class DryRunSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    passing = serializers.IntegerField()
    failing = serializers.IntegerField()
    sites = DryRunRowSerializer(many=True)


class FailureGroupSerializer(serializers.Serializer):
    code = serializers.IntegerField()
    count = serializers.IntegerField()
    message = serializers.CharField()
    advice = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Sites the push aims at")
    done = serializers.IntegerField(help_text="Secured (already_done included)")
    failed = serializers.IntegerField()
    held = serializers.IntegerField(help_text="Held for review at the CA")
    running = serializers.IntegerField()
    waiting = serializers.IntegerField()
    already_done = serializers.IntegerField(
        help_text="Secured by this voucher before the push"
    )
    finished = serializers.IntegerField()
    percent = serializers.IntegerField()
    complete = serializers.BooleanField()
    failures = FailureGroupSerializer(many=True, help_text="Failed orders by code")


class PushSerializer(serializers.ModelSerializer):
    # Blank when unknown, so not always an email address.
    contact_email = serializers.CharField(read_only=True)
    voucher_code = serializers.CharField(source="voucher.code", read_only=True)
    created_by = serializers.CharField(
        source="created_by.username", read_only=True, allow_null=True
    )

    class Meta:
        model = Push
        fields = [
            "id",
            "voucher",
            "voucher_code",
            "target",
            "contact_email",
            "state",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class RetryResultSerializer(serializers.Serializer):
    retried = serializers.IntegerField(help_text="Failed orders sent again")
    push = PushSerializer()
