"""Every API failure answers JSON: {code, message, advice}, plus `detail` for what
was seen and `fields` for invalid input. Codes come from the error catalogue."""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

from apps.ca import errors as catalogue
from apps.ca.errors import CertfleetError

logger = logging.getLogger(__name__)

# DRF's exception classes and the catalogue code each one answers with.
_API_CODES: list[tuple[type[exceptions.APIException], int]] = [
    (exceptions.ValidationError, catalogue.API_INVALID),
    (exceptions.ParseError, catalogue.API_MALFORMED),
    (exceptions.NotAuthenticated, catalogue.API_NOT_AUTHENTICATED),
    (exceptions.AuthenticationFailed, catalogue.API_NOT_AUTHENTICATED),
    (exceptions.PermissionDenied, catalogue.API_FORBIDDEN),
    (exceptions.NotFound, catalogue.API_NOT_FOUND),
    (exceptions.MethodNotAllowed, catalogue.API_METHOD_NOT_ALLOWED),
    (exceptions.NotAcceptable, catalogue.API_NOT_ACCEPTABLE),
    (exceptions.UnsupportedMediaType, catalogue.API_UNSUPPORTED_MEDIA),
    (exceptions.Throttled, catalogue.API_THROTTLED),
]

# Catalogue codes whose HTTP status is not the default 422.
_STATUS_BY_CODE = {
    catalogue.INTERNAL: 500,
    catalogue.ORDER_IN_PROGRESS: 409,
    catalogue.NO_SITE_MATCHED: 400,
    catalogue.VOUCHER_NOT_YOURS: 403,
    catalogue.API_INVALID: 400,
    catalogue.API_MALFORMED: 400,
    catalogue.API_NOT_AUTHENTICATED: 401,
    catalogue.API_FORBIDDEN: 403,
    catalogue.API_NOT_FOUND: 404,
    catalogue.API_METHOD_NOT_ALLOWED: 405,
    catalogue.API_NOT_ACCEPTABLE: 406,
    catalogue.API_UNSUPPORTED_MEDIA: 415,
    catalogue.API_THROTTLED: 429,
    catalogue.IDEMPOTENCY_KEY_REUSED: 422,
    catalogue.IDEMPOTENCY_IN_PROGRESS: 409,
}


class ApiError(exceptions.APIException):
    """A refusal with a catalogue code, raised by API views themselves."""

    def __init__(self, code: int, detail: str = "", status: int | None = None):
        self.code = code
        self.status_code = status or status_for(code)
        super().__init__(detail=detail or str(catalogue.lookup(code).message))


def status_for(code: int) -> int:
    """The HTTP status a catalogue code answers with."""
    if code in _STATUS_BY_CODE:
        return _STATUS_BY_CODE[code]
    # A refusal by a rule, Plesk or the CA that the caller acts on (the code and
    # advice say how) is 422; a transient failure asks the caller to retry later.
    return 503 if catalogue.lookup(code).transient else 422


def error_body(code: int, detail: str = "", **extra: Any) -> dict[str, Any]:
    info = catalogue.lookup(code)
    body: dict[str, Any] = {
        "code": code,
        "message": str(info.message),
        "advice": str(info.advice),
    }
    if detail and detail != body["message"]:
        body["detail"] = detail
    body.update(extra)
    return body


def handle_exception(exc: Exception, context: dict) -> Response:
    """DRF's EXCEPTION_HANDLER: map any exception to the JSON error shape."""
    set_rollback()
    if isinstance(exc, CertfleetError):
        return _respond(exc.code, exc.detail)
    if isinstance(exc, ApiError):
        return Response(error_body(exc.code, str(exc.detail)), status=exc.status_code)
    if isinstance(exc, Http404):
        return _respond(catalogue.API_NOT_FOUND)
    if isinstance(exc, DjangoPermissionDenied):
        return _respond(catalogue.API_FORBIDDEN)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=_django_messages(exc))
    if isinstance(exc, exceptions.APIException):
        return _from_drf(exc)
    view = context.get("view")
    logger.exception("API request failed in %s", type(view).__name__)
    return _respond(catalogue.INTERNAL)


def _respond(code: int, detail: str = "") -> Response:
    status = status_for(code)
    headers = {"Retry-After": "60"} if status == 503 else {}
    return Response(error_body(code, detail), status=status, headers=headers)


def _from_drf(exc: exceptions.APIException) -> Response:
    code = next((c for cls, c in _API_CODES if isinstance(exc, cls)), None)
    if code is None:
        code = catalogue.API_INVALID if exc.status_code < 500 else catalogue.INTERNAL
    headers = {}
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        body = error_body(code, fields=_fields(exc.detail))
    else:
        body = error_body(code, str(exc.detail))
    return Response(body, status=exc.status_code, headers=headers)


def _fields(detail: Any) -> dict[str, Any]:
    """Validation messages keyed by field; messages about the whole request go
    under "non_field_errors"."""
    if isinstance(detail, dict):
        return detail
    return {"non_field_errors": detail if isinstance(detail, list) else [detail]}


def _django_messages(exc: DjangoValidationError) -> Any:
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return exc.messages


@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any /api/ address that matches no endpoint."""
    return JsonResponse(error_body(catalogue.API_NOT_FOUND), status=404)
