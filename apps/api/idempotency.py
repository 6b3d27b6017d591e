"""Idempotency keys on creating calls.

A client that sends `Idempotency-Key: <key>` may repeat the request safely: the same
key with the same request replays the first answer (header `Idempotent-Replayed:
true`); the same key with another request is refused with 422 and code 7510; a repeat
while the first is still running gets 409 and code 7511. Keys belong to one user and
are kept for 24 hours. Only successful answers are kept: a refused or failed request
can be sent again.
"""

import datetime as dt
import functools
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from rest_framework.request import Request
from rest_framework.response import Response

from apps.api.errors import ApiError
from apps.api.models import IdempotencyKey
from apps.ca import errors as catalogue
from apps.core import clock

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEEP_FOR = dt.timedelta(hours=24)
# A first request that has not answered after this long is taken as abandoned.
ABANDONED_AFTER = dt.timedelta(minutes=10)
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


def idempotent(method: Callable[..., Response]) -> Callable[..., Response]:
    """Wrap a view's creating method (create, or a POST action)."""

    @functools.wraps(method)
    def wrapper(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER)
        if key is None:
            return method(view, request, *args, **kwargs)
        claimed = claim(request, key)
        if isinstance(claimed, Response):
            return claimed
        try:
            response = method(view, request, *args, **kwargs)
        except Exception:
            claimed.delete()
            raise
        settle(claimed, response)
        return response

    wrapper.idempotent = True  # type: ignore[attr-defined]
    return wrapper


def claim(request: Request, key: str) -> IdempotencyKey | Response:
    """Record the key for this request, or answer from an earlier one."""
    if not _VALID_KEY.match(key):
        raise ApiError(
            catalogue.API_INVALID,
            f"{HEADER} must be 1 to 255 printable ASCII characters without spaces.",
        )
    user = request.user
    now = clock.now()
    IdempotencyKey.objects.filter(user=user, created_at__lt=now - KEEP_FOR).delete()
    print_ = fingerprint(request)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(
                    user=user, key=key, fingerprint=print_, created_at=now
                )
        except IntegrityError:
            earlier = IdempotencyKey.objects.filter(user=user, key=key).first()
        if earlier is None:
            continue  # it went away between the insert and the read
        if earlier.fingerprint != print_:
            raise ApiError(catalogue.IDEMPOTENCY_KEY_REUSED)
        if earlier.status_code is not None:
            return replay(earlier)
        if earlier.created_at > now - ABANDONED_AFTER:
            raise ApiError(catalogue.IDEMPOTENCY_IN_PROGRESS)
        earlier.delete()
    raise ApiError(catalogue.IDEMPOTENCY_IN_PROGRESS)


def settle(claimed: IdempotencyKey, response: Response) -> None:
    """Keep a successful answer to replay it; a refusal or an error keeps nothing,
    so the corrected request can be sent again."""
    if response.status_code >= 400:
        claimed.delete()
        return
    claimed.status_code = response.status_code
    claimed.response = response.data
    claimed.save(update_fields=["status_code", "response"])


def replay(earlier: IdempotencyKey) -> Response:
    return Response(
        earlier.response,
        status=earlier.status_code,
        headers={REPLAYED_HEADER: "true"},
    )


def fingerprint(request: Request) -> str:
    """Method, path and body; form bodies are compared by their fields and files,
    not by their bytes, so a re-sent upload with a new multipart boundary matches."""
    data = request.data
    if hasattr(data, "lists"):
        body: Any = {
            name: [_value(item) for item in items] for name, items in data.lists()
        }
    else:
        body = data
    text = json.dumps([request.method, request.path, body], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _value(item: Any) -> Any:
    if not isinstance(item, UploadedFile):
        return item
    digest = hashlib.sha256()
    for chunk in item.chunks():
        digest.update(chunk)
    item.seek(0)
    return f"file:{item.name}:{digest.hexdigest()}"
