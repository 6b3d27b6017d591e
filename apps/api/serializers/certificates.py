"""Orders, certificates, revocations and health checks as the API shows them."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.certificates.models import Certificate, HealthCheck, Order, OrderStep
from apps.vouchers.disclosure import shown_code


class OrderStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrderStep
        fields = ["name", "outcome", "started_at", "finished_at", "detail"]
        read_only_fields = fields


class StaffOrderStepSerializer(OrderStepSerializer):
    """Provider staff also see the raw answers of Plesk and the CA (masked)."""

    class Meta(OrderStepSerializer.Meta):
        fields = [*OrderStepSerializer.Meta.fields, "raw"]
        read_only_fields = fields


class OrderSerializer(serializers.ModelSerializer):
    # Blank when unknown, so not always an email address.
    contact_email = serializers.CharField(read_only=True)
    site_name = serializers.CharField(source="site.display_name", read_only=True)
    voucher_code = serializers.SerializerMethodField(
        help_text="Masked (****2026) unless the voucher's owner is in your scope"
    )

    class Meta:
        model = Order
        fields = [
            "id",
            "site",
            "site_name",
            "voucher",
            "voucher_code",
            "push",
            "kind",
            "state",
            "step",
            "names",
            "contact_email",
            "error_code",
            "error_message",
            "error_advice",
            "attempts",
            "certificate",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_voucher_code(self, order: Order) -> str | None:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return shown_code(order.voucher, user) if order.voucher_id else None


class OrderDetailSerializer(OrderSerializer):
    steps = OrderStepSerializer(many=True, read_only=True)

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "steps"]
        read_only_fields = fields


class StaffOrderDetailSerializer(OrderDetailSerializer):
    steps = StaffOrderStepSerializer(many=True, read_only=True)


class RedeemSerializer(serializers.Serializer):
    """Order a certificate for one site with a voucher."""

    site = serializers.IntegerField(min_value=1)
    voucher_code = serializers.CharField(max_length=128)
    contact_email = serializers.EmailField()
    accept_terms = serializers.BooleanField(
        help_text="The subscriber terms must be accepted (true)"
    )

    def validate_accept_terms(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError("The subscriber terms must be accepted.")
        return value


class CertificateSerializer(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.display_name", read_only=True)
    serial = serializers.CharField(source="serial_hex", read_only=True)

    class Meta:
        model = Certificate
        fields = [
            "id",
            "site",
            "site_name",
            "status",
            "serial",
            "subject_cn",
            "sans",
            "issuer",
            "not_before",
            "not_after",
            "fingerprint_sha256",
            "plesk_name",
            "voucher",
            "created_at",
            "revoked_at",
        ]
        read_only_fields = fields


class HealthCheckSerializer(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.display_name", read_only=True)

    class Meta:
        model = HealthCheck
        fields = [
            "id",
            "site",
            "site_name",
            "checked_at",
            "address",
            "ok",
            "served_fingerprint",
            "matches_installed",
            "chain_complete",
            "hostname_matches",
            "days_left",
            "error",
        ]
        read_only_fields = fields


class HealthRunSerializer(serializers.Serializer):
    site = serializers.IntegerField(min_value=1)


class RevocationSerializer(serializers.Serializer):
    serial = serializers.CharField(
        max_length=200,
        help_text="Any spelling: hex with spaces, colons, 0x, any case; or decimal",
    )
    confirm = serializers.BooleanField(
        help_text="Must be true: a revocation cannot be undone (else code 7603)"
    )
    site = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The site the certificate is on; needed only when the serial "
        "is found on more than one of your sites",
    )


class ReplacementSerializer(serializers.Serializer):
    """What can secure the site again at once: POST /orders/ with one of these."""

    site = serializers.IntegerField(source="site.pk")
    names = serializers.ListField(child=serializers.CharField())
    vouchers = serializers.SerializerMethodField(
        help_text="Codes of your vouchers that pass every local check, best first"
    )
    purchase_url = serializers.CharField(allow_blank=True)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_vouchers(self, replacement) -> list[str]:
        return [voucher.code for voucher in replacement.vouchers]


class RevokedSerializer(serializers.Serializer):
    certificate = CertificateSerializer()
    replacement = ReplacementSerializer()
