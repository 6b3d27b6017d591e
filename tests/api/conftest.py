from tests.api.fixtures import api, fast_passwords, fleet  # noqa: F401
