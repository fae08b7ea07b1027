import pytest
from sqlalchemy import func, select

from participatie.models import Discipline, Region, Wijk
from participatie.seeding import seed
from participatie.yamlfile import DefinitionError


def test_seeding_has_almere_with_active_waterwijk_and_haven(session):
    almere = session.scalar(select(Region).where(Region.slug == "almere"))
    active = {w.slug for w in session.scalars(select(Wijk).where(Wijk.active.is_(True)))}
    assert almere is not None and active == {"waterwijk", "haven"}
    assert session.scalar(select(func.count(Wijk.id))) > 10


def test_seeding_has_the_13_resv_disciplines_and_social_domain(session):
    disciplines = session.scalars(select(Discipline)).all()
    assert sum(d.resv for d in disciplines) == 13
    assert {"huisartsen", "wijkverpleging", "apothekers", "sociaal_domein"} <= {
        d.code for d in disciplines}


def test_seeding_twice_adds_nothing(session):
    assert seed(session) == {"regions": 0, "wijken": 0, "disciplines": 0}


def test_seeding_broken_file_names_file_and_line(session, tmp_path):
    (tmp_path / "regions.yaml").write_text(
        "- slug: x\n  name: X\n  stadsdelen:\n    - name: S\n      wijken:\n        - {name: W}\n")
    (tmp_path / "disciplines.yaml").write_text("[]\n")
    with pytest.raises(DefinitionError) as error:
        seed(session, tmp_path)
    assert "regions.yaml, line 6" in str(error.value) and "'slug' is missing" in str(error.value)
    session.rollback()


def test_seeding_invalid_yaml_names_line(session, tmp_path):
    (tmp_path / "regions.yaml").write_text("- slug: x\n  name: [unclosed\n")
    with pytest.raises(DefinitionError) as error:
        seed(session, tmp_path)
    assert "regions.yaml, line" in str(error.value) and "not valid YAML" in str(error.value)


def test_seeding_corrects_discipline_names_keeps_codes(session):
    social = session.scalar(select(Discipline).where(Discipline.code == "sociaal_domein"))
    assert social.name_nl == "Sociaal domein (gemeente, Wmo, welzijn)"
    social.name_nl = "Sociaal domein (gemeente"
    session.commit()
    seed(session)
    assert social.name_nl == "Sociaal domein (gemeente, Wmo, welzijn)"
