from participatie import catalogs


def test_catalogs_template_is_fresh(tmp_path):
    catalogs.extract(tmp_path / "fresh.pot")
    fresh = {m.id for m in catalogs.read(tmp_path / "fresh.pot") if m.id}
    stored = {m.id for m in catalogs.read(catalogs.POT) if m.id}
    assert fresh == stored, "run `make translations` and translate the new texts"


def test_catalogs_complete_without_fuzzy_entries():
    assert catalogs.problems() == []


def test_catalogs_compiled_files_are_current():
    assert catalogs.stale_compiled() == [], "run `make translations`"


def test_catalogs_compiled_check_compares_messages_not_bytes(tmp_path, monkeypatch):
    import shutil

    from babel.messages.mofile import read_mo, write_mo

    copy = tmp_path / "translations"
    shutil.copytree(catalogs.TRANSLATIONS, copy)
    monkeypatch.setattr(catalogs, "TRANSLATIONS", copy)
    mo_path = copy / "nl/LC_MESSAGES/messages.mo"
    with open(mo_path, "rb") as handle:
        catalog = read_mo(handle)
    catalog.fuzzy = False
    catalog.msgid_bugs_address = "someone-else@example.org"  # another Babel, another header
    with open(mo_path, "wb") as handle:
        write_mo(handle, catalog)
    assert catalogs.stale_compiled() == []
    catalog["Skip to content"].string = "Iets anders"
    with open(mo_path, "wb") as handle:
        write_mo(handle, catalog)
    assert catalogs.stale_compiled() == [f"{mo_path}: stale"]


def test_catalogs_checks_write_nothing():
    files = sorted(catalogs.TRANSLATIONS.rglob("*"))
    before = {path: path.stat().st_mtime_ns for path in files}
    catalogs.problems()
    catalogs.stale_compiled()
    for po_path in catalogs.TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        catalogs.compile_catalog(po_path)
    assert {path: path.stat().st_mtime_ns for path in files} == before


def test_catalogs_update_fills_english_only(tmp_path, monkeypatch):
    import shutil

    from babel.messages.pofile import write_po

    copy = tmp_path / "translations"
    shutil.copytree(catalogs.TRANSLATIONS, copy)
    monkeypatch.setattr(catalogs, "TRANSLATIONS", copy)
    monkeypatch.setattr(catalogs, "POT", copy / "messages.pot")
    for lang in ("en", "nl"):  # forget one text, as if it were new
        po_path = copy / lang / "LC_MESSAGES" / "messages.po"
        catalog = catalogs.read(po_path)
        del catalog["Skip to content"]
        with open(po_path, "wb") as handle:
            write_po(handle, catalog)
    catalogs.update()
    assert catalogs.read(copy / "en/LC_MESSAGES/messages.po")["Skip to content"].string == \
        "Skip to content"
    assert catalogs.read(copy / "nl/LC_MESSAGES/messages.po")["Skip to content"].string == ""


def test_no_text_holds_a_bare_less_than_sign():
    """Templates output translated texts unescaped (they may hold markup), so "<5" in a text
    reached the page as a broken tag; a literal "<" goes in as a parameter, which is escaped."""
    import re

    bare = [m.id for m in catalogs.read(catalogs.POT) if m.id
            for text in (m.id if isinstance(m.id, tuple) else (m.id,))
            if re.search(r"<(?![a-zA-Z/!])", text)]
    assert bare == []
