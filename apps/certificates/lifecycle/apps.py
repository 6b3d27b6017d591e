from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LifecycleConfig(AppConfig):
    name = "apps.certificates.lifecycle"
    label = "lifecycle"
    verbose_name = "Certificate lifecycle"

    def ready(self) -> None:
        post_migrate.connect(_ensure_schedule, sender=self)


def _ensure_schedule(sender, using="default", **kwargs) -> None:
    from apps.certificates.lifecycle.schedule import ensure_schedule

    ensure_schedule(using=using)
