#!/usr/bin/env python3
"""Derive the 2025 reform files (Hải Dương merged into Hải Phòng) from ``vietnamadminunits``.

The PyPI package ``vietnamadminunits`` (MIT, https://github.com/tranngocminhhieu/vietnamadminunits)
ships ``data/dataset.db`` (SQLite: ``admin_units_legacy``, the 63-province list with districts,
and ``admin_units``, the 34-province list of 1/7/2025 with the commune area in km²) and
``data/converter_2025.json`` (which old commune went to which new one; an old commune split
between several new ones is listed with every new commune and its area). This script reads
those two files (it never imports the package's code) and writes, beside ``haiduong_2021.csv``:

* ``haiphong_2025.csv`` (org-unit format): Thành phố Hải Phòng (31), one unit before and after
  the reform; its communes and wards from 1/7/2025 (coded ``<GSO code>-2025``, because the
  2025 list reuses the code of one of the merged communes and a unit code names one unit for
  life); and, of pre-reform Hải Phòng, only the district and communes from which a new
  commune that also descends from Hải Dương comes (Huyện Vĩnh Bảo, 3 communes), so that every
  commune of KH-2627's territory has all its predecessors.
* ``reform_2025_successions.csv`` (succession format, with a ``legal_basis`` column):
  every Hải Dương commune and the three Vĩnh Bảo communes to their 2025 commune(s), and the
  province 30 to 31. A commune that went whole to a new one is ``MERGE`` (``RENAME`` when the
  new commune is exactly that one old commune); a split commune gets one ``SPLIT`` row per new
  commune, with ``share`` = that new commune's area / the sum of the areas of the new communes
  it was split between (the package has no area of the parts: an estimate, documented).

Usage::

    python scripts/derive_reform.py            # writes the two files
    python scripts/derive_reform.py --check    # compares the committed files with a fresh run
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sqlite3
import sys
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from importlib import metadata, util
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "benvung" / "orgunits" / "data"
UNITS_FILE = DATA_DIR / "haiphong_2025.csv"
SUCCESSIONS_FILE = DATA_DIR / "reform_2025_successions.csv"
HAIDUONG_FILE = DATA_DIR / "haiduong_2021.csv"

EXPECTED_VERSION = "1.0.4"
OLD_PROVINCE = "30"
CITY = "31"
CITY_KEY = "thanhphohaiphong"
REFORM_DAY = "2025-07-01"
LAST_OLD_DAY = "2025-06-30"
BASE_DAY = "2020-01-01"
NEW_SUFFIX = "-2025"
LEGAL_BASIS = (
    "Nghị quyết 202/2025/QH15 ngày 12/6/2025 (sắp xếp đơn vị hành chính cấp tỉnh) và nghị quyết "
    "của Ủy ban Thường vụ Quốc hội về sắp xếp đơn vị hành chính cấp xã của thành phố Hải Phòng "
    "năm 2025"
)
UNIT_HEADER = ["code", "name", "type", "parent", "valid_from", "valid_to", "sector"]
SUCCESSION_HEADER = ["predecessor", "successor", "date", "kind", "share", "legal_basis"]
SHARE_PLACES = Decimal("0.0001")


def package_dir() -> Path:
    """The installed package's folder (found without importing it)."""
    spec = util.find_spec("vietnamadminunits")
    if spec is None or spec.origin is None:
        raise SystemExit("vietnamadminunits is not installed")
    return Path(spec.origin).parent


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def derive(pkg: Path) -> tuple[str, str]:
    """The text of the two files."""
    db = sqlite3.connect(pkg / "data" / "dataset.db")
    legacy = {
        f"{p}_{d}_{w}": (pcode, dcode, dname, wcode, wname)
        for p, d, w, pcode, dcode, dname, wcode, wname in db.execute(
            "SELECT provinceKey, districtKey, wardKey, provinceCode, districtCode, district, "
            "wardCode, ward FROM admin_units_legacy WHERE provinceCode IN (?, ?)",
            (OLD_PROVINCE, CITY),
        )
    }
    new = {
        key: (code, nfc(name), area)
        for key, code, name, area in db.execute(
            "SELECT wardKey, wardCode, ward, wardAreaKm2 FROM admin_units WHERE provinceCode = ?",
            (CITY,),
        )
    }
    converter = json.loads((pkg / "data" / "converter_2025.json").read_text(encoding="utf-8"))
    whole: dict[str, list[str]] = converter["DICT_PROVINCE_WARD_NO_DIVIDED"][CITY_KEY]
    divided: dict[str, list[dict[str, object]]] = converter["DICT_PROVINCE_WARD_DIVIDED"][CITY_KEY]

    # (old key, new key, kind, share)
    edges: list[tuple[str, str, str, Decimal | None]] = []
    for new_key, old_keys in whole.items():
        for old_key in old_keys:
            edges.append((old_key, new_key, "MERGE", None))
    for old_key, parts in divided.items():
        total = sum(Decimal(str(p["newWardAreaKm2"])) for p in parts)
        shares = [
            (Decimal(str(p["newWardAreaKm2"])) / total).quantize(SHARE_PLACES, ROUND_HALF_UP)
            for p in parts
        ]
        # The rounding remainder goes to the largest part, so that the shares sum to 1 exactly.
        largest = max(range(len(shares)), key=lambda i: shares[i])
        shares[largest] += Decimal(1) - sum(shares)
        for part, share in zip(parts, shares, strict=True):
            edges.append((old_key, str(part["newWardKey"]), "SPLIT", share))
    edges = [e for e in edges if e[0] in legacy]  # drops the island district without communes

    # New communes that descend from Hải Dương, and their other (old Hải Phòng) predecessors.
    from_haiduong = {n for o, n, _, _ in edges if legacy[o][0] == OLD_PROVINCE}
    kept_old = {o for o, n, _, _ in edges if n in from_haiduong}
    out_degree: dict[str, int] = {}
    in_degree: dict[str, int] = {}
    for o, n, _, _ in edges:
        out_degree[o] = out_degree.get(o, 0) + 1
        in_degree[n] = in_degree.get(n, 0) + 1

    units = io.StringIO()
    writer = csv.writer(units, lineterminator="\n")
    writer.writerow(UNIT_HEADER)
    writer.writerow([CITY, "Thành phố Hải Phòng", "TINH", "", BASE_DAY, "", ""])
    old_hp = sorted(
        (legacy[o] for o in kept_old if legacy[o][0] == CITY), key=lambda r: (r[1], r[3])
    )
    for dcode, dname in sorted({(r[1], nfc(r[2])) for r in old_hp}):
        writer.writerow([dcode, dname, "HUYEN", CITY, BASE_DAY, LAST_OLD_DAY, ""])
    for _, dcode, _, wcode, wname in old_hp:
        writer.writerow([wcode, nfc(wname), "XA", dcode, BASE_DAY, LAST_OLD_DAY, ""])
    for code, name, _ in sorted(new.values()):
        writer.writerow([code + NEW_SUFFIX, name, "XA", CITY, REFORM_DAY, "", ""])

    successions = io.StringIO()
    writer = csv.writer(successions, lineterminator="\n")
    writer.writerow(SUCCESSION_HEADER)
    writer.writerow([OLD_PROVINCE, CITY, REFORM_DAY, "MERGE", "", LEGAL_BASIS])
    rows = []
    for o, n, kind, share in edges:
        if o not in kept_old:
            continue
        if kind == "MERGE" and out_degree[o] == 1 and in_degree[n] == 1:
            kind = "RENAME"
        rows.append(
            [
                legacy[o][3],
                new[n][0] + NEW_SUFFIX,
                REFORM_DAY,
                kind,
                "" if share is None else str(share),
                LEGAL_BASIS,
            ]
        )
    rows.sort(key=lambda r: (r[0], r[1]))
    writer.writerows(rows)
    return units.getvalue(), successions.getvalue()


