"""The OpenAPI schema's shared parts: the JSON error shape on every operation and
the Idempotency-Key header on creating calls."""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiParameter

from apps.api.idempotency import HEADER

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Every error answer: a code of the error catalogue, what went "
    "wrong and what to do.",
    "properties": {
        "code": {"type": "integer", "example": 7505},
        "message": {"type": "string"},
        "advice": {"type": "string"},
        "detail": {"type": "string", "description": "What was seen, when known"},
        "fields": {
            "type": "object",
            "additionalProperties": True,
            "description": "Invalid input: messages per field",
        },
    },
    "required": ["code", "message", "advice"],
}

_ERRORS_ALWAYS = {
    "400": "Invalid request",
    "401": "No valid token",
    "403": "Your role may not do this",
    "404": "Not found, or not yours",
}
_ERRORS_ON_WRITE = {
    "409": "Already running (order, or the same Idempotency-Key)",
    "422": "Refused by a rule (code and advice say which)",
}

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    name=HEADER,
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (e.g. a UUID). Repeating the same request with "
    "the same key replays the first answer instead of doing the work twice.",
)


class CertfleetSchema(AutoSchema):
    def get_override_parameters(self) -> list:
        parameters = list(super().get_override_parameters())
        if self._handler_is_idempotent():
            parameters.append(IDEMPOTENCY_PARAMETER)
        return parameters

    def _get_response_bodies(self, direction: str = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        ref = self._error_ref()
        errors = dict(_ERRORS_ALWAYS)
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            errors.update(_ERRORS_ON_WRITE)
        for status, description in errors.items():
            responses.setdefault(status, _error_response(ref, description))
        responses.setdefault("default", _error_response(ref, "Any other error"))
        return responses

    def _handler_is_idempotent(self) -> bool:
        name = getattr(self.view, "action", None) or self.method.lower()
        handler = getattr(self.view, name, None)
        return bool(getattr(handler, "idempotent", False))

    def _error_ref(self) -> dict:
        component = ResolvedComponent(
            name="Error",
            type=ResolvedComponent.SCHEMA,
            object="Error",
            schema=ERROR_SCHEMA,
        )
        self.registry.register_on_missing(component)
        return component.ref


def _error_response(ref: dict, description: str) -> dict:
    return {
        "content": {"application/json": {"schema": ref}},
        "description": description,
    }
