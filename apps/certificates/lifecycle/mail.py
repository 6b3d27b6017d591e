"""Rendering and sending lifecycle emails: one notice alone, or a day's digest.
Every mail has a plain text part and an HTML part (templates/email/)."""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from apps.certificates.lifecycle.models import Notice
from apps.core import clock


def item(notice: Notice) -> dict:
    """What the templates show of one notice."""
    certificate = notice.certificate
    data = notice.data
    context = {
        "event": notice.event,
        "event_label": Notice.Event(notice.event).label,
        "site": notice.site.display_name or notice.site.name,
        "order_id": notice.order_id,
        "code": data.get("code"),
        "message": data.get("message", ""),
        "advice": data.get("advice", ""),
        "renewal": data.get("renewal", False),
        "retry_at": data.get("retry_at"),
    }
    if certificate is not None:
        left = certificate.not_after - clock.now()
        context.update(
            serial=certificate.serial_hex,
            names=certificate.sans or [certificate.subject_cn],
            not_after=certificate.not_after,
            days_left=max(left // dt.timedelta(days=1), 0),
        )
    return context


def subject(entry: dict) -> str:
    site = entry["site"]
    if entry["event"] == Notice.Event.ISSUED:
        return _("Certificate issued for %(site)s") % {"site": site}
    if entry["event"] == Notice.Event.FAILED:
        what = _("Renewal") if entry["renewal"] else _("Certificate order")
        return _("%(what)s failed for %(site)s (error %(code)s)") % {
            "what": what,
            "site": site,
            "code": entry["code"],
        }
    if entry["event"] == Notice.Event.EXPIRING:
        return _("Certificate for %(site)s expires in %(days)s days") % {
            "site": site,
            "days": entry.get("days_left", 0),
        }
    return _("Certificate for %(site)s was revoked") % {"site": site}


def send_notice(notice: Notice, address: str) -> None:
    entry = item(notice)
    _send(subject(entry), "email/notice", {"item": entry}, address)


def send_digest(notices: list[Notice], address: str) -> None:
    entries = [item(n) for n in notices]
    groups = [
        (label, [e for e in entries if e["event"] == event])
        for event, label in Notice.Event.choices
    ]
    context = {
        "groups": [(label, g) for label, g in groups if g],
        "count": len(entries),
    }
    title = _("Certfleet: %(count)s updates on your certificates") % {
        "count": len(entries)
    }
    _send(title, "email/digest", context, address)


def _send(title: str, template: str, context: dict, address: str) -> None:
    context = {**context, "subject": title}
    message = EmailMultiAlternatives(
        subject=title,
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )
    message.attach_alternative(
        render_to_string(f"{template}.html", context), "text/html"
    )
    message.send()
