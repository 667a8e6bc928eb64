"""Messages the exchange tests build on: an 8-segment VXU of our own (no conformance
material needed) and the conformance folder's messages when it is there."""

from __future__ import annotations

from pathlib import Path

from tests.conformance import require

VXU_8 = "\r".join([
    "MSH|^~\\&|CLINICEHR|SUNRISE|PORTAL|REGISTRY|20260301101500-0800||VXU^V04^VXU_V04|"
    "MSG-0001|P|2.5.1|||ER|AL|||||Z22^CDCPHINVS|SUNRISE|REGISTRY",
    "PID|1||MRN-77^^^SUNRISE^MR||Garc\\XC3AD\\a^Sof\\XC3AD\\a^Isabel^^^^L|Lopez^^^^^^M|"
    "20200115|F||"
    "2106-3^White^CDCREC|12 Elm St^^Fresno^CA^93701^USA^P||^PRN^PH^^^559^5551234|||||||||"
    "2135-2^Hispanic or Latino^CDCREC||N|1",
    "PD1|||||||||||02^Reminder/recall - any method^HL70215|Y|20260301|||A|20200115|20200115",
    "NK1|1|Garcia^Ana^^^^^L|MTH^Mother^HL70063|12 Elm St^^Fresno^CA^93701^USA^P|"
    "^PRN^PH^^^559^5551234",
    "ORC|RE||DOSE-1^SUNRISE|||||||||||||||SUNRISE^Sunrise Pediatrics^HL70362",
    "RXA|0|1|20260301||08^Hep B, adolescent or pediatric^CVX|0.5|mL^mL^UCUM||00^New Record^NIP001|"
    "|^^^SUNRISE||||LOT\\F\\42|20270101|MSD^Merck^MVX|||CP|A",
    "RXR|C28161^Intramuscular^NCIT|LT^Left Thigh^HL70163",
    "OBX|1|CE|64994-7^Vaccine Funding Program Eligibility^LN|1|V02^Medicaid^HL70064||||||F|||"
    "20260301|||VXC40^per immunization^CDCPHINVS",
]) + "\r"  # fmt: skip


def hl7_root() -> Path:
    return require("hl7")


def conformance_messages() -> list[Path]:
    return sorted(hl7_root().rglob("Message.txt"))
