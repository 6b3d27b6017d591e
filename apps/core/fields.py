from django.db import models

from apps.core import crypto


class EncryptedTextField(models.TextField):
    """Text stored encrypted; Python code sees plain text."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return crypto.encrypt(value)
