from participatie import catalogs


def test_catalogs_template_is_fresh(tmp_path):
    catalogs.extract(tmp_path / "fresh.pot")
    fresh = {m.id for m in catalogs.read(tmp_path / "fresh.pot") if m.id}
    stored = {m.id for m in catalogs.read(catalogs.POT) if m.id}
    assert fresh == stored, "run `make translations` and translate the new texts"


def test_catalogs_complete_without_fuzzy_entries():
    assert catalogs.problems() == []


def test_catalogs_compiled_files_are_current(tmp_path):
    for po_path in catalogs.TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        stored = mo_path.read_bytes()
        assert catalogs.compile_catalog(po_path) == stored, f"{mo_path} is stale"


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
