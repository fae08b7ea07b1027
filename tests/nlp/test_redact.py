"""Redaction: rules always; deduce when its lookup cache is built."""

from __future__ import annotations

import logging

import pytest

from nlp import Redactor
from nlp.redact import deduce_cache_path
from nlp.rules import bsn_valid

RULES = Redactor("rules")


@pytest.mark.parametrize("phone", [
    "06-12345678", "06 1234 5678", "0612345678", "+31 6 1234 5678", "+31612345678",
    "0031 6 12 34 56 78", "036-5381234", "036 - 538 12 34", "(036) 538 12 34",
    "+48 601 234 567",
])
def test_phone_numbers_become_placeholders(phone: str) -> None:
    assert RULES.redact(f"Bel mij op {phone} graag.") == "Bel mij op [TELEFOON] graag."


def test_email_postcode_and_address() -> None:
    text = "Mail j.de.vries@hotmail.com, ik woon Kerkstraat 12, 1312 AB Almere."
    assert RULES.redact(text) == "Mail [EMAIL], ik woon [ADRES], [POSTCODE]."


def test_bsn_only_when_eleven_test_passes() -> None:
    assert bsn_valid("725763863") and not bsn_valid("123456789")
    assert RULES.redact("BSN 725763863.") == "BSN [BSN]."
    assert RULES.redact("Dossier 123456789.") == "Dossier 123456789."


def test_birth_dates_and_ages_but_not_durations() -> None:
    text = "Geboren 14-02-1938, nu 86 jaar. Mijn vader (79) wacht al 3 jaar en 12 weken."
    out = RULES.redact(text)
    assert out == ("Geboren [GEBOORTEDATUM], nu [LEEFTIJD] jaar. Mijn vader ([LEEFTIJD]) wacht "
                   "al 3 jaar en 12 weken.")


def test_lower_case_names_after_a_cue() -> None:
    assert RULES.redact("ik ben jan bakker uit Haven") == "ik ben [NAAM] uit Haven"
    assert RULES.redact("mijn naam is fatima") == "mijn naam is [NAAM]"
    assert RULES.redact("ik ben moe en ik ben mantelzorger") == "ik ben moe en ik ben mantelzorger"


def test_care_words_and_places_stay() -> None:
    text = "De huisarts in de Muziekwijk stuurde me naar het Flevoziekenhuis, 112 gebeld."
    assert RULES.redact(text) == text


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError):
        Redactor("magic")


def _deduce_ready() -> bool:
    try:
        cache = deduce_cache_path()
    except ImportError:
        return False
    return cache.exists() and any(p.suffix == ".pickle" or p.is_file() for p in cache.rglob("*")
                                  if "cache" in p.parts)


@pytest.mark.slow
@pytest.mark.skipif(not _deduce_ready(), reason="deduce cache not built (python -m nlp warmup)")
def test_deduce_finds_names_and_keeps_logs_quiet() -> None:
    redactor = Redactor()
    out = redactor.redact("Mevrouw Truus de Vries belde dokter Jansen in Almere Haven.")
    assert "Truus" not in out and "Jansen" not in out and "Almere Haven" in out
    assert logging.getLogger().getEffectiveLevel() >= logging.WARNING


def test_rules_mode_finds_capitalised_first_names() -> None:
    out = RULES.redact("Gisteren belde Karin Smit met de wijkverpleging in Almere Haven.")
    assert out == "Gisteren belde [NAAM] met de wijkverpleging in Almere Haven."
