"""CDC's CDSi supporting data (XML) -> the compact JSON files the engine loads.

    python -m portal.forecast.convert SRC_DIR OUT_DIR [--version 4.64]

SRC_DIR holds CDC's `AntigenSupportingData- <Antigen>-508.xml` files and
`ScheduleSupportingData.xml`. OUT_DIR receives one `antigen-<name>.json` per antigen,
`schedule.json` and `version.json`. Durations become [years, months, days] (weeks as days;
"4 years - 4 days" -> [4, 0, -4]); dates (YYYYMMDD) become ISO; an empty element becomes
null, which the engine reads as "no restriction". Prose (guidance, titles, contraindication
texts) is dropped: the engine needs none of it. The XML carries no version number, so the
version is given (default: the folder name's 4.64, as in "supporting-data-4.64-508").
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from .dates import parse_duration, parse_ymd

DURATIONS = {
    "absMinAge", "minAge", "earliestRecAge", "latestRecAge", "maxAge", "beginAge", "endAge",
    "absMinInt", "minInt", "earliestRecInt", "latestRecInt", "interval", "minAgeToStart",
    "maxAgeToStart", "associationBeginAge", "associationEndAge", "conflictBeginInterval",
    "conflictEndInterval", "minConflictEndInterval",
}  # fmt: skip
DATES = {"effectiveDate", "cessationDate", "startDate", "endDate"}
LISTS = {
    "series", "seriesDose", "interval", "allowableInterval", "preferableVaccine",
    "allowableVaccine", "inadvertentVaccine", "set", "condition", "indication", "cvxMap",
    "association", "liveVirusConflict", "vaccineGroup", "vaccineGroupMap", "antigen",
    "contraindication", "contraindicatedVaccine", "clinicalHistory", "exclusion",
    "observation", "codedValue", "current", "previous", "age", "conditionalSkip",
    "seasonalRecommendation", "requiredGender",
}  # fmt: skip
PROSE = {
    "guidelineTitle", "observationTitle", "contraindicationText", "contraindicationGuidance",
    "seriesAdminGuidance", "guidance", "description", "setDescription", "text",
    "clarifyingText", "indicationText", "shortDescription", "exclusionTitle",
}  # fmt: skip
# containers whose children are read as lists even where CDC wrote one of them
CONTAINERS = {"vaccineGroupToAntigenMap", "cvxToAntigenMap", "liveVirusConflicts",
              "vaccineGroups", "observations", "codedValues"}  # fmt: skip
VERSION = "4.64"


def _value(tag: str, text: str | None) -> Any:
    text = (text or "").strip()
    if not text:
        return None
    if tag in DURATIONS:
        duration = parse_duration(text)
        return list(duration) if duration is not None else None
    if tag in DATES:
        day = parse_ymd(text)
        return day.isoformat() if day else None
    if tag == "immunityBirthDate":  # written 01/01/1957
        month, day_, year = text.split("/")
        return f"{int(year):04d}-{int(month):02d}-{int(day_):02d}"
    return text


def element(node: ET.Element) -> Any:
    children = list(node)
    if not children:
        return _value(node.tag, node.text)
    out: dict[str, Any] = {}
    for child in children:
        if child.tag in PROSE:
            continue
        value = element(child)
        if child.tag in LISTS and node.tag not in ("vaccineGroupMap",) or (
                node.tag in CONTAINERS):  # fmt: skip
            if value is None:
                out.setdefault(child.tag, [])
                continue
            out.setdefault(child.tag, []).append(value)
        elif node.tag == "vaccineGroupMap" and child.tag == "antigen":
            out.setdefault("antigen", []).append(value)
        elif child.tag in out:
            raise ValueError(f"<{child.tag}> repeats in <{node.tag}>: add it to LISTS")
        else:
            out[child.tag] = value
    return out


def antigen_name(path: Path) -> str:
    match = re.match(r"AntigenSupportingData-\s*(.+?)-508\.xml$", path.name)
    if not match:
        raise ValueError(f"not an antigen file: {path.name}")
    return match.group(1).strip()


def convert(src: Path, out: Path, version: str = VERSION) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    names: list[str] = []
    for path in sorted(src.glob("AntigenSupportingData-*.xml")):
        name = antigen_name(path)
        data = element(ET.parse(path).getroot())  # noqa: S314 - CDC's files, read by the maintainer
        data["targetDisease"] = name
        target = out / f"antigen-{name.replace(' ', '_')}.json"
        _write(target, data)
        written.append(target)
        names.append(name)
    schedule = element(ET.parse(src / "ScheduleSupportingData.xml").getroot())  # noqa: S314
    _write(out / "schedule.json", schedule)
    _write(out / "version.json", {"version": version, "antigens": names,
                                  "source": "CDC CDSi supporting data (XML, 508)"})  # fmt: skip
    return [*written, out / "schedule.json", out / "version.json"]


def _write(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n",
                    encoding="utf-8")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal.forecast.convert")
    parser.add_argument("src", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--version", default=VERSION)
    args = parser.parse_args(argv)
    files = convert(args.src, args.out, args.version)
    print(f"convert: {len(files)} files written to {args.out} (version {args.version})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
