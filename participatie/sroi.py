"""SROI (Social Return On Investment) as in the SROI Guide of Social Value International (no Flask).

The method, step by step (stage 3 to 5 of "A Guide to Social Return on Investment", 2012):

1. **Inputs**: what the stakeholders put in, valued in euros: hours x hourly rate, plus costs.
   Inputs are spent in year 0 and are not discounted.
2. **Outcomes** per stakeholder, each with an indicator, a quantity (how many people or times) and
   a financial proxy (euros per unit, with its source). Gross value = quantity x proxy.
3. **Impact**: the gross value minus the share that would have happened anyway (deadweight), minus
   the share that only moved elsewhere (displacement), minus the share that others brought about
   (attribution): impact = quantity x proxy x (1 - deadweight) x (1 - displacement) x
   (1 - attribution).
4. **Duration and drop-off**: an outcome lasts `duration` years. In year 1 it is worth the full
   impact; every later year is worth `drop_off` less than the year before:
   value(year t) = impact x (1 - drop_off) ** (t - 1), for t = 1 .. duration.
5. **Present value**: each year is discounted to today, PV = sum of value(t) / (1 + r) ** t.
   The default rate r is the Dutch government's standard discount rate for social cost-benefit
   analysis (MKBA): 2.25% (real), set by the cabinet from 1 January 2021 on the advice of the
   Werkgroep discontovoet 2020 (Rapport Werkgroep discontovoet 2020, Ministerie van Financien).
6. **Net present value** = PV - total inputs; **SROI ratio** = PV / total inputs.
7. **Sensitivity**: each assumption is varied over a stated range, one at a time, and the ratio is
   computed again; the table shows the ratio at both ends and the overall range.

Shares (deadweight, attribution, displacement, drop-off, the discount rate) are fractions from 0
to 1 here; screens show them as percentages.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from participatie.yamlfile import DefinitionError, load, require

DUTCH_DISCOUNT_RATE = 0.0225
DUTCH_DISCOUNT_SOURCE = ("Standaarddiscontovoet 2,25% (reeel), vastgesteld per 1 januari 2021 op "
                         "advies van de Werkgroep discontovoet 2020 (Ministerie van Financien)")
MAX_DURATION = 30
# the largest figures a dossier takes, far above any real knelpunt; they keep every total printable
MAX_HOURS = 1_000_000
MAX_RATE = 10_000
MAX_COSTS = 1_000_000_000
MAX_QUANTITY = 10_000_000
MAX_PROXY_VALUE = 10_000_000
PROXIES_FILE = Path(__file__).resolve().parent / "seed" / "sroi_proxies.yaml"


class SroiError(ValueError):
    """The analysis cannot be computed; the message says why, in words a user understands."""


@dataclass(frozen=True)
class Input:
    """What one stakeholder puts in: hours at a rate, and/or other costs (euros)."""

    stakeholder: str
    description: str
    hours: float = 0.0
    rate: float = 0.0
    costs: float = 0.0

    @property
    def value(self) -> float:
        """Return the input's value in euros: hours x rate + costs."""
        return self.hours * self.rate + self.costs


@dataclass(frozen=True)
class Outcome:
    """One change for one stakeholder, measured by an indicator and valued by a proxy."""

    stakeholder: str
    description: str
    indicator: str
    quantity: float
    proxy_value: float
    proxy_source: str
    duration: int = 1
    deadweight: float = 0.0
    attribution: float = 0.0
    displacement: float = 0.0
    drop_off: float = 0.0

    @property
    def gross(self) -> float:
        """Return quantity x proxy, before any deduction."""
        return self.quantity * self.proxy_value

    @property
    def impact(self) -> float:
        """Return the year-1 impact: gross value after deadweight, displacement, attribution."""
        return (self.gross * (1 - self.deadweight) * (1 - self.displacement)
                * (1 - self.attribution))

    def value_in_year(self, year: int) -> float:
        """Return the impact in year (1-based): after drop-off, zero after the duration."""
        if year < 1 or year > self.duration:
            return 0.0
        return self.impact * (1 - self.drop_off) ** (year - 1)


@dataclass(frozen=True)
class Analysis:
    """Everything one SROI calculation needs."""

    inputs: tuple[Input, ...]
    outcomes: tuple[Outcome, ...]
    discount_rate: float = DUTCH_DISCOUNT_RATE


@dataclass(frozen=True)
class Result:
    """The computed analysis: per-year impact, present value, net present value, ratio."""

    total_inputs: float
    years: tuple[int, ...]
    impact_per_year: tuple[float, ...]
    discounted_per_year: tuple[float, ...]
    present_value: float
    net_present_value: float
    ratio: float
    outcome_present_values: tuple[float, ...] = ()


@dataclass(frozen=True)
class SensitivityRow:
    """One assumption varied over a range, with the ratio at both ends.

    `low` and `high` are the changes in `unit`: "points" (percentage points added to a share),
    "percent" (a relative change), "years" (added to the duration) or "rate" (the discount rate
    itself, as a fraction).
    """

    assumption: str
    unit: str
    low: float
    high: float
    ratio_low: float
    ratio_high: float


