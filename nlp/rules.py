"""Rule-based detectors for Dutch personal data that deduce misses or that need checking."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import simplemma

PLACEHOLDERS = {
    "naam": "[NAAM]",
    "telefoon": "[TELEFOON]",
    "email": "[EMAIL]",
    "adres": "[ADRES]",
    "postcode": "[POSTCODE]",
    "geboortedatum": "[GEBOORTEDATUM]",
    "bsn": "[BSN]",
    "leeftijd": "[LEEFTIJD]",
    "iban": "[IBAN]",
}


@dataclass(frozen=True)
class Span:
    """A detected piece of personal data: character offsets and its kind."""

    start: int
    end: int
    kind: str


EMAIL = re.compile(r"[\w.+-]+@+[\w-]+(?:\.[\w-]+)+", re.UNICODE)
PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?31[\s.-]?(?:\(0\)[\s.-]?)?|\(?0)"
    r"(?:[1-9](?:(?:\s?[-.)/]\s?|\s)?\d){8})(?!\d)"
)
INTERNATIONAL = re.compile(r"(?<![\w+])(?:\+|00)[1-9]\d{1,2}(?:[\s.-]?\d){7,11}(?!\d)")
NINE_DIGITS = re.compile(
    r"(?<![\d.,-])(\d{4}[. ]?\d{2}[. ]?\d{3}|\d{3}[. ]?\d{3}[. ]?\d{3})(?![\d])"
)
POSTCODE = re.compile(
    r"\b[1-9]\d{3}(?:\s?|-)([A-Za-z]{2})\b(?:\s+[A-Z][a-z]+(?:[- ][A-Z][a-z]+)?)?"
)
# two-letter words and units that follow a number in ordinary text ("2000 en", "5 km")
NOT_POSTCODE = frozenset(
    "sa sd ss en of om in op te de ik km je we ze al nu zo na is uw er ja nee la ca pm am mg ml cm "
    "mm kg gr hr dr ex en ie ok bv oa ps id bij ad tv pc nl eu af an as at be by do go he if it me "
    "my no on or so to up us".split()
)
STREET_SUFFIX = (
    r"(?:straat|laan|weg|plein|dreef|pad|kade|singel|gracht|hof|park|dijk|baan|boulevard|"
    r"steeg|ring|allee|markt|passage|promenade|erf|wal|burg|veld|plantsoen)"
)
HOUSE_NUMBER = (r"\d{1,4}(?:\s?-?\s?(?:[a-zA-Z](?![a-zA-Z])|I{1,3}\b|IV\b|hs\b|bis\b|bg\b|huis\b"
                r"|zw\b|rd\b|[1-9]\d{0,2}(?![\d\w]|[.,:]\d))|/\d{1,3}\b)?")
ADDRESS = re.compile(
    r"\b(?:[A-Z][\w'-]*[ -])?[A-Z]?[a-zà-ü'-]*(?:" + STREET_SUFFIX + r"|str\.)"
    + r"\s*(?:nr\.?|no\.?|nummer|huisnummer)?\s*" + HOUSE_NUMBER,
)
# "12 Stationsstraat", "12a, Kerkweg": the number first, the street (with at least two letters
# before the suffix, so "3 straat" or "2 weg" do not count) after it
NUMBER_FIRST = re.compile(
    r"(?<![\w.,:/-])" + HOUSE_NUMBER + r",?\s+(?:[A-Z][\w'-]*[ -])?[A-Za-zà-ü'-]{2,}"
    + STREET_SUFFIX + r"\b"
)
MONTHS = (r"(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
          r"december|january|february|march|may|june|july|august|october|"
          r"(?:jan|feb|mrt|mar|apr|jun|jul|aug|sept|sep|okt|oct|nov|dec)\b\.?)")
_D = r"(?:0?[1-9]|[12]\d|3[01])"
_M = r"(?:0?[1-9]|1[0-2])"
_Y = r"(?:19|20)\d{2}"
DATE = re.compile(
    r"(?<![\d.,/-])(?:"
    + _D + r"\s?([-/.])\s?" + _M + r"\s?\1\s?(?:" + _Y + r"|'?\d{2})"  # 14-3-1948, 14.03.48
    + r"|" + _D + r" " + _M + r" " + _Y  # 14 03 1948
    + r"|" + _Y + r"\s?([-/.])\s?" + _M + r"\s?\2\s?" + _D  # 1948-03-14
    # 14 maart 1948, 14e mrt '48
    + r"|" + _D + r"(?:e|ste|de)?[\s.-]*" + MONTHS + r"[\s.,-]*(?:" + _Y + r"|'\d{2})"
    + r"|" + MONTHS + r"\s+" + _D + r",?\s+" + _Y  # maart 14, 1948
    + r")(?![\d/-]|\.\d)",
    re.IGNORECASE,
)
BIRTH_CUE = re.compile(r"(?:geboren|geb\.|geboortedatum|geb\.?\s?datum|gebdat|geboortejaar|"
                       r"jarig|verjaardag|birthday|born|d\.o\.b\.?|dob)\W{0,3}"
                       r"(?:(?:is|was)\s+)?(?:op|in|sinds)?\s*(?:de\s+)?$", re.IGNORECASE)
# after a birth cue, a day and month without a year or a year alone is enough
CUED_DATE = re.compile(r"(?:" + _D + r"(?:e|ste|de)?[\s.-]*" + MONTHS + r"(?:[\s.,-]*" + _Y
                       + r")?|" + MONTHS + r"\s+" + _Y + r"|" + _D
                       + r"\s?[-/.]\s?" + _M + r"\b|" + _Y + r"\b)", re.IGNORECASE)
AGE = re.compile(
    r"\b(\d{1,3})(?:\s*|-)(?:jaar|jr\.?|jarige?)(?:\s+oud)?\b"
    r"|\b(?:is|ben|was|werd|wordt|van|word)\s(\d{1,3})\b(?!\s*(?:%|euro|minuten|min|uur|"
    r"dagen|weken|maanden|km|kilometer|keer|procent|patiënten|mensen|cliënten|jaar|jr|graden|"
    r"kilo|kg|gram|cm|meter|tot|naar|x\b|op\b|per\b|van\s+de|-|[.,:]\d))",
    re.IGNORECASE,
)
# a word right before "N jaar" that makes it a duration or a period, not an age:
# "al 3 jaar", "ik woon 2 jaar", "hier 5 jaar", "de 2 jaar", "een paar"
DURATION_BEFORE = frozenset(
    "al sinds over binnen na ruim bijna per elke laatste dan voor tot afgelopen ongeveer circa "
    "zo'n "
    "pas nog wel maar minimaal maximaal minstens hooguit zeker krap slechts "
    "woon woont wonen woonde woonden werk werkt werken werkte werkten wacht wachten wachtte "
    "zit zitten zat sta staat staan stond loop loopt lopen liep duurt duurde duren "
    "heb heeft hebben had hadden gewoond gewerkt gewacht getrouwd hier daar er "
    "de het die deze dit elk iedere om in op".split()
)
PERSON_NOUNS = frozenset(
    "kind kinderen kindje zoon zoontje zonen dochter dochtertje dochters man vrouw jongen meisje "
    "moeder vader oma opa baby patiënt patiënte cliënt buurman buurvrouw broer zus broertje zusje "
    "kleinzoon kleindochter kleinkind neef nicht tante oom persoon dame heer meneer mevrouw "
    "partner "
    "echtgenoot echtgenote vriend vriendin schoonvader schoonmoeder mens jongere oudere tiener "
    "peuter kleuter puber jongeman weduwe weduwnaar bewoner bewoonster inwoner leeftijd".split()
)
DURATION_AFTER = re.compile(
    r"\s*(?:geleden|lang|later|eerder|terug|gewacht|gewerkt|gewoond|getrouwd|in\s+dienst|"
    r"wachten|wachttijd|bezig|samen|achter\s+elkaar|op\s+de\s+wachtlijst|mantelzorger|na|nadat|"
    r"voordat|daarna|ervoor|erna)\b",
    re.IGNORECASE,
)
BARE_AGE = re.compile(
    r"\((\d{1,3})\)|(?<=[A-Za-z]), (\d{1,3}),|\b(?:van|zijn|waren) \d{1,2} en (\d{1,2})\b"
)
TITLE_NAME = re.compile(
    r"\b(?i:dokter|dr\.|dhr\.|mevr\.|mw\.|meneer|mevrouw|mijnheer|familie|fam\.|zuster)\s+"
    r"(?:[A-Z]\.\s?)*"
    r"(?:(?:van|de|der|den|el|van\s+de|van\s+der|ter|ten)\s+)?[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?"
)
KIN_NAME = re.compile(
    r"\b(?:[Mm]ijn|[Oo]nze|[Hh]aar|[Zz]ijn)\s+(?:moeder|vader|oma|opa|man|vrouw|zoon|dochter|broer|zus|"
    r"buurvrouw|buurman|schoonvader|schoonmoeder|partner|tante|oom|vriendin|vriend|kleinzoon|"
    r"kleindochter|patiënt|cliënt),?\s+([A-Za-zà-ü][\w'-]+)"
)
HOUSE = re.compile(
    r"(?:\bop|\baan\s+de|\baan\s+het|adres:?|woonachtig|,)\s+"
    r"([A-Z][a-zà-ü]+(?:[- ][A-Z]?[a-zà-ü]+)?\s+\d{1,4}[a-zA-Z]?)\b"
    r"(?!\s*(?:jaar|weken|dagen|minuten|uur|euro|%|procent|km|patiënten))"
)
NAME_CUE = re.compile(
    r"\b(ik\s+ben|ik\s+heet|mijn\s+naam\s+is|naam:|genaamd|heet|"
    r"(?:mijn\s+)?(?:achter|voor|meisjes|roep|familie)naam\s*(?:is|:))\s+"
    r"((?:[a-zà-ü][a-zà-ü'-]+|[A-Z][\w'-]+)(?:\s+(?:van|de|der|den|el|van\s+de|van\s+der|ter|ten)?"
    r"\s*[A-Za-zà-ü][\w'-]+)?)",
    re.IGNORECASE,
)
NOT_A_NAME = frozenset(
    "een de het mantelzorger inwoner huisarts wijkverpleegkundige moeder vader zoon dochter "
    "niet al zelf erg heel ook nu moe bang boos blij op in met alleen weduwe oud ziek van der den "
    "ter ten te is was heeft had en of die dat wil kan moet zegt".split()
)


# --- numbers however they are written: digit groups with any separators, "o6", number words ---
UNITS = {"nul": 0, "zero": 0, "een": 1, "één": 1, "eén": 1, "one": 1, "twee": 2, "two": 2,
         "drie": 3, "three": 3, "vier": 4, "four": 4, "vijf": 5, "five": 5, "zes": 6, "six": 6,
         "zeven": 7, "seven": 7, "acht": 8, "eight": 8, "negen": 9, "nine": 9}
TEENS = {"tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
         "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19}
TENS = {"twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70,
        "tachtig": 80, "negentig": 90}
_UNIT = "|".join(sorted(UNITS, key=len, reverse=True))
_TEN = "|".join(TENS)
NUMBER_TOKEN = re.compile(
    r"(?:" + _UNIT + r")\s*-?\s*(?:en|ën)\s*-?\s*(?:" + _TEN + r")"  # vierendertig, vier en dertig
    r"|[0-9oOlI]*[0-9][0-9oOlI]*"  # digits, with o/O for 0 and l/I for 1 ("o6-l2345678")
    r"|[^\W\d_]+",  # a word: letters only, so "tel0612345678" splits off its digits
    re.IGNORECASE,
)
# what may stand between the groups of one number: spaces, dashes, dots, slashes, brackets...
NUMBER_GAP = re.compile(r"[ \t\-./()_,*+|~\\#=·•'\"]{0,4}")
TIME_PAIRS = re.compile(r"(?<!\d)(?:[01]?\d|2[0-3])[.:](?:00|15|30|45)(?!\d)")
BSN_CUE = re.compile(r"(?:bsn|burgerservice\s?nummer|sofi\s?nummer|sofinr)\W{0,12}"
                     r"(?:(?:is|van\s+\w+(?:\s+\w+)?)\W{0,3})?$", re.IGNORECASE)


def _number_value(token: str) -> str | None:
    """Return the digits a token stands for: "06", "o6", "twaalf", "vierendertig"; else None."""
    low = token.lower()
    if low.isdigit():
        return low
    if re.fullmatch(r"[\doli]+", low) and any(c.isdigit() for c in low):
        return low.replace("o", "0").replace("l", "1").replace("i", "1")  # letters for digits
    if low in UNITS:
        return str(UNITS[low])
    if low in TEENS:
        return str(TEENS[low])
    if low in TENS:
        return str(TENS[low])
    m = re.fullmatch(r"(" + _UNIT + r")\s*-?\s*(?:en|ën)\s*-?\s*(" + _TEN + r")", low)
    if m:
        return str(TENS[m.group(2)] + UNITS[m.group(1)])
    return None


def _number_runs(text: str) -> Iterator[list[tuple[int, int, str, bool]]]:
    """Yield runs of (start, end, digits, is_word) tokens joined only by number separators."""
    run: list[tuple[int, int, str, bool]] = []
    for m in NUMBER_TOKEN.finditer(text):
        value = _number_value(m.group(0))
        joined = run and NUMBER_GAP.fullmatch(text, run[-1][1], m.start()) is not None
        if value is None or not joined:
            if len(run) > 0:
                yield run
            run = []
        if value is not None:
            run.append((m.start(), m.end(), value, not m.group(0)[-1].isdigit()))
    if run:
        yield run


def _phone_kind(digits: str, plus: bool) -> bool:
    """Return True when digits (with or without a leading +) make a phone number."""
    if plus:
        digits = "00" + digits
    if re.fullmatch(r"0[1-9]\d{8}|6\d{8}", digits):
        return True  # 06 12345678, 036 538 1234, and a mobile number without its 0
    if re.fullmatch(r"0031(?:0)?[1-9]\d{8}", digits):
        return True  # +31 6 ..., 0031 (0)6 ...
    return bool(re.fullmatch(r"00(?!31)[1-9]\d{8,12}", digits))  # +48 601 234 567


def _numbers(text: str) -> Iterator[Span]:
    """Find phone numbers and BSNs however their digits are grouped, spaced or spelled."""
    dates = [(m.start(), m.end()) for m in DATE.finditer(text)]

    def straddles(start: int, end: int) -> bool:
        # a number that starts or ends inside a date ("03-14, 14.03.48") is not one number
        return any(a < end and start < b and not (start <= a and b <= end) for a, b in dates)

    for run in _number_runs(text):
        for i in range(len(run)):
            digits = ""
            start = run[i][0]
            lead = re.search(r"\+\s?\(?\s?$", text[max(0, start - 4):start])
            plus = lead is not None
            for j in range(i, len(run)):
                digits += run[j][2]
                if len(digits) > 15:
                    break
                end = run[j][1]
                words = any(t[3] for t in run[i:j + 1])
                if straddles(start, end):
                    continue
                if _phone_kind(digits, plus) and len(TIME_PAIRS.findall(text, start, end)) < 2:
                    yield Span(start - len(lead.group(0)) if lead else start, end, "telefoon")
                elif len(digits) in (8, 9) and digits[0] != "0":
                    cued = BSN_CUE.search(text[max(0, start - 40):start]) is not None
                    if cued or (not words and bsn_valid(digits)):
                        yield Span(start, end, "bsn")


# --- e-mail addresses written out: "jan [at] hotmail [punt] com", "jan apenstaartje ziggo punt nl"
_AT = (r"(?:\s*(?:@+|\[\s*(?:at|@|a|apenstaartje)\s*\]|\(\s*(?:at|@|a|apenstaartje)\s*\)"
       r"|\{\s*(?:at|@)\s*\}|<\s*(?:at|@)\s*>)\s*|\s+(?:at|apenstaartje|apestaartje|apenstaart|"
       r"at-teken|@-teken)\s+)")
_DOT_WORD = (r"(?:\s*(?:\[\s*(?:dot|punt|\.)\s*\]|\(\s*(?:dot|punt|\.)\s*\)|\{\s*(?:dot|punt)\s*\}"
             r"|<\s*(?:dot|punt)\s*>)\s*|\s+(?:dot|punt)\s+)")
_LOCAL = r"[\w+-]+(?:(?:\.|" + _DOT_WORD + r")[\w+-]+)*"
_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
TLDS = (r"(?:nl|com|net|org|be|de|eu|info|biz|io|uk|fr|es|it|tr|ma|pl|nu|me|co|online|email|"
        r"mail|live|frl|amsterdam|ro|bg|pt|at|ch|dk|se|no|fi|us|ca|sr|cw|aw)")
PROVIDERS = (r"(?:gmail|hotmail|outlook|live|ziggo|kpnmail|kpnplanet|planet|xs4all|icloud|yahoo|"
             r"msn|home|quicknet|caiway|telfort|upcmail|chello|zeelandnet|hetnet|casema|tele2|"
             r"solcon|proton|protonmail|gmx)")
EMAIL_WRITTEN = re.compile(
    r"(?<![\w.+-])" + _LOCAL + _AT + r"(?:" + _LABEL + r"(?:(?:\s?\.\s?|" + _DOT_WORD + r")"
    + _LABEL + r")*(?:\s?\.\s?|" + _DOT_WORD + r")" + TLDS + r"|" + PROVIDERS + r")\b",
    re.IGNORECASE,
)


IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){2,7}(?:[ -]?[A-Z0-9]{1,3})?\b",
                  re.IGNORECASE)


def iban_valid(iban: str) -> bool:
    """Return True when an IBAN passes the ISO 13616 mod-97 check."""
    compact = re.sub(r"[ -]", "", iban).upper()
    if not 15 <= len(compact) <= 34:
        return False
    digits = "".join(str(int(c, 36)) for c in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


def _postcode_letters(letters: str) -> bool:
    """Return True for postcode letters: capitals other than SA/SD/SS, or no ordinary word."""
    if letters.isupper():
        return letters not in ("SA", "SD", "SS")
    return letters.lower() not in NOT_POSTCODE


def bsn_valid(digits: str) -> bool:
    """Return True when nine digits pass the Dutch BSN eleven-test."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    return (total - int(digits[8])) % 11 == 0 and digits != "000000000"


