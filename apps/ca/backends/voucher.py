"""The voucher CA backend: OneClickSSL's SOAP order service, through zeep.

One order runs check -> order_test -> (the pipeline installs the temporary
certificate) -> order_real; revocation runs check(revoke=True) -> order_test ->
revoke. Every failure is a CertfleetError: the CA's own negative code from the
answer's header, or a CA_* code of ours when the exchange itself failed.
"""

import logging

import requests
import zeep
import zeep.exceptions
from cryptography import x509
from lxml import etree

from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.ca.models import CertificateAuthority

from .base import CheckResult, Issued
from .transport import RecordingTransport, session_for

logger = logging.getLogger(__name__)

# The CA probes the site for up to 3 minutes before it answers a real order or a
# revocation, so those calls wait longer than the authority's usual timeout.
PROBE_ALLOWANCE = 200.0


class VoucherBackend:
    def __init__(self, authority: CertificateAuthority):
        self.authority = authority
        self._client: zeep.Client | None = None
        self._transport: RecordingTransport | None = None

    def check(
        self,
        *,
        voucher_code: str,
        name: str,
        email: str,
        port: int,
        key_algorithm: str = "ECC",
        revoke: bool = False,
        language: str = "en",
    ) -> CheckResult:
        """GSDomainVoucherCheckOC; in revoke mode `voucher_code` is the serial."""
        request = {
            "Voucher": voucher_code,
            "VoucherOption": email or None,
            "DomainName": name,
            "Revoke": 1 if revoke else 0,
            "Language": language,
            "PortNumber": port,
            "PlatformID": self.authority.platform_id,
            "KeyAlgorithm": key_algorithm,
        }
        answer, raw, warning = self._call("GSDomainVoucherCheckOC", request)
        order_id = answer["OrderID"]
        key_length = answer["KeyLength"]
        if not order_id or not key_length:
            raise CertfleetError(errors.CA_MALFORMED, "no OrderID or KeyLength", raw)
        logger.info("voucher CA opened order %s for %s", order_id, name)
        return CheckResult(str(order_id), int(key_length), warning, raw)

    def order_test(self, order_id: str, csr_pem: str) -> Issued:
        """GSOneClickOrderTest: the temporary certificate (its OrderID is new)."""
        request = {"OrderID": order_id, "CSR": csr_pem}
        answer, raw, _ = self._call("GSOneClickOrderTest", request)
        return _issued(answer, raw)

    def order_real(self, order_id: str, csr_pem: str) -> Issued:
        """GSOneClickOrderReal with the test order's id and the same CSR."""
        request = {"OrderID": order_id, "CSR": csr_pem}
        answer, raw, _ = self._call("GSOneClickOrderReal", request, long=True)
        issued = _issued(answer, raw)
        logger.info("voucher CA issued order %s", order_id)
        return issued

    def revoke(self, order_id: str) -> str:
        """GSOneClickRevoke with the test order's id of a revoke-mode check."""
        _, raw, _ = self._call("GSOneClickRevoke", {"OrderID": order_id}, long=True)
        logger.info("voucher CA revoked the certificate of order %s", order_id)
        return raw

    # The exchange

    def _service(self, timeout: float):
        if self._client is None:
            transport = RecordingTransport(
                session_for(self.authority.ca_bundle), self.authority.timeout
            )
            settings = zeep.Settings(strict=True, forbid_dtd=True)
            self._transport = transport
            self._client = zeep.Client(
                self.authority.endpoint, transport=transport, settings=settings
            )
        self._transport.operation_timeout = timeout
        self._transport.last_status = 0
        return self._client.service

    def _call(self, operation: str, request: dict, long: bool = False):
        """(answer, masked raw exchange, warning or None); raises CertfleetError."""
        timeout = self.authority.timeout
        if long:
            timeout = max(timeout, PROBE_ALLOWANCE)
        try:
            answer = getattr(self._service(timeout), operation)(Request=request)
        except Exception as exc:
            status = self._transport.last_status if self._transport else 0
            raw = self._transport.take() if self._transport else ""
            raise _exchange_error(operation, exc, raw, status) from exc
        raw = self._transport.take()
        header = _header_of(answer)
        if header is None:
            raise CertfleetError(errors.CA_MALFORMED, "no OrderResponseHeader", raw)
        return answer, raw, _header_outcome(header, raw)


