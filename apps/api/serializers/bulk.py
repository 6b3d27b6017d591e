"""Bulk pushes: what to push where, the dry run and the progress."""

from rest_framework import serializers

from apps.bulk.models import Push
from apps.fleet.filters import CertState


class TargetFilterSerializer(serializers.Serializer):
    """Which sites: every field narrows; an empty filter means every site."""

    server = serializers.IntegerField(required=False, min_value=1)
    owner = serializers.IntegerField(
        required=False, min_value=1, help_text="Reseller or customer (whole subtree)"
    )
    status = serializers.ChoiceField(choices=CertState.choices, required=False)
    expiring_within = serializers.IntegerField(
        required=False, min_value=0, max_value=3650, help_text="Days"
    )
    ip_range = serializers.CharField(
        required=False, max_length=100, help_text="CIDR or first-last range"
    )
    q = serializers.CharField(required=False, max_length=253, help_text="Name contains")


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


class DryRunLineSerializer(serializers.Serializer):
    site = serializers.IntegerField()
    name = serializers.CharField()
    ok = serializers.BooleanField()
    code = serializers.IntegerField(allow_null=True)
    message = serializers.CharField(allow_blank=True)
    advice = serializers.CharField(allow_blank=True)


class DryRunSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    passing = serializers.IntegerField()
    failing = serializers.IntegerField()
    sites = DryRunLineSerializer(many=True)


class FailureGroupSerializer(serializers.Serializer):
    code = serializers.IntegerField()
    count = serializers.IntegerField()
    message = serializers.CharField()
    advice = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    failed = serializers.IntegerField()
    held = serializers.IntegerField()
    waiting = serializers.IntegerField()
    running = serializers.IntegerField()
    finished = serializers.BooleanField()
    failures = FailureGroupSerializer(many=True)


class PushSerializer(serializers.ModelSerializer):
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
