def test_public_home_lists_wijken_in_dutch(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="nl">' in page
    assert "Vertel wat er misgaat in de zorg in uw wijk" in page
    assert "Waterwijk" in page and "Almere Haven" in page


def test_public_language_switch_without_javascript(client):
    response = client.get("/?lang=en")
    assert '<html lang="en">' in response.get_data(as_text=True)
    assert "taal=en" in response.headers["Set-Cookie"]
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    assert '<html lang="nl">' in client.get("/?lang=nl").get_data(as_text=True)


def test_public_unknown_language_falls_back_to_dutch(client):
    assert '<html lang="nl">' in client.get("/?lang=xx").get_data(as_text=True)


def test_public_healthz_checks_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok", "database": "ok"}


def test_public_healthz_reports_unreachable_database(tmp_path):
    from tests.conftest import make_app

    app = make_app(f"sqlite:///{tmp_path}/missing/dir/x.db")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["database"] == "unreachable"


def test_public_friendly_404_in_dutch(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)


def test_public_database_error_gives_friendly_page(tmp_path):
    from tests.conftest import make_app

    app = make_app(f"sqlite:///{tmp_path}/empty.db")
    response = app.test_client().get("/")
    assert response.status_code == 503
    assert "het werkt nu even niet" in response.get_data(as_text=True)
