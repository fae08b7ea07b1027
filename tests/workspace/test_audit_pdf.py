"""Audit: the PDFs made on the server use the whole print stylesheet (page numbers, fonts)."""

from __future__ import annotations

import io
import logging
import re

import pytest
from pypdf import PdfReader


@pytest.mark.parametrize("target", ["agenda", "dossier"])
def test_the_pdf_keeps_the_print_stylesheet_and_numbers_its_pages(app, world, login, caplog,
                                                                   target):
    client = login("asd")
    url = (f"/werkruimte/resv/{world.meetings['own']}/agenda.pdf" if target == "agenda"
           else f"/werkruimte/dossiers/{world.dossiers['own']}/verslag.pdf")
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    # the stylesheet reached WeasyPrint as CSS, not as HTML-escaped text ("&#34;")
    assert not [r.getMessage() for r in caplog.records if "&#34" in r.getMessage()]
    reader = PdfReader(io.BytesIO(response.get_data()))
    pages = len(reader.pages)
    last = reader.pages[-1].extract_text()
    # "@bottom-right { content: counter(page) " / " counter(pages) }" in print.css
    assert re.search(rf"\b{pages} / {pages}\b", last), last[-200:]
