"""PDF documents from HTML with WeasyPrint: no browser, and no fetching of anything from outside."""

from __future__ import annotations

from pathlib import Path
from typing import Any

PRINT_CSS = Path(__file__).resolve().parent / "static" / "print.css"


def _refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    # documents are self-contained: an image or stylesheet from elsewhere is never fetched
    raise ValueError(f"not fetched: {url[:60]}")


def print_css() -> str:
    """Return the A4 print stylesheet shared by the browser's print view and the PDF."""
    return PRINT_CSS.read_text(encoding="utf-8")


def render(html: str, title: str = "") -> bytes:
    """Render a self-contained HTML document (styles inline) to PDF bytes."""
    from weasyprint import HTML  # imported here: loading Pango takes a moment

    document = HTML(string=html, url_fetcher=_refuse, base_url="about:blank")
    return document.write_pdf()  # type: ignore[no-any-return]
