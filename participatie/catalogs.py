"""Keep the UI catalogs right: extract, update, fill English, compile, and check freshness."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
EXTRACT = ["extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l", "--no-location",
           "--sort-output", "--omit-header", "--project", "participatie"]


def extract(output: Path) -> None:
    """Extract the msgids of the code and templates into output."""
    args = [sys.executable, "-m", "babel.messages.frontend", *EXTRACT, "-o", str(output), str(ROOT)]
    subprocess.run(args, check=True, capture_output=True, cwd=ROOT)


def read(path: Path) -> Catalog:
    """Read a .po or .pot file."""
    with open(path, "rb") as handle:
        return read_po(handle)


def update() -> None:
    """Extract, merge into each language, fill English from the msgids, and compile."""
    extract(POT)
    for po_path in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        catalog = read(po_path)
        # a fresh template per language: update() adopts the template's message objects, so
        # filling English into a shared template would fill Dutch with English too
        catalog.update(read(POT), no_fuzzy_matching=True)
        if po_path.parts[-3] == "en":
            for message in catalog:  # plural messages have a tuple of strings
                if message.id and not (all(message.string) if isinstance(message.string, tuple)
                                       else message.string):
                    message.string = message.id
        with open(po_path, "wb") as handle:
            write_po(handle, catalog, omit_header=False, sort_output=True, no_location=True,
                     ignore_obsolete=True, width=100)
        po_path.with_suffix(".mo").write_bytes(compile_catalog(po_path))


def compile_catalog(po_path: Path) -> bytes:
    """Return the compiled .mo bytes of a .po (nothing is written)."""
    buffer = io.BytesIO()
    write_mo(buffer, read(po_path))
    return buffer.getvalue()


def messages(catalog: Catalog) -> dict[object, object]:
    """Return a catalog's translations (msgid -> msgstr) without its header or empty entries."""
    def key(value: object) -> object:
        return tuple(value) if isinstance(value, list | tuple) else value

    return {key(m.id): key(m.string) for m in catalog if m.id and m.string and not m.fuzzy}


def stale_compiled() -> list[str]:
    """Name the .mo files whose messages differ from their .po (compared by message, not byte)."""
    stale: list[str] = []
    for po_path in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists():
            stale.append(f"{mo_path}: missing")
            continue
        with open(mo_path, "rb") as handle:
            compiled = messages(read_mo(handle))
        if compiled != messages(read(po_path)):
            stale.append(f"{mo_path}: stale")
    return stale


def problems() -> list[str]:
    """List what is wrong: missing, untranslated or fuzzy entries, stale .mo files."""
    found: list[str] = []
    ids = {m.id for m in read(POT) if m.id}
    for po_path in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        lang = po_path.parts[-3]
        catalog = read(po_path)
        po_ids = {m.id for m in catalog if m.id}
        found += [f"{lang}: missing {i!r}" for i in sorted(map(str, ids - po_ids))]
        for message in catalog:
            if message.id and (not message.string or (isinstance(message.string, tuple)
                                                      and not all(message.string))):
                found.append(f"{lang}: untranslated {message.id!r}")
            if message.id and message.fuzzy:
                found.append(f"{lang}: fuzzy {message.id!r}")
    return found + stale_compiled()


if __name__ == "__main__":
    update()
    for line in problems():
        print(line)
