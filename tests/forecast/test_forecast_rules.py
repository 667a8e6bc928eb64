"""A few CDSi evaluation and forecast rules through portal.forecast.engine, on the
supporting data committed under portal/forecast/data (CDC 4.64)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from portal.forecast import convert
from portal.forecast.engine import forecast_all, forecast_group
from portal.forecast.model import Patient
from portal.forecast.supporting import load
from tests.conformance import require

DTAP = "DTaP/Tdap/Td"
BORN = date(2025, 9, 6)


def test_the_four_day_grace_period_on_the_minimum_age():
    # DTaP dose 2: minimum age 10 weeks, absolute minimum 10 weeks - 4 days (66 days)
    on_grace = forecast_group(Patient(BORN), [("107", date(2025, 10, 15)),
                                              ("107", date(2025, 11, 11))], DTAP,
                              date(2025, 11, 11))  # fmt: skip
    assert on_grace.evaluations[1] == ("Valid", None)
    assert on_grace.dose_number == 3
    a_day_early = forecast_group(Patient(BORN), [("107", date(2025, 10, 15)),
                                                 ("107", date(2025, 11, 10))], DTAP,
                                 date(2025, 11, 10))  # fmt: skip
    assert a_day_early.evaluations[1] == ("Not Valid", "Age: Too Young")
    assert a_day_early.dose_number == 2
    assert a_day_early.earliest == date(2025, 12, 8)  # 4 weeks after the not-valid dose


def test_an_interval_short_of_the_absolute_minimum_is_too_soon():
    result = forecast_group(Patient(date(2025, 1, 1)), [("107", date(2025, 2, 15)),
                                                        ("107", date(2025, 3, 10))], DTAP,
                            date(2025, 4, 1))  # fmt: skip
    assert result.evaluations[1] == ("Not Valid", "Interval: too Soon")


def test_live_virus_conflict_across_antigens():
    child = Patient(date(2024, 1, 1))
    apart = forecast_group(child, [("03", date(2025, 1, 1)), ("21", date(2025, 1, 21))],
                           "Varicella", date(2025, 2, 1))  # fmt: skip
    assert apart.evaluations[1] == ("Not Valid", "Live Virus Conflict")
    same_day = forecast_group(child, [("03", date(2025, 1, 1)), ("21", date(2025, 1, 1))],
                              "Varicella", date(2025, 2, 1))  # fmt: skip
    assert same_day.evaluations[1] == ("Valid", None)


def test_an_inadvertent_vaccine_is_not_valid():
    result = forecast_group(Patient(date(2024, 1, 1)), [("115", date(2024, 3, 1))], DTAP,
                            date(2024, 4, 1))  # fmt: skip
    assert result.evaluations[0] == ("Not Valid", "Inadvertent Vaccine")


def test_a_combination_vaccine_counts_for_each_of_its_antigens():
    results = forecast_all(Patient(date(2024, 1, 1)), [("110", date(2024, 3, 1))],
                           date(2024, 4, 1))  # fmt: skip
    for group in ("HepB", "Polio", DTAP):
        assert results[group].evaluations[0] == ("Valid", None), group
        assert results[group].dose_number == 2, group
    assert results["MMR"].evaluations == {}


def test_a_dose_after_the_series_is_complete_is_extraneous():
    doses = [("10", date(2024, 2, 15)), ("10", date(2024, 5, 1)), ("10", date(2024, 7, 1)),
             ("10", date(2028, 1, 1)), ("10", date(2028, 6, 1))]  # fmt: skip
    result = forecast_group(Patient(date(2024, 1, 1)), doses, "Polio", date(2028, 7, 1))
    assert result.status == "Complete"
    assert result.dose_number is None
    assert result.evaluations[4] == ("Extraneous", "Series Already Complete")


def test_a_conditional_skip_lets_a_tdap_at_seven_count():
    # the childhood doses are skipped at 7 years; the next dose is 4 weeks later
    result = forecast_group(Patient(date(2018, 11, 10)), [("115", date(2025, 11, 10))], DTAP,
                            date(2025, 11, 10))  # fmt: skip
    assert result.evaluations[0] == ("Valid", None)
    assert (result.dose_number, result.earliest) == (2, date(2025, 12, 8))


def test_forecast_dates_for_a_newborn():
    result = forecast_group(Patient(date(2025, 11, 10)), [], DTAP, date(2025, 11, 10))
    assert result.status == "Not complete"
    assert result.dose_number == 1
    assert result.earliest == date(2025, 12, 22)  # 6 weeks
    assert result.recommended == date(2026, 1, 10)  # 2 months
    assert result.past_due == date(2026, 3, 9)  # 3 months + 4 weeks, less a day


def test_aged_out_and_immune():
    assert forecast_group(Patient(date(2024, 1, 1)), [], "Rotavirus",
                          date(2025, 2, 1)).status == "Aged out"  # fmt: skip
    assert forecast_group(Patient(date(1956, 6, 12)), [], "MMR",
                          date(2015, 3, 23)).status == "Immune"  # fmt: skip


def test_the_committed_data_is_what_the_converter_makes(tmp_path: Path):
    src = require("cdsi", "supporting-data-4.64-508", "XML")
    convert.convert(src, tmp_path, "4.64")
    committed = Path(convert.__file__).with_name("data")
    names = sorted(p.name for p in committed.glob("*.json"))
    assert names == sorted(p.name for p in tmp_path.glob("*.json"))
    for name in names:
        assert json.loads((tmp_path / name).read_text()) == json.loads(
            (committed / name).read_text()), name  # fmt: skip
    assert load().version == "4.64"


@pytest.mark.parametrize("xml", ["<a><b>1</b><b>2</b></a>"])
def test_the_converter_refuses_an_element_it_would_overwrite(xml):
    import xml.etree.ElementTree as ET

    with pytest.raises(ValueError, match="repeats"):
        convert.element(ET.fromstring(xml))  # noqa: S314 - a literal


def test_observations_make_a_risk_series_or_a_contraindication():
    adult = Patient(date(1990, 1, 1), "F")
    assert forecast_group(adult, [], DTAP, date(2025, 11, 10)).status == "Not complete"
    allergic = Patient(date(1990, 1, 1), "F", frozenset({"080"}))
    assert forecast_group(allergic, [], DTAP, date(2025, 11, 10)).status == "Contraindicated"
    # Hib for a 2-year-old is not due, unless asplenia (an indication) makes a risk series
    toddler = [("48", date(2023, 3, 1)), ("48", date(2023, 5, 1)), ("48", date(2023, 7, 1)),
               ("48", date(2024, 3, 1))]  # fmt: skip
    well = forecast_group(Patient(date(2023, 1, 1)), toddler, "Hib", date(2025, 2, 1))
    assert well.status == "Complete"


def test_the_engine_imports_no_flask():
    import ast

    for path in Path(convert.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0].startswith("flask") for n in names), path.name


def test_every_antigen_of_every_vaccine_group_has_its_series():
    data = load()
    named = {a for members in data.vaccine_groups.values() for a in members}
    assert named <= set(data.antigens), named - set(data.antigens)
    mapped = {a.antigen for assocs in data.cvx_antigens.values() for a in assocs}
    assert mapped <= set(data.antigens), mapped - set(data.antigens)
