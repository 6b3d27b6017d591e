"""Vouchers and the requests that import, assign and cancel them."""

from rest_framework import serializers

from apps.api.serializers.scoped import ScopedAccountField
from apps.vouchers.models import Voucher


class VoucherSerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    uses_left = serializers.IntegerField(read_only=True)

    class Meta:
        model = Voucher
        fields = [
            "id",
            "code",
            "kind",
            "status",
            "certificate_days",
            "expires_at",
            "networks",
            "platform",
            "bound_name",
            "allow_san",
            "allow_wildcard",
            "uses_allowed",
            "uses_reserved",
            "uses_spent",
            "uses_left",
            "reissues_per_day",
            "owner",
            "owner_name",
            "note",
            "created_at",
            "cancelled_at",
        ]
        read_only_fields = fields


class VoucherImportSerializer(serializers.Serializer):
    """A CSV of vouchers, as an uploaded file or as text in a JSON body."""

    file = serializers.FileField(required=False, help_text="The CSV file")
    csv = serializers.CharField(
        required=False, trim_whitespace=False, help_text="Or: the CSV text itself"
    )
    owner = ScopedAccountField(
        required=False,
        help_text="Account the vouchers belong to (default: the provider)",
    )

    def validate(self, attrs: dict) -> dict:
        if bool(attrs.get("file")) == bool(attrs.get("csv")):
            raise serializers.ValidationError("Send either 'file' or 'csv'.")
        return attrs

    def csv_text(self) -> str:
        upload = self.validated_data.get("file")
        if upload is None:
            return self.validated_data["csv"]
        raw = upload.read()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise serializers.ValidationError(
                {"file": ["The CSV must be UTF-8 text."]}
            ) from exc


class ImportLineSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    ok = serializers.BooleanField()
    code = serializers.CharField(allow_blank=True)
    error = serializers.CharField(allow_blank=True)


class ImportReportSerializer(serializers.Serializer):
    imported = serializers.IntegerField()
    lines = ImportLineSerializer(many=True)


class AssignSerializer(serializers.Serializer):
    owner = ScopedAccountField(help_text="Reseller or customer account")


class FindVoucherSerializer(serializers.Serializer):
    code = serializers.CharField(
        max_length=128, help_text="As typed: case, spaces and dashes do not matter"
    )
