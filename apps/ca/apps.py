from django.apps import AppConfig


class CaConfig(AppConfig):
    name = "apps.ca"
    label = "ca"