def check(units_text: str, successions_text: str) -> list[str]:
    """Consistency checks of the derived files against haiduong_2021.csv."""
    faults = []
    units = list(csv.DictReader(io.StringIO(units_text)))
    codes = [u["code"] for u in units]
    if len(codes) != len(set(codes)):
        faults.append("duplicate unit code")
    with HAIDUONG_FILE.open(encoding="utf-8") as fh:
        haiduong = {r["code"]: r for r in csv.DictReader(fh)}
    if set(codes) & set(haiduong):
        faults.append("a code of haiphong_2025.csv is also in haiduong_2021.csv")
    known = set(codes) | set(haiduong)
    successions = list(csv.DictReader(io.StringIO(successions_text)))
    for row in successions:
        if row["predecessor"] not in known or row["successor"] not in known:
            faults.append(f"unknown code in succession {row}")
    hd_communes = {c for c, r in haiduong.items() if r["type"] == "XA"}
    with_successor = {r["predecessor"] for r in successions}
    if hd_communes - with_successor:
        faults.append(
            f"Hải Dương communes without successor: {sorted(hd_communes - with_successor)}"
        )
    splits: dict[str, Decimal] = {}
    for row in successions:
        if row["kind"] == "SPLIT":
            splits[row["predecessor"]] = splits.get(row["predecessor"], Decimal(0)) + Decimal(
                row["share"]
            )
    faults += [f"shares of {code} sum to {total}" for code, total in splits.items() if total != 1]
    return faults


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files")
    parser.add_argument("--expect-version", default=EXPECTED_VERSION)
    args = parser.parse_args()
    version = metadata.version("vietnamadminunits")
    if args.expect_version != "any" and version != args.expect_version:
        print(f"vietnamadminunits {version}, expected {args.expect_version}", file=sys.stderr)
        return 1
    units_text, successions_text = derive(package_dir())
    faults = check(units_text, successions_text)
    if args.check:
        if UNITS_FILE.read_text(encoding="utf-8") != units_text:
            faults.append(f"{UNITS_FILE.name} differs from a fresh derivation")
        if SUCCESSIONS_FILE.read_text(encoding="utf-8") != successions_text:
            faults.append(f"{SUCCESSIONS_FILE.name} differs from a fresh derivation")
    else:
        UNITS_FILE.write_text(units_text, encoding="utf-8")
        SUCCESSIONS_FILE.write_text(successions_text, encoding="utf-8")
    for fault in faults:
        print(fault, file=sys.stderr)
    counts = {
        "units": units_text.count("\n") - 1,
        "successions": successions_text.count("\n") - 1,
        "split rows": successions_text.count(",SPLIT,"),
    }
    print(f"vietnamadminunits {version}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main())
