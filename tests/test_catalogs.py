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
