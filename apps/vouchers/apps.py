from django.apps import AppConfig
from django.db.models.signals import post_migrate


class VouchersConfig(AppConfig):
    name = "apps.vouchers"
    label = "vouchers"

    def ready(self) -> None:
        post_migrate.connect(_ensure_schedule, sender=self)


def _ensure_schedule(sender: AppConfig, using: str = "default", **kwargs) -> None:
    from apps.vouchers.schedule import ensure_schedule

    ensure_schedule(using=using)
