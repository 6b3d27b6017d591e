from django.db import models

from apps.audit.models import AuditEvent
from apps.core import clock


def record(
    action: str, obj: models.Model, actor=None, account=None, **data
) -> AuditEvent:
    """Write one audit event; `account` defaults to the object's owner."""
    if account is None:
        account = getattr(obj, "owner", None) or getattr(obj, "account", None)
    return AuditEvent.objects.create(
        at=clock.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        account=account,
        data=data,
    )