def _bsn(text: str) -> Iterator[Span]:
    for m in NINE_DIGITS.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if bsn_valid(digits) and not digits.startswith("0"):
            yield Span(m.start(), m.end(), "bsn")


def _year(date: str) -> int:
    """Return the year of a matched date; a two-digit year is in the last hundred years."""
    full = re.findall(r"(?<!\d)(?:19|20)\d{2}(?!\d)", date)
    if full:
        return int(full[-1] if not date.startswith(full[0]) else full[0])
    yy = int(re.findall(r"\d{2}(?!.*\d)", date)[-1])
    this_year = dt.date.today().year
    return 2000 + yy if 2000 + yy <= this_year else 1900 + yy


def _birthdates(text: str) -> Iterator[Span]:
    for m in DATE.finditer(text):
        cue = BIRTH_CUE.search(text[max(0, m.start() - 30):m.start()])
        if cue or _year(m.group(0)) < 2005:
            yield Span(m.start(), m.end(), "geboortedatum")
    for cue in re.finditer(r"(?:geboren|geb\.|geboortedatum|geboortejaar|jarig|verjaardag|born)"
                           r"\W{0,3}(?:(?:is|was)\s+)?(?:op|in|sinds)?\s*(?:de\s+)?",
                           text, re.IGNORECASE):
        m = CUED_DATE.match(text, cue.end())
        if m:
            yield Span(m.start(), m.end(), "geboortedatum")


