"""The SROI core: a worked example computed by hand, property tests, and the proxies file."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from participatie import sroi
from participatie.sroi import Analysis, Input, Outcome, SroiError
from participatie.yamlfile import DefinitionError

# ---------------------------------------------------------------------------------------------
# A worked example, every step by hand (SROI Guide, stages 3 to 5)
#
# Inputs (year 0, not discounted):
#   kernteam: 40 hours x EUR 50                       = EUR 2,000
#   gemeente: costs                                   = EUR 1,000
#   total inputs                                      = EUR 3,000
#
# Outcome A, inwoners: 100 fewer GP visits, proxy EUR 33 per visit
#   gross = 100 x 33                                  = 3,300
#   deadweight 20%, displacement 0%, attribution 25%:
#   impact year 1 = 3,300 x 0.80 x 1.00 x 0.75        = 1,980
#   duration 3 years, drop-off 10% a year:
#     year 1 = 1,980
#     year 2 = 1,980 x 0.90                           = 1,782
#     year 3 = 1,782 x 0.90                           = 1,603.80
#
# Outcome B, mantelzorgers: 200 hours of care saved, proxy EUR 14 per hour
#   gross = 200 x 14                                  = 2,800
#   deadweight 10%, displacement 5%, attribution 50%:
#   impact year 1 = 2,800 x 0.90 x 0.95 x 0.50        = 1,197
#   duration 2 years, drop-off 50%:
#     year 1 = 1,197
#     year 2 = 1,197 x 0.50                           = 598.50
#
# Impact per year (A + B):
#   year 1 = 1,980 + 1,197                            = 3,177
#   year 2 = 1,782 + 598.50                           = 2,380.50
#   year 3 = 1,603.80 + 0                             = 1,603.80
#
# Discounting at the Dutch standard rate r = 2.25%:
#   (1.0225)^1 = 1.0225, (1.0225)^2 = 1.04550625, (1.0225)^3 = 1.069030140625
#   year 1 = 3,177    / 1.0225                        = 3,107.0905
#   year 2 = 2,380.50 / 1.04550625                    = 2,276.8874
#   year 3 = 1,603.80 / 1.069030140625                = 1,500.2383
#   present value = 3,107.0905 + 2,276.8874 + 1,500.2383 = 6,884.2162
#
# Net present value = 6,884.2162 - 3,000              = 3,884.2162
# SROI ratio        = 6,884.2162 / 3,000              = 2.2947  (EUR 2.29 for every euro)
# Present value per outcome: A = 5,141.1061, B = 1,743.1101
# ---------------------------------------------------------------------------------------------

WORKED = Analysis(
    inputs=(Input("kernteam", "uren kernteam", hours=40, rate=50),
            Input("gemeente", "drukwerk en zaalhuur", costs=1000)),
    outcomes=(
        Outcome("inwoners", "minder huisartsbezoek", "aantal bezoeken minder", quantity=100,
                proxy_value=33, proxy_source="Kostenhandleiding", duration=3, deadweight=0.20,
                attribution=0.25, displacement=0.0, drop_off=0.10),
        Outcome("mantelzorgers", "minder uren zorg", "uren per jaar", quantity=200,
                proxy_value=14, proxy_source="Kostenhandleiding", duration=2, deadweight=0.10,
                attribution=0.50, displacement=0.05, drop_off=0.50),
    ),
)


def test_worked_example_step_by_step():
    a, b = WORKED.outcomes
    assert a.gross == 3300 and b.gross == 2800
    assert a.impact == pytest.approx(1980)
    assert b.impact == pytest.approx(1197)
    assert [a.value_in_year(y) for y in (1, 2, 3, 4)] == pytest.approx([1980, 1782, 1603.8, 0])
    assert [b.value_in_year(y) for y in (1, 2, 3)] == pytest.approx([1197, 598.5, 0])

    result = sroi.compute(WORKED)
    assert result.total_inputs == 3000
    assert result.years == (1, 2, 3)
    assert result.impact_per_year == pytest.approx((3177, 2380.5, 1603.8))
    assert result.discounted_per_year == pytest.approx((3107.0905, 2276.8874, 1500.2383),
                                                       abs=1e-4)
    assert result.present_value == pytest.approx(6884.2162, abs=1e-4)
    assert result.net_present_value == pytest.approx(3884.2162, abs=1e-4)
    assert result.ratio == pytest.approx(2.2947, abs=1e-4)
    assert result.outcome_present_values == pytest.approx((5141.1061, 1743.1101), abs=1e-4)


def test_the_default_discount_rate_is_the_dutch_standard_rate():
    assert WORKED.discount_rate == 0.0225 == sroi.DUTCH_DISCOUNT_RATE
    assert "Werkgroep discontovoet 2020" in sroi.DUTCH_DISCOUNT_SOURCE


def test_no_discounting_and_no_deductions_is_plain_arithmetic():
    plain = Analysis((Input("x", "y", costs=100),),
                     (Outcome("s", "o", "i", quantity=10, proxy_value=10, proxy_source="s",
                              duration=2),), discount_rate=0.0)
    result = sroi.compute(plain)
    assert result.present_value == 200          # 100 in year 1 + 100 in year 2
    assert result.ratio == 2.0


def test_sensitivity_table_of_the_worked_example():
    table = sroi.sensitivity(WORKED)
    rows = {r.assumption: r for r in table.rows}
    assert set(rows) == {"deadweight", "attribution", "displacement", "drop_off", "quantity",
                         "proxy", "duration", "discount_rate", "inputs"}
    assert table.base_ratio == pytest.approx(2.2947, abs=1e-4)
    assert (rows["deadweight"].unit, rows["deadweight"].low, rows["deadweight"].high) == (
        "points", -10, 10)
    assert (rows["proxy"].unit, rows["proxy"].low, rows["proxy"].high) == ("percent", -25, 25)
    assert (rows["duration"].unit, rows["duration"].low, rows["duration"].high) == ("years", -1, 1)
    assert (rows["discount_rate"].low, rows["discount_rate"].high) == (0.0, 0.04)
    # quantity -25%: every value scales by 0.75, so the ratio does too
    assert rows["quantity"].ratio_low == pytest.approx(2.2947 * 0.75, abs=1e-4)
    assert rows["quantity"].ratio_high == pytest.approx(2.2947 * 1.25, abs=1e-4)
    # inputs -25% / +25%: the ratio is divided by 0.75 / 1.25
    assert rows["inputs"].ratio_low == pytest.approx(2.2947 / 0.75, abs=1e-4)
    # deadweight +10 points: A keeps 0.70 instead of 0.80, B 0.80 instead of 0.90
    high = (5141.1061 * 0.70 / 0.80 + 1743.1101 * 0.80 / 0.90) / 3000
    assert rows["deadweight"].ratio_high == pytest.approx(high, abs=1e-4)
    # no discounting: the sum of the undiscounted years over the inputs
    assert rows["discount_rate"].ratio_low == pytest.approx((3177 + 2380.5 + 1603.8) / 3000)
    assert table.low == pytest.approx(min(min(r.ratio_low, r.ratio_high) for r in table.rows))
    assert table.low < table.base_ratio < table.high


def test_zero_inputs_are_refused_with_a_clear_reason():
    empty = dataclasses.replace(WORKED, inputs=(Input("x", "nothing"),))
    with pytest.raises(SroiError, match="inputs add up to zero"):
        sroi.compute(empty)
    with pytest.raises(SroiError, match="inputs add up to zero"):
        sroi.compute(dataclasses.replace(WORKED, inputs=()))


@pytest.mark.parametrize("change, message", [
    ({"deadweight": 1.2}, "deadweight must be between 0% and 100%"),
    ({"attribution": -0.1}, "attribution must be between"),
    ({"drop_off": 2}, "drop-off must be between"),
    ({"duration": 0}, "duration must be 1 to 30 years"),
    ({"quantity": -1}, "cannot be negative"),
])
def test_impossible_assumptions_are_refused(change, message):
    broken = dataclasses.replace(WORKED.outcomes[0], **change)
    with pytest.raises(SroiError, match=message):
        sroi.compute(dataclasses.replace(WORKED, outcomes=(broken,)))


# --- properties ------------------------------------------------------------------------------

shares = st.floats(min_value=0, max_value=1, allow_nan=False)
amounts = st.floats(min_value=0, max_value=1e6, allow_nan=False)
outcomes = st.builds(
    Outcome, stakeholder=st.just("s"), description=st.just("o"), indicator=st.just("i"),
    quantity=amounts, proxy_value=amounts, proxy_source=st.just("src"),
    duration=st.integers(1, 10), deadweight=shares, attribution=shares, displacement=shares,
    drop_off=shares)
analyses = st.builds(
    Analysis,
    inputs=st.tuples(st.builds(Input, stakeholder=st.just("k"), description=st.just("d"),
                               hours=st.floats(1, 1e4), rate=st.floats(1, 500),
                               costs=amounts)),
    outcomes=st.lists(outcomes, min_size=1, max_size=4).map(tuple),
    discount_rate=st.floats(min_value=0, max_value=0.2))


def _with_first(analysis: Analysis, **change: object) -> Analysis:
    first = dataclasses.replace(analysis.outcomes[0], **change)
    return dataclasses.replace(analysis, outcomes=(first, *analysis.outcomes[1:]))


@settings(max_examples=150, deadline=None)
@given(analyses, st.sampled_from(["deadweight", "attribution", "displacement", "drop_off"]),
       shares)
def test_a_higher_deduction_never_raises_the_ratio(analysis, name, other):
    current = getattr(analysis.outcomes[0], name)
    higher = max(current, other)
    assert sroi.compute(_with_first(analysis, **{name: higher})).ratio <= \
        sroi.compute(analysis).ratio


@settings(max_examples=150, deadline=None)
@given(analyses, st.sampled_from(["quantity", "proxy_value"]), amounts)
def test_a_higher_quantity_or_proxy_never_lowers_the_ratio(analysis, name, other):
    current = getattr(analysis.outcomes[0], name)
    higher = max(current, other)
    assert sroi.compute(_with_first(analysis, **{name: higher})).ratio >= \
        sroi.compute(analysis).ratio


@settings(max_examples=100, deadline=None)
@given(analyses, st.integers(1, 10))
def test_a_longer_duration_never_lowers_the_ratio(analysis, extra):
    longer = analysis.outcomes[0].duration + extra
    assert sroi.compute(_with_first(analysis, duration=min(30, longer))).ratio >= \
        sroi.compute(analysis).ratio


@settings(max_examples=100, deadline=None)
@given(analyses, st.floats(min_value=0, max_value=0.2))
def test_a_higher_discount_rate_never_raises_the_ratio(analysis, other):
    higher = max(analysis.discount_rate, other)
    assert sroi.compute(dataclasses.replace(analysis, discount_rate=higher)).ratio <= \
        sroi.compute(analysis).ratio


@settings(max_examples=100, deadline=None)
@given(analyses, st.floats(min_value=1, max_value=1e5))
def test_more_inputs_never_raise_the_ratio(analysis, extra):
    more = dataclasses.replace(analysis, inputs=(*analysis.inputs, Input("x", "x", costs=extra)))
    assert sroi.compute(more).ratio <= sroi.compute(analysis).ratio


@settings(max_examples=100, deadline=None)
@given(analyses)
def test_the_ratio_is_present_value_over_inputs_and_the_range_holds_the_base(analysis):
    result = sroi.compute(analysis)
    assert result.present_value >= 0
    assert result.ratio == pytest.approx(result.present_value / result.total_inputs)
    assert result.net_present_value == pytest.approx(result.present_value - result.total_inputs)
    table = sroi.sensitivity(analysis)
    assert table.low <= table.base_ratio <= table.high


# --- the proxies file ------------------------------------------------------------------------

def test_the_shipped_proxies_file_loads_with_a_source_for_every_value():
    book = sroi.load_proxies()
    assert book.discount_rate == 0.0225
    assert "Werkgroep discontovoet 2020" in book.discount_source
    assert {"huisarts_consult", "mantelzorg_uur"} <= set(book.proxies)
    assert all(p.source and p.value >= 0 for p in book.proxies.values())


VALID = """\
discount_rate:
  value: 0.03
  source: eigen keuze
