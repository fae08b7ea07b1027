"""Fill in the public forms with a test client the way a browser would: hidden fields carried on."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


class _Controls(HTMLParser):
    """Collect what a browser would send: filled-in fields, checked options, selected options."""

    def __init__(self) -> None:
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        kind = a.get("type", "text")
        if tag == "input" and "name" in a and kind not in ("submit", "button"):
            if kind not in ("radio", "checkbox") or "checked" in a:
                self.values.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values.append((a["name"], ""))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.values.append((self._select, a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            name, typed = self.values[-1]
            self.values[-1] = (name, typed + data)


class Filler:
    """Walk through a form page by page, keeping the hidden fields (CSRF token, page, answers)."""

    def __init__(self, client: FlaskClient, form_id: str) -> None:
        self.client, self.url = client, f"/formulier/{form_id}"
        self.response: TestResponse = client.get(self.url)

    @property
    def html(self) -> str:
        """Return the current page's HTML."""
        return self.response.get_data(as_text=True)

    def hidden(self) -> dict[str, str]:
        """Return the hidden fields of the current page."""
        return {name: html.unescape(value) for name, value in HIDDEN.findall(self.html)}

    def controls(self) -> MultiDict[str, str]:
        """Return what the current page would send as it is."""
        parser = _Controls()
        parser.feed(self.html)
        return MultiDict(parser.values)

    def send(self, action: str = "next", **fields: Any) -> TestResponse:
        """Press the button with value action, after typing or choosing fields on this page."""
        data = self.controls()
        for key, value in fields.items():
            data.setlist(key.replace("__", "-"), value if isinstance(value, list) else [value])
        data["action"] = action
        self.response = self.client.post(self.url, data=data)
        return self.response

    def heading(self) -> str:
        """Return the text of the page's h1."""
        found = re.search(r"<h1>(.*?)</h1>", self.html, re.S)
        return html.unescape(found.group(1).strip()).replace("\u00ad", "") if found else ""

    def errors(self) -> list[str]:
        """Return the error summary's messages."""
        summary = re.search(r'class="error-summary".*?</div>', self.html, re.S)
        items = re.findall(r"<li>(?:<a [^>]*>)?(.*?)(?:</a>)?</li>", summary.group(0)) \
            if summary else []
        return [html.unescape(i) for i in items]


KNELPUNT_TEXT = ("Mijn moeder wacht al drie weken op een afspraak bij de huisarts in Haven. "
                 "De telefoon wordt niet opgenomen.")


def fill_knelpunt(client: FlaskClient, text: str = KNELPUNT_TEXT, contact: bool = True) -> Filler:
    """Fill in the knelpunt form up to the check page."""
    filler = Filler(client, "knelpunt")
    filler.send(wijk="haven")
    filler.send(wat=text)
    filler.send(zorg=["huisarts", "weet_niet"])
    filler.send(hoe_vaak="vaak", hoe_erg="4")
    filler.send(wie="mantelzorger", leeftijd="40-64")
    consent = {"contact__consent": "yes", "contact__email": "mantelzorger@example.org"} \
        if contact else {"contact__consent": "no"}
    filler.send(**consent)
    return filler


CODES = re.compile(r'<p class="code(?: long)?"><span aria-hidden="true">([A-Z0-9-]+)</span>')


def submit_page(filler: Filler) -> str:
    """Send from the check page; return the confirmation page (shown once)."""
    response = filler.send("submit")
    assert response.status_code == 303, filler.html
    return filler.client.get(response.headers["Location"]).get_data(as_text=True)


def submit_codes(filler: Filler) -> tuple[str, str]:
    """Send from the check page; return the reference and withdraw codes on the confirmation."""
    reference, withdraw = CODES.findall(submit_page(filler))
    return reference, withdraw


def submit(filler: Filler) -> str:
    """Send from the check page and return the reference code shown on the confirmation."""
    return submit_codes(filler)[0]
