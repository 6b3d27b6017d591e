"""The ACME backend (RFC 8555) over the `acme` library, answering dns-01.

The pipeline hands in a DnsChallenge that can publish and remove TXT records (through
the Plesk DNS API, or the sandbox DNS in tests). The account key lives encrypted in
the authority's `account_secret` and the account URL in `account_login`; both are
made on first use, with external account binding when `eab_kid` is set.
"""

import datetime as dt
import logging
from typing import Any, Protocol

import josepy as jose
from acme import challenges, client, messages
from acme import errors as acme_errors
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from apps.ca.models import CertificateAuthority

from .acme_errors import acme_error
from .base import Issued
from .transport import bundle_path

logger = logging.getLogger(__name__)
PEM = serialization.Encoding.PEM


class DnsChallenge(Protocol):
    def publish_txt(self, name: str, value: str) -> Any: ...

    def remove(self, handle: Any) -> None: ...


class AcmeBackend:
    def __init__(self, authority: CertificateAuthority, contact_email: str = ""):
        self.authority = authority
        self.contact_email = contact_email
        self.log: list[str] = []
        self._acme: client.ClientV2 | None = None

    def order(self, csr_pem: str, dns: DnsChallenge, deadline: float = 120.0) -> Issued:
        """Order a certificate for the CSR's names, proving control by dns-01."""
        self.log = []
        try:
            acme = self._client()
            orderr = acme.new_order(csr_pem.encode())
            self.log.append(f"order {orderr.uri}")
            orderr = self._validate_and_finalize(acme, orderr, dns, deadline)
            certs = x509.load_pem_x509_certificates(orderr.fullchain_pem.encode())
        except Exception as exc:
            raise acme_error(exc, self._raw()) from exc
        pems = [cert.public_bytes(PEM).decode() for cert in certs]
        self.log.append(f"issued serial {certs[0].serial_number:x}")
        logger.info("ACME CA %s issued order %s", self.authority, orderr.uri)
        return Issued(orderr.uri, pems[0], pems[1:], self._raw())

    def revoke(self, cert_pem: str, reason: int = 0) -> str:
        """Revoke with the account key; `reason` is an RFC 5280 reason code."""
        self.log = []
        cert = x509.load_pem_x509_certificate(cert_pem.encode())
        try:
            self._client().revoke(cert, reason)
        except Exception as exc:
            raise acme_error(exc, self._raw()) from exc
        self.log.append(f"revoked serial {cert.serial_number:x} reason {reason}")
        logger.info("ACME CA %s revoked %x", self.authority, cert.serial_number)
        return self._raw()

    def _raw(self) -> str:
        return "\n".join(self.log)

    def _validate_and_finalize(self, acme, orderr, dns: DnsChallenge, deadline: float):
        published: list[Any] = []
        try:
            for authz in orderr.authorizations:
                if authz.body.status == messages.STATUS_VALID:
                    continue  # the CA reused an earlier authorization
                published.append(self._answer_dns01(acme, authz, dns))
            until = dt.datetime.now() + dt.timedelta(seconds=deadline)
            return acme.poll_and_finalize(orderr, until)
        finally:
            for handle in published:
                try:
                    dns.remove(handle)
                except Exception:
                    logger.exception("ACME: could not remove TXT record %s", handle)

    def _answer_dns01(self, acme, authz, dns: DnsChallenge) -> Any:
        name = authz.body.identifier.value
        challb = next(
            (c for c in authz.body.challenges if isinstance(c.chall, challenges.DNS01)),
            None,
        )
        if challb is None:
            raise ValueError(f"the CA offers no dns-01 challenge for {name}")
        response, value = challb.response_and_validation(acme.net.key)
        record = challb.chall.validation_domain_name(name)
        handle = dns.publish_txt(record, value)
        self.log.append(f"dns-01 {record} TXT published")
        acme.answer_challenge(challb, response)
        return handle

    # The account

    def _client(self) -> client.ClientV2:
        if self._acme is not None:
            return self._acme
        key = self._account_key()
        net = client.ClientNetwork(
            key,
            alg=jose.ES256,
            verify_ssl=bundle_path(self.authority.ca_bundle) or True,
            user_agent="certfleet",
            timeout=int(self.authority.timeout),
        )
        net.session.trust_env = False  # the configured trust only, no proxies
        directory = client.ClientV2.get_directory(self.authority.endpoint, net)
        acme = client.ClientV2(directory, net)
        self.log.append(f"directory {self.authority.endpoint}")
        if self.authority.account_login:
            net.account = messages.RegistrationResource(
                uri=self.authority.account_login, body=messages.Registration()
            )
        else:
            self._register(acme, key)
        self._acme = acme
        return acme

    def _account_key(self) -> jose.JWKEC:
        if self.authority.account_secret:
            private = serialization.load_pem_private_key(
                self.authority.account_secret.encode(), password=None
            )
            return jose.JWKEC(key=private)
        private = ec.generate_private_key(ec.SECP256R1())
        self.authority.account_secret = private.private_bytes(
            PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        self.authority.account_login = ""
        return jose.JWKEC(key=private)

    def _register(self, acme: client.ClientV2, key: jose.JWKEC) -> None:
        eab = None
        if self.authority.eab_kid:
            eab = messages.ExternalAccountBinding.from_data(
                account_public_key=key.public_key(),
                kid=self.authority.eab_kid,
                hmac_key=self.authority.eab_hmac,
                directory=acme.directory,
            )
        registration = messages.NewRegistration.from_data(
            email=self.contact_email or None,
            terms_of_service_agreed=True,
            external_account_binding=eab,
        )
        try:
            uri = acme.new_account(registration).uri
        except acme_errors.ConflictError as known:  # the key has an account already
            uri = known.location
            acme.net.account = messages.RegistrationResource(
                uri=uri, body=messages.Registration()
            )
        self.authority.account_login = uri
        self.log.append(f"account {uri} registered")
        if self.authority.pk:
            self.authority.save(update_fields=["account_secret", "account_login"])