proxies:
  - id: uur
    label: {nl: Uur, en: Hour}
    unit: {nl: per uur, en: per hour}
    value: 20
    source: CAO
"""


@pytest.mark.parametrize("old, new, line, problem", [
    ("value: 20", "value: twintig", 8, "'value' should be int or float"),
    ("value: 20", "value: -5", 8, "euros, 0 or more"),
    ("    source: CAO\n", "", 5, "'source' is missing"),
    ("unit: {nl: per uur, en: per hour}", "unit: {nl: per uur}", 7, "Dutch (nl) and an English"),
    ("value: 0.03", "value: 3", 2, "fraction from 0 to below 1"),
    ("proxies:", "proxies: [", 5, "not valid YAML"),
])
def test_a_broken_proxies_file_names_file_line_and_problem(tmp_path: Path, old, new, line,
                                                           problem):
    path = tmp_path / "sroi_proxies.yaml"
    path.write_text(VALID.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        sroi.load_proxies(path)
    assert caught.value.path == str(path)
    assert caught.value.line == line, str(caught.value)
    assert problem in caught.value.problem
    path.write_text(VALID, encoding="utf-8")
    assert sroi.load_proxies(path).proxies["uur"].value == 20


def test_a_proxy_that_appears_twice_is_refused(tmp_path: Path):
    path = tmp_path / "p.yaml"
    entry = VALID.split("proxies:\n")[1]
    path.write_text(VALID + entry, encoding="utf-8")
    with pytest.raises(DefinitionError, match="appears twice"):
        sroi.load_proxies(path)