@dataclass(frozen=True)
class Sensitivity:
    """The sensitivity table and the lowest and highest ratio in it (with the base ratio)."""

    base_ratio: float
    rows: tuple[SensitivityRow, ...]

    @property
    def low(self) -> float:
        """Return the lowest ratio of any variation (or the base ratio)."""
        return min([self.base_ratio, *(min(r.ratio_low, r.ratio_high) for r in self.rows)])

    @property
    def high(self) -> float:
        """Return the highest ratio of any variation (or the base ratio)."""
        return max([self.base_ratio, *(max(r.ratio_low, r.ratio_high) for r in self.rows)])


def _share(name: str, value: float) -> None:
    if not 0 <= value <= 1:
        raise SroiError(f"{name} must be between 0% and 100%, not {value * 100:g}%")


def validate(analysis: Analysis) -> None:
    """Raise SroiError when the analysis cannot be computed (zero inputs, bad shares...)."""
    if any(i.hours < 0 or i.rate < 0 or i.costs < 0 for i in analysis.inputs):
        raise SroiError("hours, rates and costs cannot be negative")
    if sum(i.value for i in analysis.inputs) <= 0:
        raise SroiError("the inputs add up to zero: enter hours with a rate, or costs, "
                        "before a ratio can be computed")
    if not 0 <= analysis.discount_rate < 1:
        raise SroiError("the discount rate must be from 0% to below 100%")
    for outcome in analysis.outcomes:
        if outcome.quantity < 0 or outcome.proxy_value < 0:
            raise SroiError(f"'{outcome.description}': quantity and proxy cannot be negative")
        if not 1 <= outcome.duration <= MAX_DURATION:
            raise SroiError(f"'{outcome.description}': the duration must be 1 to "
                            f"{MAX_DURATION} years")
        for name in ("deadweight", "attribution", "displacement", "drop_off"):
            _share(f"'{outcome.description}': {name.replace('_', '-')}", getattr(outcome, name))


def compute(analysis: Analysis) -> Result:
    """Compute impact per year, present value, net present value and the SROI ratio."""
    validate(analysis)
    total_inputs = sum(i.value for i in analysis.inputs)
    horizon = max((o.duration for o in analysis.outcomes), default=1)
    years = tuple(range(1, horizon + 1))
    factor = [(1 + analysis.discount_rate) ** year for year in years]
    per_year = tuple(sum(o.value_in_year(year) for o in analysis.outcomes) for year in years)
    discounted = tuple(value / f for value, f in zip(per_year, factor, strict=True))
    per_outcome = tuple(sum(o.value_in_year(y) / f for y, f in zip(years, factor, strict=True))
                        for o in analysis.outcomes)
    present = sum(discounted)
    return Result(total_inputs=total_inputs, years=years, impact_per_year=per_year,
                  discounted_per_year=discounted, present_value=present,
                  net_present_value=present - total_inputs, ratio=present / total_inputs,
                  outcome_present_values=per_outcome)


@dataclass(frozen=True)
class Ranges:
    """How far each assumption is varied in the sensitivity table (stated on the report)."""

    share_points: float = 0.10     # deadweight, attribution, displacement, drop-off: +/- 10 points
    quantity_factor: float = 0.25  # quantity: -25% .. +25%
    proxy_factor: float = 0.25     # financial proxy: -25% .. +25%
    duration_years: int = 1        # duration: one year shorter .. one year longer
    discount_low: float = 0.0      # discount rate: 0% ..
    discount_high: float = 0.04    # .. 4%
    input_factor: float = 0.25     # inputs: -25% .. +25%


def _clip(value: float) -> float:
    return min(1.0, max(0.0, value))


def _outcomes(analysis: Analysis, change: Callable[[Outcome], Outcome]) -> Analysis:
    return dataclasses.replace(analysis, outcomes=tuple(change(o) for o in analysis.outcomes))