def is_duration(text: str, start: int, end: int) -> bool:
    """Return True when the number at text[start:end] plus "jaar" is a period, not an age."""
    after = text[end:]
    if re.match(r"\s*-?\s*(?:jarig|(?:jaar|jr\.?)\s+oud)", after, re.IGNORECASE):
        return False
    unit = re.match(r"\s*-?\s*(?:jaar|jr\.?)", after, re.IGNORECASE)
    if not unit:
        return False
    before = re.findall(r"[\w'-]+", re.split(r"[.!?;:(,]", text[max(0, start - 40):start])[-1])
    if before and before[-1].lower() in DURATION_BEFORE:
        return True
    if len(before) >= 2 and before[-1].lower() == "van" and before[-2].islower() and (
            before[-2] not in PERSON_NOUNS):
        return True  # "een aanwezigheid van 5 jaar"; but "een kind van 5 jaar" is an age
    if not before and re.match(r"\s+(?!en\b|oud\b)[a-z]", text[end + unit.end():]):
        return True  # "Vijf jaar zorg ik nu voor mijn man": a sentence that opens with a period
    return DURATION_AFTER.match(text, end + unit.end()) is not None


_WORD_AGE = (r"(?:(?:" + _UNIT + r")\s*-?\s*(?:en|ën)\s*-?\s*(?:" + _TEN + r")|"
             + "|".join(list(TEENS) + list(TENS) + [u for u in UNITS if UNITS[u] > 1]) + r")")
