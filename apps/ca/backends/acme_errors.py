"""ACME failures as catalogue codes: transient where a retry can help."""

import josepy as jose
import requests
from acme import errors as acme_errors
from acme import messages

from apps.ca import errors
from apps.ca.errors import CertfleetError

# Problem types (urn:ietf:params:acme:error:...) that a later retry can get past.
_TRANSIENT_PROBLEMS = {"badNonce", "serverInternal", "rateLimited"}


def _problem(error: messages.Error) -> CertfleetError | None:
    kind = (error.typ or "").rsplit(":", 1)[-1]
    detail = f"{kind}: {error.detail or ''}"
    if kind == "alreadyRevoked":
        return CertfleetError(errors.ALREADY_REVOKED, detail)
    if kind in _TRANSIENT_PROBLEMS:
        return CertfleetError(errors.CA_UNREACHABLE, detail)
    return CertfleetError(errors.CA_REFUSED, detail)


def _validation(error: acme_errors.ValidationError) -> str:
    found = []
    for authzr in error.failed_authzrs:
        for challb in authzr.body.challenges:
            if challb.error is not None:
                name = authzr.body.identifier.value
                found.append(f"{name} {challb.chall.typ}: {challb.error.detail}")
    return "; ".join(found) or "challenge failed"


def acme_error(exc: Exception, raw: str) -> CertfleetError:
    """The CertfleetError for `exc`, carrying the backend's step log as raw."""
    failure = _classify(exc)
    failure.raw = raw + ("\n" if raw else "") + f"! {type(exc).__name__}: {exc}"
    return failure


def _classify(exc: Exception) -> CertfleetError:
    if isinstance(exc, CertfleetError):
        return exc
    if isinstance(exc, requests.exceptions.SSLError):
        return CertfleetError(errors.CA_TLS, str(exc)[:300])
    if isinstance(exc, requests.exceptions.Timeout | acme_errors.TimeoutError):
        return CertfleetError(errors.CA_TIMEOUT, str(exc)[:300])
    if isinstance(exc, requests.exceptions.RequestException):
        return CertfleetError(errors.CA_UNREACHABLE, str(exc)[:300])
    if isinstance(exc, acme_errors.ValidationError):
        return CertfleetError(errors.CA_VALIDATION_FAILED, _validation(exc))
    if isinstance(exc, messages.Error):
        return _problem(exc)
    if isinstance(exc, acme_errors.IssuanceError):
        return _problem(exc.error)
    if isinstance(exc, jose.DeserializationError | acme_errors.ClientError):
        return CertfleetError(errors.CA_MALFORMED, str(exc)[:300])
    if isinstance(exc, ValueError):
        return CertfleetError(errors.CA_REFUSED, str(exc)[:300])
    return CertfleetError(errors.INTERNAL, f"{type(exc).__name__}: {exc}"[:300])
