"""Certificate authorities the portal orders from."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.fields import EncryptedTextField


class CertificateAuthority(models.Model):
    class Backend(models.TextChoices):
        VOUCHER = "voucher", _("Voucher CA (OneClickSSL SOAP)")
        ACME = "acme", _("ACME (RFC 8555)")

    name = models.CharField(max_length=255, unique=True)
    backend = models.CharField(max_length=16, choices=Backend.choices)
    # WSDL address for the voucher backend, directory URL for ACME.
    endpoint = models.URLField(max_length=500)
    # TLS trust for the endpoint: a CA bundle (PEM); empty means the system store.
    ca_bundle = models.TextField(blank=True)
    # Roots an issued chain must build to (PEM), checked before installing.
    trusted_roots = models.TextField(blank=True)
    platform_id = models.CharField(max_length=64, blank=True)
    account_login = models.CharField(max_length=255, blank=True)
    account_secret = EncryptedTextField(blank=True)
    eab_kid = models.CharField(max_length=255, blank=True)
    eab_hmac = EncryptedTextField(blank=True)
    timeout = models.FloatField(default=60.0)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
