from django.apps import AppConfig
from django.db.models.signals import post_migrate


class BulkConfig(AppConfig):
    name = "apps.bulk"
    label = "bulk"

    def ready(self) -> None:
        post_migrate.connect(_ensure_schedule, sender=self)


def _ensure_schedule(sender, using="default", **kwargs) -> None:
    from apps.bulk.schedule import ensure_schedule

    ensure_schedule(using=using)
