"""The error catalogue: every failure the product can report, with a code, a message
and what to do about it.

Negative codes are the voucher CA's own (they mean the same thing wherever they are
detected, so local checks that answer before the CA use them too). Codes 7000-7999
are the product's own: Plesk, network, DNS, install and verification failures.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ErrorInfo:
    code: int
    message: str  # lazily translated
    advice: str
    # Transient failures are retried with backoff; permanent ones end the order.
    transient: bool = False


class CertfleetError(Exception):
    """A failure with a catalogue code; `detail` adds what was seen."""

    def __init__(self, code: int, detail: str = "", raw: str = ""):
        self.code = code
        self.info = lookup(code)
        self.detail = detail
        self.raw = raw
        super().__init__(
            f"{code}: {self.info.message}" + (f" ({detail})" if detail else "")
        )

    @property
    def transient(self) -> bool:
        return self.info.transient


# Codes of the voucher CA.
INVALID_PARAMETER = -101
MISSING_PARAMETER = -102
PARAMETER_LENGTH = -103
PARAMETER_FORMAT = -104
PARAMETER_COMBINATION = -105
CA_CANNOT_CONNECT = -3008
DNS_NAME_NOT_FOUND = -3012
DNS_NO_ADDRESS = -3013
DNS_NOT_RESOLVING = -3019
VOUCHER_USED_UP = -4005  # the CA's "logical limitation": no use left on the voucher
HIGH_RISK_NAME = -5001
CSR_UNPARSABLE = -6001
KEY_REUSED = -6007
DN_TOO_LONG = -6019
ALREADY_REVOKED = -6029
VOUCHER_UNKNOWN = -9001
TEMP_CERT_NOT_SEEN = -9002
NAME_NOT_VOUCHER_NAME = -9003
IP_AS_NAME = -9004
REISSUE_ORIGINAL_EXPIRED = -9005
SERIAL_UNKNOWN = -9007
CANNOT_REVOKE = -9008
VOUCHER_EXPIRED = -9011
REISSUE_DAILY_LIMIT = -9012
CSR_NAME_MISMATCH = -9016
WRONG_PLATFORM = -9018
IP_OUT_OF_RANGE = -9019
VOUCHER_CANCELLED = -9026
RENEWAL_ORIGINAL_GONE = -9028
REISSUE_ORIGINAL_GONE = -9029
CARD_INVALID = -9910
NO_CREDIT = -9911
NO_DEPOSIT = -9912
COUNTRY_UNSUPPORTED = -9935

# The product's own codes.
INTERNAL = 7000
VOUCHER_EXHAUSTED = 7001
VOUCHER_NOT_YOURS = 7002
SITE_ORPHANED = 7003
SITE_NO_HOSTING = 7004
NAME_INVALID = 7005
ORDER_IN_PROGRESS = 7006
NAME_NOT_ON_SITE = 7007
ACCOUNT_UNKNOWN = 7008
NO_SITE_MATCHED = 7009
PLESK_AUTH = 7101
PLESK_NOT_FOUND = 7102
PLESK_UNSUPPORTED = 7103
PLESK_UNREACHABLE = 7104
PLESK_TLS_MISMATCH = 7105
PLESK_MALFORMED = 7106
PLESK_CONFLICT = 7107
PLESK_LIMIT = 7108
PLESK_FAILED = 7109
PLESK_TIMEOUT = 7110
PLESK_REJECTED = 7111
PLESK_SETTINGS_INVALID = 7112
SERVER_ALREADY_ADDED = 7113
CA_UNREACHABLE = 7201
CA_MALFORMED = 7202
CA_TLS = 7203
CA_TIMEOUT = 7204
CA_REFUSED = 7205
CA_VALIDATION_FAILED = 7206
DNS_UNRESOLVED = 7301
DNS_ELSEWHERE = 7302
DNS_TIMEOUT = 7303
KEY_MISMATCH = 7401
NAMES_NOT_COVERED = 7402
CHAIN_INCOMPLETE = 7403
CHAIN_EXPIRES_EARLY = 7404
VERIFY_WRONG_CERT = 7405
VERIFY_HANDSHAKE = 7406
ROLLBACK_FAILED = 7407
# Codes of the REST API itself (the request, not the job, is at fault).
API_INVALID = 7501
API_MALFORMED = 7502
API_NOT_AUTHENTICATED = 7503
API_FORBIDDEN = 7504
API_NOT_FOUND = 7505
API_METHOD_NOT_ALLOWED = 7506
API_NOT_ACCEPTABLE = 7507
API_UNSUPPORTED_MEDIA = 7508
API_THROTTLED = 7509
IDEMPOTENCY_KEY_REUSED = 7510
IDEMPOTENCY_IN_PROGRESS = 7511
# Codes of the certificate lifecycle (renewal, revocation).
RENEWAL_FEWER_NAMES = 7601
RENEWAL_NO_VOUCHER = 7602
CONFIRMATION_REQUIRED = 7603
SERIAL_INVALID = 7604
SERIAL_NOT_ON_SITE = 7605
REVOKE_UNSUPPORTED = 7606

_ENTRIES = [
    (
        INVALID_PARAMETER,
        _("The CA found a value it cannot accept."),
        _("Correct the value named in the error and run it again."),
    ),
    (
        MISSING_PARAMETER,
        _(
            "A required value was missing; super and trial vouchers need "
            "a contact email."
        ),
        _(
            "Fill in the missing value (for super and trial vouchers, an email address)."
        ),
    ),
    (
        PARAMETER_LENGTH,
        _("A value is too long or too short for the CA."),
        _("Shorten or complete the value named in the error."),
    ),
    (
        PARAMETER_FORMAT,
        _("A value is not in the format the CA expects."),
        _("Correct the format of the value named in the error."),
    ),
    (
        PARAMETER_COMBINATION,
        _("The CA cannot accept these values together."),
        _("Change the request so the values fit together."),
    ),
    (
        CA_CANNOT_CONNECT,
        _(
            "The CA could not open an HTTPS connection to the site to see "
            "the temporary certificate."
        ),
        _(
            "Allow HTTPS from the internet on port 443 (or the site's custom port), then "
            "retry."
        ),
    ),
    (
        DNS_NAME_NOT_FOUND,
        _("The CA could not find the name in DNS."),
        _("Check with the registrar that the domain is registered and delegated."),
    ),
    (
        DNS_NO_ADDRESS,
        _("The CA could not get an IP address for the name from DNS."),
        _("Add or fix the A/AAAA records of the name."),
    ),
    (
        DNS_NOT_RESOLVING,
        _(
            "The name does not resolve yet; new names can take up to 24 "
            "hours to appear everywhere."
        ),
        _("Wait for DNS to propagate, or fix the records, then retry."),
    ),
    (
        VOUCHER_USED_UP,
        _("The CA says this voucher has no uses left."),
        _(
            "Use another voucher, or ask the supplier for more uses. A name the voucher "
            "already secured can still be reissued."
        ),
    ),
    (
        HIGH_RISK_NAME,
        _(
            "The name contains a high-risk word or looks like phishing; the "
            "CA holds it for manual review."
        ),
        _(
            "Contact support with the name and the voucher code; nothing is charged while "
            "the review is pending."
        ),
    ),
    (
        CSR_UNPARSABLE,
        _("The CA could not read the certificate request."),
        _("Retry: a new key and request are made. If it repeats, contact support."),
    ),
    (
        KEY_REUSED,
        _("The CA refused a public key that was used before."),
        _("Run the order again; a fresh key is generated."),
    ),
    (
        DN_TOO_LONG,
        _("The certificate's distinguished name is longer than 1024 bytes."),
        _("Use a shorter name."),
    ),
    (
        ALREADY_REVOKED,
        _("This certificate was already revoked."),
        _("Check the serial number; nothing more to do if it is the right one."),
    ),
    (
        VOUCHER_UNKNOWN,
        _("There is no voucher with this code."),
        _("Check the code as printed; O and 0, I and 1 are easy to mix up."),
    ),
    (
        TEMP_CERT_NOT_SEEN,
        _(
            "The CA did not see the temporary certificate on the site in "
            "the 3 minutes it allows."
        ),
        _(
            "Make sure the site answers HTTPS on its port from the internet, then retry."
        ),
    ),
    (
        NAME_NOT_VOUCHER_NAME,
        _("The name is not the one this voucher was bought for."),
        _("Use the voucher bought for this name, or the name on the voucher."),
    ),
    (
        IP_AS_NAME,
        _("An IP address cannot be the main name of this certificate."),
        _("Use a fully qualified domain name."),
    ),
    (
        REISSUE_ORIGINAL_EXPIRED,
        _("No reissue: the original certificate has expired."),
        _("Use a new voucher."),
    ),
    (
        SERIAL_UNKNOWN,
        _("The CA knows no certificate with this serial number."),
        _("Check the serial in hex without spaces, e.g. 0100011617904c9e."),
    ),
    (
        CANNOT_REVOKE,
        _("This certificate cannot be revoked: it has expired or is already revoked."),
        _("Check the certificate's status."),
    ),
    (
        VOUCHER_EXPIRED,
        _("The voucher has expired."),
        _("Get a new voucher from its supplier."),
    ),
    (
        REISSUE_DAILY_LIMIT,
        _("This voucher has been reissued too often today."),
        _("Wait 24 hours and try again."),
    ),
    (
        CSR_NAME_MISMATCH,
        _(
            "The name requested differs from the voucher's name. A voucher "
            "for www.name covers www.name and name; one for name covers "
            "only name."
        ),
        _("Order the name the voucher was issued for."),
    ),
    (
        WRONG_PLATFORM,
        _("The voucher is for another platform (IIS, cPanel, Plesk, Linux)."),
        _("Use a voucher made for Plesk."),
    ),
    (
        IP_OUT_OF_RANGE,
        _("The site's IP address is outside the ranges this voucher allows."),
        _("Use a voucher for this address range, or move the site to an allowed IP."),
    ),
    (
        VOUCHER_CANCELLED,
        _("The voucher was cancelled."),
        _("Contact whoever supplied the voucher."),
    ),
    (
        RENEWAL_ORIGINAL_GONE,
        _(
            "Renewal voucher, but the original certificate is "
            "cancelled, revoked, reissued or expired."
        ),
        _("Contact whoever supplied the voucher."),
    ),
    (
        REISSUE_ORIGINAL_GONE,
        _(
            "Reissue voucher, but the original certificate is "
            "cancelled, revoked, reissued or expired."
        ),
        _("Contact whoever supplied the voucher."),
    ),
    (
        CARD_INVALID,
        _("The CA account's credit card is not valid."),
        _("Update the card in the CA account."),
    ),
    (
        NO_CREDIT,
        _("The CA account has too little credit."),
        _("Top up the CA account."),
    ),
    (
        NO_DEPOSIT,
        _("The CA account's deposit balance is too low."),
        _("Top up the deposit of the CA account."),
    ),
    (
        COUNTRY_UNSUPPORTED,
        _("The CA does not issue for this country code."),
        _("This certificate cannot be obtained this way."),
    ),
    (
        INTERNAL,
        _("Something went wrong inside Certfleet."),
        _("Retry; if it repeats, send the order number to support."),
    ),
    (
        VOUCHER_EXHAUSTED,
        _("The voucher has no uses left."),
        _("Use another voucher, or ask the supplier for more uses."),
    ),
    (
        VOUCHER_NOT_YOURS,
        _("You cannot use this voucher."),
        _("Use a voucher assigned to your account."),
    ),
    (
        SITE_ORPHANED,
        _("The site is no longer on its Plesk server."),
        _("Sync the server; if the site moved, order on its new server."),
    ),
    (
        SITE_NO_HOSTING,
        _("The site has no web hosting, so it cannot serve a certificate."),
        _("Enable web hosting for the site in Plesk, then sync and retry."),
    ),
    (
        NAME_INVALID,
        _("The name is not a valid fully qualified domain name."),
        _("Correct the site's name in Plesk."),
    ),
    (
        ORDER_IN_PROGRESS,
        _("An order for this site is already running."),
        _("Wait for it to finish."),
    ),
    (
        NAME_NOT_ON_SITE,
        _(
            "A name asked for is not the site's own, its www form, or one of its "
            "aliases or subdomains."
        ),
        _(
            "Ask only for names Plesk serves on this site; sync the server first if "
            "an alias or subdomain is new."
        ),
    ),
    (
        ACCOUNT_UNKNOWN,
        _("There is no such reseller or customer account, or it is not yours to see."),
        _("Check the account id against your list of resellers and customers."),
    ),
    (
        NO_SITE_MATCHED,
        _("No active site of yours matches the push's names or filter."),
        _(
            "Check the names (or the filter) against your sites list; sync the "
            "server first if a site is new."
        ),
    ),
    (
        PLESK_AUTH,
        _("The Plesk server refused our credentials."),
        _(
            "Check the secret key or login and password, and that API access is allowed "
            "from this host's IP."
        ),
    ),
    (
        PLESK_NOT_FOUND,
        _("Plesk does not know the object (site, subscription or certificate)."),
        _("Sync the server; the object may have been renamed or removed."),
    ),
    (
        PLESK_UNSUPPORTED,
        _("The Plesk server does not support this operation or protocol version."),
        _("Update Plesk, or check the components installed on the server."),
    ),
    (
        PLESK_UNREACHABLE,
        _("The Plesk server could not be reached."),
        _("Check the host, port and firewall; the job is retried automatically."),
        True,
    ),
    (
        PLESK_TLS_MISMATCH,
        _("The Plesk server's TLS certificate is not the one we trust."),
        _(
            "Confirm the server's new fingerprint in its settings if the change is expected."
        ),
    ),
    (
        PLESK_MALFORMED,
        _("The Plesk server sent an answer we cannot read."),
        _(
            "Check the panel address and port (a proxy or login page may answer instead)."
        ),
        True,
    ),
    (
        PLESK_CONFLICT,
        _("Plesk already has an object with this name."),
        _("Retry; a new unique name is used."),
    ),
    (
        PLESK_LIMIT,
        _("A Plesk limit or licence stops the operation."),
        _("Raise the limit or renew the licence in Plesk."),
    ),
    (
        PLESK_FAILED,
        _("Plesk could not carry out the operation."),
        _("See the raw answer in the order log; fix the cause in Plesk and retry."),
    ),
    (
        PLESK_TIMEOUT,
        _("The Plesk server did not answer in time."),
        _(
            "The job is retried automatically; raise the server's timeout if it is slow."
        ),
        True,
    ),
    (
        PLESK_REJECTED,
        _("Plesk rejected the request as malformed."),
        _("Report it to support with the order log: this is a defect."),
    ),
    (
        PLESK_SETTINGS_INVALID,
        _("The server's address, fingerprint or CA bundle is not valid."),
        _(
            "Give the panel's IP address or host name, its SHA-256 fingerprint as 64 "
            "hex digits (AB:12:...), or a CA bundle of PEM certificates."
        ),
    ),
    (
        SERVER_ALREADY_ADDED,
        _("This Plesk server is already in the fleet (same panel GUID)."),
        _(
            "Open the existing server instead; adding it twice would list its sites "
            "twice and order their certificates again."
        ),
    ),
    (
        CA_UNREACHABLE,
        _("The certificate authority could not be reached."),
        _("The job is retried automatically; check the network if it persists."),
        True,
    ),
    (
        CA_MALFORMED,
        _("The certificate authority sent an answer we cannot read."),
        _("Retry later; if it repeats, contact support with the order log."),
        True,
    ),
    (
        CA_TLS,
        _("The certificate authority's TLS certificate is not trusted."),
        _("Check the CA's endpoint and CA bundle in the settings."),
    ),
    (
        CA_TIMEOUT,
        _("The certificate authority did not answer in time."),
        _("The job is retried automatically."),
        True,
    ),
    (
        CA_REFUSED,
        _("The certificate authority refused the request."),
        _("See the CA's message in the order log."),
    ),
    (
        CA_VALIDATION_FAILED,
        _("The CA could not confirm control of the name: its challenge failed."),
        _(
            "Check that the TXT record under _acme-challenge.<name> is published where "
            "the name's DNS is served, then retry."
        ),
    ),
    (
        DNS_UNRESOLVED,
        _("The name does not resolve in DNS."),
        _("Add A or AAAA records pointing at the hosting server, then retry."),
    ),
    (
        DNS_ELSEWHERE,
        _("The name resolves to an address this hosting server does not serve."),
        _("Point the name's A/AAAA records at the site's IP address on its server."),
    ),
    (
        DNS_TIMEOUT,
        _("DNS did not answer in time."),
        _("The job is retried automatically."),
        True,
    ),
    (
        KEY_MISMATCH,
        _("The certificate does not belong to the private key."),
        _("Retry; the order is made again with a new key."),
    ),
    (
        NAMES_NOT_COVERED,
        _("The certificate does not cover every name of the site."),
        _("Contact support with the order log; the certificate was not installed."),
    ),
    (
        CHAIN_INCOMPLETE,
        _("The certificate's chain does not lead to a trusted root."),
        _("Check the CA's trusted roots in the settings; nothing was installed."),
    ),
    (
        CHAIN_EXPIRES_EARLY,
        _("A certificate in the chain expires before the certificate itself."),
        _("Contact the CA; nothing was installed."),
    ),
    (
        VERIFY_WRONG_CERT,
        _("The site does not serve the new certificate after binding."),
        _(
            "Check the site's IP and SNI setup in Plesk; the previous certificate was "
            "restored."
        ),
    ),
    (
        VERIFY_HANDSHAKE,
        _("A TLS handshake with the site failed."),
        _(
            "Check that the web server on the site's IP answers HTTPS; the job is retried."
        ),
        True,
    ),
    (
        ROLLBACK_FAILED,
        _("The site could not be put back to its previous certificate."),
        _("Bind the previous certificate by hand in Plesk; the order log names it."),
    ),
    (
        RENEWAL_FEWER_NAMES,
        _("The renewal would cover fewer names than the certificate it replaces."),
        _(
            "Nothing was ordered. Order a certificate for the names by hand, or use a "
            "voucher that allows them all."
        ),
    ),
    (
        RENEWAL_NO_VOUCHER,
        _(
            "The certificate cannot be renewed: its voucher is gone, used up or expired."
        ),
        _("Assign a new voucher and order the certificate again before it expires."),
    ),
    (
        CONFIRMATION_REQUIRED,
        _("This action needs your confirmation."),
        _("Confirm that you want to do it, then submit again."),
    ),
    (
        SERIAL_INVALID,
        _("That is not a serial number."),
        _(
            "Type it in hex (spaces, colons and 0x are fine), e.g. 01:00:01:16, or as a "
            "decimal number."
        ),
    ),
    (
        SERIAL_NOT_ON_SITE,
        _("No certificate of this site has this serial number."),
        _("Copy the serial number from the site's certificate list."),
    ),
    (
        REVOKE_UNSUPPORTED,
        _("This certificate authority cannot revoke through Certfleet."),
        _("Revoke the certificate in the certificate authority's own portal."),
    ),
    (
        API_INVALID,
        _("Some fields of the request are missing or invalid."),
        _("Correct the fields listed under 'fields' and send the request again."),
    ),
    (
        API_MALFORMED,
        _("The request body could not be read."),
        _("Send valid JSON (or form data) with a matching Content-Type header."),
    ),
    (
        API_NOT_AUTHENTICATED,
        _("The request carries no valid credentials."),
        _(
            "Send the header 'Authorization: Token <your token>'; create a token with "
            "'manage.py api_token <username>' or on the settings page."
        ),
    ),
    (
        API_FORBIDDEN,
        _("Your role may not do this."),
        _("Ask provider staff, or a user of the owning account, to do it."),
    ),
    (
        API_NOT_FOUND,
        _("There is no such object, or it is not yours to see."),
        _("Check the address and the id; list the collection to find the right one."),
    ),
    (
        API_METHOD_NOT_ALLOWED,
        _("This address does not accept this HTTP method."),
        _("See the API schema at /api/schema/ for the methods each address takes."),
    ),
    (
        API_NOT_ACCEPTABLE,
        _("The API cannot answer in the format the Accept header asks for."),
        _("Ask for application/json."),
    ),
    (
        API_UNSUPPORTED_MEDIA,
        _("The API cannot read a body of this Content-Type."),
        _("Send application/json, or multipart/form-data for file uploads."),
    ),
    (
        API_THROTTLED,
        _("Too many requests in a short time."),
        _("Wait the number of seconds in the Retry-After header, then retry."),
    ),
    (
        IDEMPOTENCY_KEY_REUSED,
        _("This Idempotency-Key was already used for a different request."),
        _(
            "Use a new key for a new request; reuse a key only to repeat the very same "
            "request."
        ),
    ),
    (
        IDEMPOTENCY_IN_PROGRESS,
        _("A request with this Idempotency-Key is still being processed."),
        _("Wait a moment and send it again to get its answer."),
    ),
]

CATALOGUE: dict[int, ErrorInfo] = {
    code: ErrorInfo(code, message, advice, *rest)
    for code, message, advice, *rest in _ENTRIES
}


def lookup(code: int) -> ErrorInfo:
    """The entry for `code`; an unknown CA code still gets a message and advice."""
    if code in CATALOGUE:
        return CATALOGUE[code]
    return ErrorInfo(
        code,
        str(
            _("The certificate authority answered with error %(code)s.")
            % {"code": code}
        ),
        str(_("See the CA's message in the order log; contact support if unclear.")),
    )
