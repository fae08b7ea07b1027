"""Outgoing e-mail over SMTP, configured by PARTICIPATIE_SMTP_* settings."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from flask import current_app


def build_message(to: str, subject: str, text: str, html: str | None = None,
                  headers: Mapping[str, str] | None = None,
                  sender: str | None = None) -> EmailMessage:
    """Build a message with a plain-text part and, when given, an HTML alternative."""
    message = EmailMessage()
    message["From"] = sender or current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    headers = dict(headers or {})
    message["Message-ID"] = headers.pop("Message-ID", None) or make_msgid(
        domain=message["From"].rpartition("@")[2] or None)
    for name, value in headers.items():
        message[name] = value
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def connect(config: Mapping[str, Any] | None = None) -> smtplib.SMTP:
    """Open an SMTP connection (plain, STARTTLS or SSL) and log in when a user is set."""
    config = config or current_app.config
    host, port, security = config["SMTP_HOST"], config["SMTP_PORT"], config["SMTP_SECURITY"]
    if security == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=30,
                                              context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=30)
        if security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
    if config.get("SMTP_USER"):
        smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"] or "")
    return smtp


def send(message: EmailMessage, smtp: smtplib.SMTP | None = None) -> None:
    """Send one message, on the given connection or a new one; SMTP errors propagate."""
    if smtp is not None:
        smtp.send_message(message)
        return
    with connect() as connection:
        connection.send_message(message)
