"""Redaction cannot be bypassed with odd characters or spelled-out data, and does not over-redact.

Issue 11, "Redaction can be bypassed". The rules-mode tests are fast; the deduce-backed ones are
marked slow and need the deduce cache (python -m nlp warmup).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from nlp import Redactor
from nlp.normalize import normalize
from nlp.redact import deduce_cache_path

RULES = Redactor("rules")
ROOT = Path(__file__).resolve().parents[2]


def _deduce_ready() -> bool:
    try:
        cache = deduce_cache_path()
    except ImportError:
        return False
    return cache.exists() and any(p.is_file() for p in cache.rglob("*") if "cache" in p.parts)


needs_deduce = [pytest.mark.slow, pytest.mark.skipif(
    not _deduce_ready(), reason="deduce cache not built (python -m nlp warmup)")]


@pytest.fixture(scope="module")
def deduce() -> Redactor:
    """Return one deduce-backed redactor for the module (loading takes seconds)."""
    redactor = Redactor("deduce")
    redactor.warmup()
    return redactor


# --- normalisation: what is stored is normalised ---------------------------------------------

def test_redact_returns_normalised_text_and_keeps_real_letters() -> None:
    raw = ("Ge\u00adwoon\u200b tekst\u2060 met\ufeff \u202eomgekeerd\u202c, ｆｕｌｌ ２０２４, "
           "een\u00a0spatie, een\u2009dunne\u3000en 3\u20134 of 5\u20146 weken.")
    assert RULES.redact(raw) == ("Gewoon tekst met omgekeerd, full 2024, een spatie, een dunne en "
                                 "3-4 of 5-6 weken.")
    letters = "Café, privé, reünie, coördinatie, ışık, Şükrü, Ağrı, مرحبا بالعالم, Cliëntenraad"
    assert RULES.redact(letters) == letters


def test_normalise_keeps_line_breaks_and_is_idempotent() -> None:
    text = "Regel een\r\nRegel\u2028twee\n\nDerde\u00ad regel ٠٦"
    assert normalize(text) == "Regel een\nRegel\ntwee\n\nDerde regel 06"
    assert normalize(normalize(text)) == normalize(text)


# --- odd characters inside phone numbers and e-mail addresses --------------------------------

@pytest.mark.parametrize("phone", [
    "06\u200b12345678", "06\u200c1234\u200d5678", "06\u206012345678",
    "06\u00ad12\u00ad34\u00ad56\u00ad78", "\u202e06-12345678\u202c", "\u2066061234\u20695678",
    "\ufeff0612345678", "06\u200e1234\u200f5678",
    "０６１２３４５６７８", "０６-１２３４５６７８", "٠٦١٢٣٤٥٦٧٨",
])
def test_invisible_and_wide_characters_in_phone_numbers(phone: str) -> None:
    assert RULES.redact(f"Bel mij op {phone} graag.") == "Bel mij op [TELEFOON] graag."


@pytest.mark.parametrize("email", [
    "j.\u200bbakker@hotmail.com", "jan\u00ad@ziggo.nl", "jan@zig\u2060go.nl",
    "jan\uff20ziggo\uff0enl",
    "\u202ejan@ziggo.nl\u202c", "ja\u200dn@gmail.com",
])
def test_invisible_and_wide_characters_in_email(email: str) -> None:
    assert RULES.redact(f"Mail {email} graag.") == "Mail [EMAIL] graag."


# --- other separators, words, country codes --------------------------------------------------

@pytest.mark.parametrize("phone", [
    "06\u201312345678", "06\u2014123\u201445678", "06\u20111234\u20115678",
    "036\u2212538\u22121234", "06\u00a01234\u00a05678", "06\u2009123\u2009456\u200978",
    "06\u202f12\u202f34\u202f56\u202f78",
    "0\u30006\u30001\u30002\u30003\u30004\u30005\u30006\u30007\u30008",
    "06/12.34.56.78", "06_12_34_56_78", "(06) 123 456 78", "06 - 1234 - 5678",
    "0 6 1 2 3 4 5 6 7 8",
    "06--12--34--56--78", "06 * 12 * 34 * 56 * 78",
    "nul zes twaalf 34 56 78", "nul zes een twee drie vier vijf zes zeven acht",
    "06 twaalf vierendertig zesenvijftig achtenzeventig", "nul-zes-12-34-56-78",
    "o6-12345678", "O6 1234 5678", "06-l2345678", "O6-I2345678", "6 12 34 56 78",
    "+31\u00a06\u00a01234\u00a05678", "0031\u20136\u201312345678", "+31 (0)6 - 12 34 56 78",
    "0031 (0) 36 538 12 34", "+31-6-12-34-56-78", "+90 532 123 45 67",
])
def test_phone_numbers_however_written(phone: str) -> None:
    assert RULES.redact(f"Bel mij op {phone} graag.") == "Bel mij op [TELEFOON] graag."


@pytest.mark.parametrize("email", [
    "jan.bakker[at]hotmail[dot]com", "truus (at) ziggo (punt) nl", "jan at gmail punt com",
    "k.devries apenstaartje gmail punt com", "jan @ hotmail . com", "jan[at]gmail",
    "fam.yilmaz[at]outlook.com", "oma.riet(at)live.nl", "s.el.amrani{at}gmail{dot}com",
    "annie [at] xs4all [.] nl", "w.visser at gmail dot com", "JAN [AT] ZIGGO [DOT] NL",
    "kees punt bakker apenstaartje hotmail punt com", "jan.bakker@@gmail.com",
])
def test_email_written_out(email: str) -> None:
    assert RULES.redact(f"Mail {email} graag.") == "Mail [EMAIL] graag."


@pytest.mark.parametrize("bsn", [
    "111-222-333", "111.222.333", "111 222 333", "1112 22 333", "111/222/333",
    "111\u2013222\u2013333",
    "111\u00a0222\u00a0333", "1\u200b1\u200b1\u200b2\u200b2\u200b2\u200b3\u200b3\u200b3",
])
def test_bsn_with_separators(bsn: str) -> None:
    assert RULES.redact(f"Dit is {bsn} van mij.") == "Dit is [BSN] van mij."


def test_surname_given_after_a_cue_and_floor_after_a_house_number() -> None:
    assert RULES.redact("Mijn achternaam is Voorbeeld.") == "Mijn achternaam is [NAAM]."
    assert RULES.redact("Kerkstraat 12 3e verdieping") == "[ADRES] 3e verdieping"


def test_digits_glued_to_words_are_still_found() -> None:
    assert RULES.redact("mijnnummer0612345678graag") == "mijnnummer[TELEFOON]graag"
    assert RULES.redact("bsn111222333.") == "bsn[BSN]."


@pytest.mark.parametrize("iban", [
    "NL91 ABNA 0417 1643 00", "nl91abna0417164300", "NL91-ABNA-0417-1643-00",
    "NL91\u00a0ABNA\u00a00417\u00a01643\u00a000",
])
def test_bank_account_numbers(iban: str) -> None:
    assert RULES.redact(f"Rekening {iban} graag.") == "Rekening [IBAN] graag."
    assert RULES.redact("Kenmerk NL12 ABCD 1234 5678 90.") == "Kenmerk NL12 ABCD 1234 5678 90."


@pytest.mark.parametrize("text, expected", [
    ("Mijn moeder is drieëntachtig.", "Mijn moeder is [LEEFTIJD]."),
    ("Ze is tachtig jaar oud.", "Ze is [LEEFTIJD] jaar oud."),
    ("Mijn zoon van twee huilt.", "Mijn zoon van [LEEFTIJD] huilt."),
    ("Een kind van 5 jaar.", "Een kind van [LEEFTIJD] jaar."),
    ("Geboren in maart 1948.", "Geboren in [GEBOORTEDATUM]."),
])
def test_ages_in_words_and_partial_birth_dates(text: str, expected: str) -> None:
    assert RULES.redact(text) == expected


def test_number_after_a_bsn_cue_even_when_the_eleven_test_fails() -> None:
    assert RULES.redact("Mijn BSN is 123456780 denk ik.") == "Mijn BSN is [BSN] denk ik."
    assert RULES.redact("Dossier 123456780.") == "Dossier 123456780."


@pytest.mark.parametrize("date", [
    "1948-03-14", "14.03.48", "14/3/1948", "14 maart 1948", "14-3-1948", "14 03 1948",
    "1948/3/14", "14 mrt '48", "14\u2011maart\u20111948", "3\u20137\u20131951", "14e maart 1948",
    "14. 03. 1948",
])
def test_birth_dates_in_other_forms(date: str) -> None:
    assert RULES.redact(f"Mijn moeder, geboren {date}, woont alleen.") == (
        "Mijn moeder, geboren [GEBOORTEDATUM], woont alleen.")


@pytest.mark.parametrize("date", ["1948-03-14", "14.03.48", "14 maart 1948"])
def test_old_dates_are_birth_dates_without_a_cue(date: str) -> None:
    assert RULES.redact(f"Sinds {date} is niets veranderd.") == (
        "Sinds [GEBOORTEDATUM] is niets veranderd.")


def test_birthday_without_a_year_after_a_cue() -> None:
    assert RULES.redact("Hij is jarig op 21 juni.") == "Hij is jarig op [GEBOORTEDATUM]."


@pytest.mark.parametrize("address", [
    "12 Stationsstraat", "Stationsstraat 12a", "Stationsstraat 12 A", "Lindenlaan 12-II",
    "Dorpsstraat 3 hs", "45 Hospitaaldreef", "Markerstraat nr. 55", "Baljuwstraat 140-3",
    "Stationsstr. 8", "12a Kerkweg", "Kerk\u00adstraat 1\u200b2", "Olympiaplein\u00a05",
])
def test_street_addresses_in_other_orders_and_forms(address: str) -> None:
    out = RULES.redact(f"Ik woon op {address} sinds januari.")
    assert out == "Ik woon op [ADRES] sinds januari."


@pytest.mark.parametrize("postcode", ["1312 ab", "1312ab", "1312\u00a0AB", "1312-AB"])
def test_postcodes_in_lower_case_and_with_odd_spaces(postcode: str) -> None:
    assert RULES.redact(f"Postcode {postcode} graag.") == "Postcode [POSTCODE] graag."


# --- over-redaction: look-alikes stay --------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Ik woon 2 jaar in Almere Buiten.",
    "Ik woon hier 5 jaar en de buurt is veranderd.",
    "Ik werk 10 jaar in de zorg.",
    "We wachten al 2 jaar op een woning.",
    "Ik ben 3 jaar mantelzorger voor mijn man.",
    "De praktijk is open van 08.00-12.00 en 13.00-17.00.",
    "In 2019, 2020 en 2021 kregen we steeds minder hulp.",
    "De wachtlijst is van 2 tot 4 maanden en kost 12,50 euro per 14 dagen.",
    "Bel 112 bij nood of de huisartsenpost op 0900 1234567.",
    "In 2000 en 1000 km verderop.",
    "Alleenstaande moeder van drie, ik werk in de thuiszorg.",
    "Vijf jaar zorg ik nu voor mijn man.",
    "Een aanwezigheid van vijf jaar, twee jaar na afloop.",
    "Dat is twee. Ik heb drie jaar gewacht.",
    "Hij is 1 van de 3 die nog komen.",
])
def test_durations_times_and_amounts_stay(text: str) -> None:
    assert RULES.redact(text) == text


def test_caller_keep_words_are_never_names() -> None:
    text = "De bus naar Marina rijdt niet."
    assert RULES.redact(text) == "De bus naar [NAAM] rijdt niet."
    assert Redactor("rules", keep=["Marina"]).redact(text) == text
    # keep words protect names only, never contact data
    kept = Redactor("rules", keep=["Marina", "06-12345678"])
    assert kept.redact("Marina: 06-12345678") == "Marina: [TELEFOON]"


@pytest.mark.parametrize("text, expected", [
    ("Ik ben Truus Voorbeeld en wacht op zorg.", "Ik ben [NAAM] en wacht op zorg."),
    ("Truus Voorbeeld belde gisteren.", "[NAAM] belde gisteren."),
    ("Groeten van Tru\u200bus Voorbeeld, mantelzorger.", "Groeten van [NAAM], mantelzorger."),
    ("Groet, Henk en Gerda Bakker", "Groet, [NAAM]"),
])
@pytest.mark.parametrize("mode", ["rules", pytest.param("deduce", marks=needs_deduce)])
def test_names_are_redacted_whole(text: str, expected: str, mode: str,
                                  request: pytest.FixtureRequest) -> None:
    redactor = request.getfixturevalue("deduce") if mode == "deduce" else RULES
    assert redactor.redact(text) == expected


@pytest.mark.parametrize("text", [
    "Ik woon in het centrum van Haven.",
    "In het centrum van Haven is geen pinautomaat meer.",
    "Ik woon 2 jaar in het centrum van Haven.",
    "Namens Cliëntenraad De Schoor melden we dat de wachtlijsten te lang zijn.",
    "De cliëntenraad van De Kiem vraagt aandacht voor eenzaamheid.",
    "Dagbesteding De Zonnebloem in de Kruidenwijk sluit op vrijdag.",
    "Ik heb Zilveren Kruis gebeld, de GGD en het Wmo-loket, niemand hielp.",
    "De huisartsenpost in Almere Buiten verwijst door naar Lelystad.",
    "In de Waterwijk, Stedenwijk, Filmwijk en Muziekwijk zijn te weinig tandartsen.",
    "Veel ouderen in de Regenboogbuurt en Nobelhorst zijn eenzaam.",
    "Sinds GGZ Centraal de intake deed wacht ik 14 weken.",
    "Mijn moeder woont 20 jaar in Almere Stad en kent niemand meer.",
])
@pytest.mark.parametrize("mode", ["rules", pytest.param("deduce", marks=needs_deduce)])
def test_places_organisations_and_care_words_stay(text: str, mode: str,
                                                  request: pytest.FixtureRequest) -> None:
    redactor = request.getfixturevalue("deduce") if mode == "deduce" else RULES
    assert redactor.redact(text) == text


# --- the adversarial bench set ----------------------------------------------------------------

def _bench() -> object:
    path = ROOT / "bench" / "redaction_eval.py"
    spec = importlib.util.spec_from_file_location("redaction_eval", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_adversarial_set_rules_mode_finds_all_but_names_and_no_false_positives() -> None:
    bench = _bench()
    data = bench.load(ROOT / "bench/data/redaction-adversarial.txt")  # type: ignore[attr-defined]
    result = bench.evaluate(data, RULES)  # type: ignore[attr-defined]
    assert result["occurrences"] >= 100
    assert result["precision_all"] == 1.0, result["false_positives"]
    assert all(r == 1.0 for kind, r in result["recall"].items() if kind != "naam"), result["missed"]
