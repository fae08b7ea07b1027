"""Outgoing e-mail over SMTP, configured by PARTICIPATIE_SMTP_* settings."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from flask import current_app

SMTP_ERRORS = (smtplib.SMTPException, OSError)


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


@dataclass(frozen=True)
class Rendered:
    """One e-mail ready to send: subject, both bodies and the extra headers."""

    to: str
    subject: str
    text: str
    html: str
    headers: dict[str, str]

    def message(self) -> EmailMessage:
        """Build the MIME message (plain text with an HTML alternative)."""
        return build_message(self.to, self.subject, self.text, self.html, self.headers)


def describe_error(error: BaseException) -> str:
    """Say in one line why a message was not sent (kept with the row that failed)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "refused: " + "; ".join(f"{code} {msg.decode(errors='replace')}"
                                       for code, msg in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {error.smtp_error.decode(errors='replace')}"
    return f"{type(error).__name__}: {error}"


class Connection:
    """One SMTP connection per run, opened on first use and reopened after it breaks."""

    def __init__(self, open_connection: Callable[[], smtplib.SMTP]) -> None:
        self._connect = open_connection
        self._smtp: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> None:
        """Send one message; SMTP errors propagate (a broken connection is dropped first)."""
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            send(message, smtp=self._smtp)
        except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused):
            raise  # the server answered (e.g. 550): the connection is still good
        except OSError:
            # disconnected or a network error: start over with a new connection next time
            self._smtp.close()
            self._smtp = None
            raise

    def close(self) -> None:
        """Say goodbye to the server, or just close when it is gone."""
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except SMTP_ERRORS:
                self._smtp.close()
            self._smtp = None