# ages in words: "ze is drieëntachtig", "mijn zoon van twee", "tachtig jaar oud"
WORD_AGE = re.compile(
    r"\b(" + _WORD_AGE + r")\s*-?\s*(?:jaar|jarige?)\b"
    r"|\b(?:is|ben|was|werd|wordt|word|van)\s+(" + _WORD_AGE + r")\b(?=\s*(?:[.,;:!?)]|$|en\b))"
    r"|\b(?:zoon|zoontje|dochter|dochtertje|kind|kindje|jongen|meisje|kleinzoon|kleindochter|"
    r"kleinkind|broertje|zusje|baby)\s+van\s+(" + _WORD_AGE + r")\b(?!\s+(?:keer|kinderen|"
    r"dagen|weken|maanden|uur|minuten))",
    re.IGNORECASE,
)


def _ages(text: str) -> Iterator[Span]:
    for m in AGE.finditer(text):
        group = 1 if m.group(1) else 2
        if 0 < int(m.group(group)) < 120 and not is_duration(text, m.start(group), m.end(group)):
            yield Span(m.start(group), m.end(group), "leeftijd")
    for m in WORD_AGE.finditer(text):
        group = next(g for g in (1, 2, 3) if m.group(g))
        if group == 2 and m.group(group).lower() in UNITS:
            # "dat is twee", "moeder van drie": counts; "zoon van twee": an age
            before = re.findall(r"[\w'-]+", text[max(0, m.start() - 20):m.start()])
            if not (m.group(0).lower().startswith("van") and before
                    and before[-1].lower() in PERSON_NOUNS - {"moeder", "vader"}):
                continue
        if not is_duration(text, m.start(group), m.end(group)):
            yield Span(m.start(group), m.end(group), "leeftijd")