def sensitivity(analysis: Analysis, ranges: Ranges = Ranges()) -> Sensitivity:
    """Vary each assumption over its range (one at a time) and return the ratios."""
    base = compute(analysis).ratio
    rows: list[SensitivityRow] = []

    def row(name: str, unit: str, low: float, high: float, low_case: Analysis,
            high_case: Analysis) -> None:
        rows.append(SensitivityRow(name, unit, low, high, compute(low_case).ratio,
                                   compute(high_case).ratio))

    points = ranges.share_points
    for share in ("deadweight", "attribution", "displacement", "drop_off"):
        row(share, "points", -points * 100, points * 100,
            _outcomes(analysis, lambda o, s=share: dataclasses.replace(
                o, **{s: _clip(getattr(o, s) - points)})),
            _outcomes(analysis, lambda o, s=share: dataclasses.replace(
                o, **{s: _clip(getattr(o, s) + points)})))
    for name, factor in (("quantity", ranges.quantity_factor), ("proxy", ranges.proxy_factor)):
        attr = "quantity" if name == "quantity" else "proxy_value"
        row(name, "percent", -factor * 100, factor * 100,
            _outcomes(analysis, lambda o, a=attr, f=factor: dataclasses.replace(
                o, **{a: getattr(o, a) * (1 - f)})),
            _outcomes(analysis, lambda o, a=attr, f=factor: dataclasses.replace(
                o, **{a: getattr(o, a) * (1 + f)})))
    years = ranges.duration_years
    row("duration", "years", -years, years,
        _outcomes(analysis, lambda o: dataclasses.replace(o, duration=max(1, o.duration - years))),
        _outcomes(analysis, lambda o: dataclasses.replace(
            o, duration=min(MAX_DURATION, o.duration + years))))
    row("discount_rate", "rate", ranges.discount_low, ranges.discount_high,
        dataclasses.replace(analysis, discount_rate=ranges.discount_low),
        dataclasses.replace(analysis, discount_rate=ranges.discount_high))
    factor = ranges.input_factor
    row("inputs", "percent", -factor * 100, factor * 100,
        dataclasses.replace(analysis, inputs=tuple(dataclasses.replace(
            i, hours=i.hours * (1 - factor), costs=i.costs * (1 - factor))
            for i in analysis.inputs)),
        dataclasses.replace(analysis, inputs=tuple(dataclasses.replace(
            i, hours=i.hours * (1 + factor), costs=i.costs * (1 + factor))
            for i in analysis.inputs)))
    return Sensitivity(base_ratio=base, rows=tuple(rows))


# --- financial proxies: a data file a region can edit -------------------------------------------


@dataclass(frozen=True)
class Proxy:
    """A financial proxy: euros per unit of an outcome, with where the value comes from."""

    id: str
    label_nl: str
    label_en: str
    unit_nl: str
    unit_en: str
    value: float
    source: str
    price_year: int | None = None


@dataclass(frozen=True)
class ProxyBook:
    """The proxies of a region plus the default discount rate with its source."""

    proxies: dict[str, Proxy] = field(default_factory=dict)
    discount_rate: float = DUTCH_DISCOUNT_RATE
    discount_source: str = DUTCH_DISCOUNT_SOURCE


def _text_pair(entry: Any, key: str, path: Path | str) -> tuple[str, str]:
    value = require(entry, key, dict, path)
    line = getattr(entry, "lines", {}).get(key, getattr(entry, "line", None))
    if not isinstance(value.get("nl"), str) or not isinstance(value.get("en"), str):
        raise DefinitionError(path, line, f"'{key}' needs a Dutch (nl) and an English (en) text")
    return value["nl"], value["en"]


def load_proxies(path: Path | str = PROXIES_FILE) -> ProxyBook:
    """Read the financial proxies file; a problem names the file and the line."""
    data = load(path)
    if not isinstance(data, dict):
        raise DefinitionError(path, 1, "expected a mapping with 'discount_rate' and 'proxies'")
    rate_entry = require(data, "discount_rate", dict, path)
    rate = require(rate_entry, "value", (int, float), path)
    if not 0 <= rate < 1:
        raise DefinitionError(path, rate_entry.lines.get("value"),
                              "the discount rate is a fraction from 0 to below 1, e.g. 0.0225")
    rate_source = require(rate_entry, "source", str, path)
    entries = require(data, "proxies", list, path)
    proxies: dict[str, Proxy] = {}
    for entry in entries:
        proxy_id = require(entry, "id", str, path)
        if proxy_id in proxies:
            raise DefinitionError(path, entry.line, f"proxy '{proxy_id}' appears twice")
        value = require(entry, "value", (int, float), path)
        if isinstance(value, bool) or value < 0:
            raise DefinitionError(path, entry.lines.get("value"),
                                  f"'value' should be euros, 0 or more, not {value!r}")
        source = require(entry, "source", str, path).strip()
        if not source:
            raise DefinitionError(path, entry.lines.get("source"), "'source' is empty")
        year = entry.get("price_year")
        if year is not None and not isinstance(year, int):
            raise DefinitionError(path, entry.lines.get("price_year"),
                                  f"'price_year' should be a year, not {year!r}")
        label_nl, label_en = _text_pair(entry, "label", path)
        unit_nl, unit_en = _text_pair(entry, "unit", path)
        proxies[proxy_id] = Proxy(proxy_id, label_nl, label_en, unit_nl, unit_en, float(value),
                                  source, year)
    return ProxyBook(proxies, float(rate), rate_source)


def outcome_rows(analysis: Analysis, result: Result) -> list[Sequence[object]]:
    """Return the impact map as rows (one per outcome) for a table or a CSV."""
    rows: list[Sequence[object]] = []
    for outcome, present in zip(analysis.outcomes, result.outcome_present_values, strict=True):
        rows.append((outcome.stakeholder, outcome.description, outcome.indicator,
                     outcome.quantity, outcome.proxy_value, outcome.proxy_source,
                     outcome.duration, outcome.deadweight, outcome.displacement,
                     outcome.attribution, outcome.drop_off, round(outcome.impact, 2),
                     round(present, 2)))
    return rows
