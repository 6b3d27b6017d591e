"""What happens to a certificate after it is installed: renewal, revocation, health
checks and the emails that tell people about them.

A Django app of its own (label "lifecycle") so its bookkeeping tables and migrations
stay apart from the pipeline's. The calls other parts make are re-exported here;
they import their module on first use, since this package loads with the app
registry.
"""


def notify(event: str, order_or_certificate):
    from apps.certificates.lifecycle.notifications import notify as _notify

    return _notify(event, order_or_certificate)


def revoke(*, user, site, serial_text: str, confirm: bool):
    from apps.certificates.lifecycle.revocation import revoke as _revoke

    return _revoke(user=user, site=site, serial_text=serial_text, confirm=confirm)


def check_site(site):
    from apps.certificates.lifecycle.health import check_site as _check_site

    return _check_site(site)