def _plausible_name(cue: str, first: str) -> bool:
    if first.lower() in NOT_A_NAME:
        return False
    if cue.lower().split()[0] != "ik" or cue.lower().split()[-1] != "ben":
        return True
    if first[0].isupper() or not simplemma.is_known(first, lang="nl"):
        return True
    return first.lower() in first_names()


@functools.cache
def first_names() -> frozenset[str]:
    """Return deduce's list of Dutch first names, lower-cased (empty if deduce is missing)."""
    try:
        import deduce
    except ImportError:
        return frozenset()
    path = Path(deduce.__file__).parent / "data/lookup/src/names/lst_first_name/items.txt"
    if not path.exists():
        return frozenset()
    names = path.read_text(encoding="utf-8").split("\n")
    return frozenset(n.strip().lower() for n in names if len(n.strip()) > 2)


def _kin_names(text: str) -> Iterator[Span]:
    for m in KIN_NAME.finditer(text):
        word = m.group(1)
        if word.lower() in NOT_A_NAME:
            continue
        if (word[0].isupper() and not simplemma.is_known(word.lower(), lang="nl")) or (
                word.lower() in first_names()):
            yield Span(m.start(1), m.end(1), "naam")


def _bare_ages(text: str) -> Iterator[Span]:
    for m in BARE_AGE.finditer(text):
        group = next(g for g in (1, 2, 3) if m.group(g))
        if 0 < int(m.group(group)) < 120:
            yield Span(m.start(group), m.end(group), "leeftijd")