def _header_of(answer):
    """The OrderResponseHeader; zeep hands a header-only answer back as the header."""
    if answer is None:
        return None
    if "SuccessCode" in answer:
        return answer
    return answer["OrderResponseHeader"]


def _header_outcome(header, raw: str) -> CertfleetError | None:
    """None on success, the warning for SuccessCode 1; raises on -1."""
    success = header["SuccessCode"]
    listed = header["Errors"]["Error"] if header["Errors"] else []
    first = listed[0] if listed else None
    if success == 0:
        return None
    if success not in (1, -1):
        raise CertfleetError(errors.CA_MALFORMED, f"SuccessCode {success}", raw)
    if first is None or first["ErrorCode"] is None:
        failure = CertfleetError(errors.CA_REFUSED, "no error code given", raw)
    elif first["ErrorCode"] >= 0:  # our own range is not the CA's to use
        failure = CertfleetError(errors.CA_REFUSED, _detail(first), raw)
    else:
        failure = CertfleetError(first["ErrorCode"], _detail(first), raw)
    if success == 1:
        return failure
    raise failure


def _detail(error) -> str:
    field = error["ErrorField"] or ""
    message = error["ErrorMessage"] or ""
    return f"{field}: {message}" if field else message


def _issued(answer, raw: str) -> Issued:
    try:
        fulfillment = answer["OneClickOrderDetail"]["Fulfillment"]
        cert_pem = fulfillment["ServerCertificate"]["X509Cert"]
        listed = fulfillment["CACertificates"]
        ca_certs = listed["CACertificate"] if listed else []
        chain = [c["CACert"] for c in ca_certs if c["CACertType"] == "INTER"]
        for pem in [cert_pem, *chain]:
            x509.load_pem_x509_certificate(pem.encode())
    except (TypeError, KeyError, AttributeError, ValueError) as exc:
        raise CertfleetError(errors.CA_MALFORMED, "unusable certificate", raw) from exc
    return Issued(str(answer["OrderID"]), cert_pem, chain, raw)


def _exchange_error(
    operation: str, exc: Exception, raw: str, status: int
) -> CertfleetError:
    """The CA_* code for a failed exchange; transient where a retry can help."""
    detail = f"{operation}: {type(exc).__name__}: {str(exc)[:300]}"
    raw = raw + ("\n" if raw else "") + f"! {detail}"
    logger.warning("voucher CA exchange failed: %s", detail)
    if isinstance(exc, requests.exceptions.SSLError):
        return CertfleetError(errors.CA_TLS, detail, raw)
    if isinstance(exc, requests.exceptions.Timeout):
        return CertfleetError(errors.CA_TIMEOUT, detail, raw)
    if isinstance(exc, requests.exceptions.ConnectionError):
        return CertfleetError(errors.CA_UNREACHABLE, detail, raw)
    if isinstance(exc, requests.exceptions.HTTPError):
        status = exc.response.status_code if exc.response is not None else 0
        code = errors.CA_UNREACHABLE if status >= 500 else errors.CA_REFUSED
        return CertfleetError(code, detail, raw)
    if isinstance(exc, zeep.exceptions.TransportError):
        if exc.status_code >= 500:
            return CertfleetError(errors.CA_UNREACHABLE, detail, raw)
        if exc.status_code == 200:
            return CertfleetError(errors.CA_MALFORMED, detail, raw)
        return CertfleetError(errors.CA_REFUSED, detail, raw)
    if isinstance(exc, zeep.exceptions.Fault) and exc.code is None and status >= 500:
        # An error page, not a SOAP fault: the service is down or overloaded.
        return CertfleetError(errors.CA_UNREACHABLE, f"HTTP {status}", raw)
    if isinstance(exc, zeep.exceptions.Fault):
        return CertfleetError(errors.CA_REFUSED, f"SOAP fault: {exc.message}", raw)
    if isinstance(exc, zeep.exceptions.Error | etree.LxmlError | ValueError):
        return CertfleetError(errors.CA_MALFORMED, detail, raw)
    if isinstance(exc, requests.exceptions.RequestException):
        return CertfleetError(errors.CA_UNREACHABLE, detail, raw)
    return CertfleetError(errors.INTERNAL, detail, raw)
