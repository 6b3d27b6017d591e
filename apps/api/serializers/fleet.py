"""Servers, sites and accounts as the API shows them."""

from rest_framework import serializers

from apps.accounts.models import Account
from apps.ca.errors import CertfleetError
from apps.fleet.filters import CertState
from apps.fleet.models import PleskServer, Site
from apps.fleet.services import identity


class AccountSerializer(serializers.ModelSerializer):
    # Blank when unknown, so not always an email address.
    email = serializers.CharField(read_only=True)

    class Meta:
        model = Account
        fields = ["id", "kind", "name", "parent", "email", "auto_renew", "created_at"]
        read_only_fields = fields


class ServerSerializer(serializers.ModelSerializer):
    secret = serializers.CharField(
        write_only=True,
        style={"input_type": "password"},
        help_text="Secret key, or the password when auth is 'password'",
    )
    site_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = PleskServer
        fields = [
            "id",
            "name",
            "host",
            "port",
            "auth",
            "login",
            "secret",
            "fingerprint_sha256",
            "ca_bundle",
            "timeout",
            "https_port",
            "max_concurrency",
            "enabled",
            "sync_interval_minutes",
            "guid",
            "plesk_version",
            "protocol_version",
            "sync_state",
            "sync_message",
            "sync_done",
            "sync_total",
            "last_sync_at",
            "site_count",
            "created_at",
        ]
        read_only_fields = [
            "sync_done",
            "sync_total",
            "guid",
            "plesk_version",
            "protocol_version",
            "sync_state",
            "sync_message",
            "last_sync_at",
            "created_at",
        ]
        extra_kwargs = {
            "timeout": {"min_value": 1.0, "max_value": 600.0},
            "port": {"min_value": 1, "max_value": 65535},
            "https_port": {"min_value": 1, "max_value": 65535},
            "max_concurrency": {"min_value": 1, "max_value": 1000},
        }

    def validate_host(self, value: str) -> str:
        return check_host(value)

    def validate_fingerprint_sha256(self, value: str) -> str:
        return check_fingerprint(value)

    def validate_ca_bundle(self, value: str) -> str:
        try:
            return identity.ca_bundle(value)
        except CertfleetError as exc:
            raise serializers.ValidationError(
                "The CA bundle must be one or more PEM certificates."
            ) from exc


class ServerUpdateSerializer(ServerSerializer):
    """A change of a server: the name stays; a new secret is optional."""

    secret = serializers.CharField(
        write_only=True, required=False, style={"input_type": "password"}
    )

    class Meta(ServerSerializer.Meta):
        read_only_fields = [*ServerSerializer.Meta.read_only_fields, "name"]


class FingerprintRequestSerializer(serializers.Serializer):
    host = serializers.CharField(max_length=255)
    port = serializers.IntegerField(min_value=1, max_value=65535, default=8443)

    def validate_host(self, value: str) -> str:
        return check_host(value)


class FingerprintSerializer(serializers.Serializer):
    fingerprint_sha256 = serializers.CharField(
        help_text="Colon hex; confirm it, then send it when adding the server"
    )


class SyncReportSerializer(serializers.Serializer):
    skipped = serializers.BooleanField(help_text="Another sync was already running")
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    orphaned = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    accounts_created = serializers.IntegerField()
    accounts_updated = serializers.IntegerField()
    seconds = serializers.FloatField()
    problems = serializers.ListField(child=serializers.CharField())
    summary = serializers.CharField()


class SyncResultSerializer(serializers.Serializer):
    report = SyncReportSerializer()
    server = ServerSerializer()


def check_host(value: str) -> str:
    """A panel's host: an IP address (no IPv6 zone) or a domain name (stored in
    A-label form)."""
    try:
        return identity.panel_host(value)
    except CertfleetError as exc:
        raise serializers.ValidationError(
            "Give the panel's IP address or host name."
        ) from exc


def check_fingerprint(value: str) -> str:
    """A SHA-256 fingerprint in hex (colons and spaces allowed), as colon hex."""
    try:
        return identity.fingerprint(value)
    except CertfleetError as exc:
        raise serializers.ValidationError(
            "A SHA-256 fingerprint is 64 hex digits, e.g. AB:12:... (32 pairs)."
        ) from exc


class CurrentCertificateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    serial = serializers.CharField(source="serial_hex")
    not_after = serializers.DateTimeField()
    status = serializers.CharField()


class SiteSerializer(serializers.ModelSerializer):
    server_name = serializers.CharField(source="server.name", read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    certificate = CurrentCertificateSerializer(
        source="current_certificate", read_only=True, allow_null=True
    )
    cert_state = serializers.ChoiceField(
        choices=CertState.choices, read_only=True, required=False
    )
    last_error_code = serializers.IntegerField(
        read_only=True, required=False, allow_null=True
    )

    class Meta:
        model = Site
        fields = [
            "id",
            "name",
            "display_name",
            "kind",
            "state",
            "server",
            "server_name",
            "owner",
            "owner_name",
            "ip_addresses",
            "ssl_enabled",
            "bound_certificate_name",
            "certificate",
            "cert_state",
            "last_error_code",
            "synced_at",
            "created_at",
        ]
        read_only_fields = fields