def _names(text: str) -> Iterator[Span]:
    for m in NAME_CUE.finditer(text):
        words = m.group(2).split()
        while words and words[-1].lower() in NOT_A_NAME | {"van", "de", "der", "den"}:
            words.pop()
        if words and _plausible_name(m.group(1), words[0]):
            end = m.start(2) + len(" ".join(words))
            yield Span(m.start(2), end, "naam")


FIRST_LAST = re.compile(
    r"\b([A-Z][a-zà-ü]+)((?:\s+(?:van|de|der|den|van de|van der|ter|ten))?"
    r"\s+[A-Z][a-zà-ü'-]+)?"
)
SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n)$")


def capitalised_names(text: str) -> list[Span]:
    """Return first names from deduce's list (not sentence-initial) plus a following surname."""
    spans = []
    pos = 0
    while m := FIRST_LAST.search(text, pos):
        word = m.group(1).lower()
        if word not in first_names() or word in NOT_A_NAME:
            pos = m.end(1)  # "Bel Ans", "Oma Jannie": the next word may still be a name
            continue
        pos = m.end()
        initial = SENTENCE_START.search(text[:m.start()]) is not None
        if not initial or not simplemma.is_known(word, lang="nl"):
            spans.append(Span(m.start(), m.end(), "naam"))
    return spans


def find_spans(text: str) -> list[Span]:
    """Return the personal data the rules find in a text (overlaps allowed)."""
    spans = [Span(m.start(), m.end(), "email") for m in EMAIL.finditer(text)]
    spans += [Span(m.start(), m.end(), "email") for m in EMAIL_WRITTEN.finditer(text)]
    spans += list(_numbers(text))
    spans += [Span(m.start(), m.end(), "iban") for m in IBAN.finditer(text)
              if iban_valid(m.group(0))]
    spans += [Span(m.start(), m.end(), "telefoon") for m in PHONE.finditer(text)]
    spans += [Span(m.start(), m.end(), "telefoon") for m in INTERNATIONAL.finditer(text)]
    spans += [Span(m.start(), m.end(), "naam") for m in TITLE_NAME.finditer(text)]
    spans += [Span(m.start(1), m.end(1), "adres") for m in HOUSE.finditer(text)]
    spans += list(_kin_names(text)) + list(_bare_ages(text))
    spans += [Span(m.start(), m.end(), "postcode") for m in POSTCODE.finditer(text)
              if _postcode_letters(m.group(1))]
    spans += [Span(m.start(), m.end(), "adres") for m in ADDRESS.finditer(text)]
    spans += [Span(m.start(), m.end(), "adres") for m in NUMBER_FIRST.finditer(text)]
    spans += list(_bsn(text)) + list(_birthdates(text)) + list(_ages(text)) + list(_names(text))
    return spans


def merge_spans(spans: list[Span]) -> list[Span]:
    """Resolve overlaps: earlier and longer spans win, the rest are absorbed."""
    ordered = sorted(spans, key=lambda s: (s.start, -(s.end - s.start)))
    merged: list[Span] = []
    for span in ordered:
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = Span(last.start, max(last.end, span.end), last.kind)
        else:
            merged.append(span)
    return merged


def apply_spans(text: str, spans: list[Span]) -> str:
    """Replace each span by the placeholder of its kind."""
    out, pos = [], 0
    for span in merge_spans(spans):
        out.append(text[pos:span.start])
        out.append(PLACEHOLDERS[span.kind])
        pos = span.end
    out.append(text[pos:])
    return "".join(out)
