#!/usr/bin/env python3
"""Derive Hải Dương's pre-reform administrative hierarchy from ``vietnam-provinces``.

The PyPI package ``vietnam-provinces`` (https://github.com/sunshine-tech/VietnamProvinces)
ships the General Statistics Office (GSO) catalogue of provinces, districts and
communes as ``vietnam_provinces/data/nested-divisions.json``: a list of provinces,
each with ``districts``, each with ``wards`` (every commune-level unit: xã, phường,
thị trấn).  This script reads that JSON file -- it never imports the package, so the
package is *not* a dependency of the project -- and writes the three-level hierarchy
of one province in the project's org-unit interchange format::

    code,name,type,parent,valid_from,valid_to,sector

* the province: GSO province code (2 digits), type ``TINH``, no parent;
* its districts: GSO district code (3 digits), type ``HUYEN``, parent = province code;
* their communes: GSO commune code (5 digits, zero-padded), type ``XA``,
  parent = district code.

Names are copied from the package with their prefix ("Tỉnh", "Thành phố", "Thị xã",
"Huyện", "Phường", "Xã", "Thị trấn"), normalised to Unicode NFC.  Every row gets the
same ``valid_from``/``valid_to`` and an empty ``sector``.  Rows are sorted province,
then districts by code, then communes by code.

After writing, the file is read back and checked (one province, the expected district
codes, no duplicate codes, every parent present, NFC names with Vietnamese prefixes);
the counts are printed and the exit status is non-zero if a check fails.

Regenerate ``benvung/orgunits/data/haiduong_2021.csv`` (see that folder's README)::

    python -m pip download --no-deps vietnam-provinces==0.6.0 -d /tmp/vp
    python -m zipfile -e /tmp/vp/vietnam_provinces-0.6.0-py3-none-any.whl /tmp/vp/pkg
    python scripts/derive_orgunits.py --package-dir /tmp/vp/pkg

``--wheel /tmp/vp/vietnam_provinces-0.6.0-py3-none-any.whl`` reads the wheel directly
instead of an unpacked directory.  ``--check FILE`` only verifies an existing CSV.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "benvung" / "orgunits" / "data" / "haiduong_2021.csv"

HEADER = ["code", "name", "type", "parent", "valid_from", "valid_to", "sector"]
NESTED_JSON = "vietnam_provinces/data/nested-divisions.json"
INIT_PY = "vietnam_provinces/__init__.py"

# Hải Dương: GSO province 30, districts 288..300.
DEFAULT_PROVINCE = 30
DEFAULT_DISTRICT_RANGE = (288, 300)
DEFAULT_DISTRICT_COUNT = 12
# Base year of the plan; the 1/7/2025 reform abolished districts and merged Hải Dương
# into Hải Phòng, so 30/6/2025 is the last day of this hierarchy.
DEFAULT_VALID_FROM = "2020-01-01"
DEFAULT_VALID_TO = "2025-06-30"
DEFAULT_EXPECT_VERSION = "0.6.0"

CODE_WIDTH = {"TINH": 2, "HUYEN": 3, "XA": 5}
PREFIXES = {
    "TINH": ("Tỉnh ",),
    "HUYEN": ("Thành phố ", "Thị xã ", "Huyện ", "Quận "),
    "XA": ("Phường ", "Xã ", "Thị trấn "),
}
_VI_LOWER = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵfjwz"
)
# Vietnamese letters, digits and the punctuation that occurs in unit names.  Anything
# else (e.g. "Æ°", the mojibake of "ư") is rejected.
NAME_CHARS = frozenset(_VI_LOWER + _VI_LOWER.upper() + "0123456789 -'.()")


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    type: str
    parent: str
    valid_from: str
    valid_to: str
    sector: str = ""

    def as_list(self) -> list[str]:
        return [
            self.code,
            self.name,
            self.type,
            self.parent,
            self.valid_from,
            self.valid_to,
            self.sector,
        ]


def _int_code(row: Row) -> int:
    return int(row.code)


# --------------------------------------------------------------------------- reading


def _package_reader(
    package_dir: Path | None, wheel: Path | None
) -> tuple[Callable[[str], bytes | None], Callable[[], list[str]]]:
    """Return (read(relpath) -> bytes | None, list_names()) over a directory or a wheel."""
    if wheel is not None:
        zf = zipfile.ZipFile(wheel)
        names = zf.namelist()

        def read_zip(rel: str) -> bytes | None:
            return zf.read(rel) if rel in names else None

        return read_zip, lambda: names

    if package_dir is None:
        raise ValueError("either package_dir or wheel is required")
    root = package_dir
    # Accept either the directory holding ``vietnam_provinces/`` (an unpacked wheel,
    # ``pip install --target`` or a site-packages) or the package directory itself.
    if not (root / NESTED_JSON).is_file() and (root / "data" / "nested-divisions.json").is_file():
        root = root.parent

    def read_dir(rel: str) -> bytes | None:
        path = root / rel
        return path.read_bytes() if path.is_file() else None

    def list_dir() -> list[str]:
        found = root.glob("vietnam_provinces-*.dist-info/*")
        return [p.relative_to(root).as_posix() for p in found]

    return read_dir, list_dir


def package_info(read: Callable[[str], bytes | None], names: list[str]) -> dict[str, str]:
    """Version, data version and licence as the package itself states them."""
    info = {"version": "?", "data_version": "?", "license": "(not stated)"}
    init = read(INIT_PY)
    if init is not None:
        text = init.decode("utf-8")
        for key, var in (("version", "__version__"), ("data_version", "__data_version__")):
            m = re.search(rf"^{var}\s*=\s*['\"]([^'\"]+)['\"]", text, re.MULTILINE)
            if m:
                info[key] = m.group(1)
    pattern = re.compile(r"vietnam_provinces-[^/]+\.dist-info/METADATA")
    metadata = next((n for n in names if pattern.fullmatch(n)), None)
    raw = read(metadata) if metadata else None
    if raw is not None:
        head = raw.decode("utf-8").split("\n\n", 1)[0]
        m = re.search(r"^Version:\s*(\S+)", head, re.MULTILINE)
        if m:
            info["version"] = m.group(1)
        licences = re.findall(r"^(?:License-Expression|License):\s*(.+)$", head, re.MULTILINE)
        licences += re.findall(r"^Classifier:\s*License :: (.+)$", head, re.MULTILINE)
        if licences:
            info["license"] = "; ".join(licences)
    return info


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


def derive_rows(
    divisions: list[dict[str, Any]], province_code: int, valid_from: str, valid_to: str
) -> tuple[list[Row], int]:
    """Build the sorted rows of one province; also return how many names needed NFC."""
    matches = [p for p in divisions if int(p["code"]) == province_code]
    if len(matches) != 1:
        raise SystemExit(f"province {province_code} found {len(matches)} times in the package data")
    province = matches[0]
    renormalised = 0

    def name_of(item: dict[str, Any]) -> str:
        nonlocal renormalised
        name = nfc(item["name"])
        renormalised += name != item["name"]
        return name

    def code(kind: str, value: int | str) -> str:
        return str(int(value)).zfill(CODE_WIDTH[kind])

    prov_code = code("TINH", province["code"])
    rows = [Row(prov_code, name_of(province), "TINH", "", valid_from, valid_to)]
    districts: list[Row] = []
    communes: list[Row] = []
    for district in province["districts"]:
        dist_code = code("HUYEN", district["code"])
        districts.append(
            Row(dist_code, name_of(district), "HUYEN", prov_code, valid_from, valid_to)
        )
        for ward in district["wards"]:
            communes.append(
                Row(code("XA", ward["code"]), name_of(ward), "XA", dist_code, valid_from, valid_to)
            )
    rows += sorted(districts, key=_int_code)
    rows += sorted(communes, key=_int_code)
    return rows, renormalised


def write_csv(rows: list[Row], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(r.as_list() for r in rows)
    output.write_text(buf.getvalue(), encoding="utf-8")


# --------------------------------------------------------------------------- checking


@dataclass(frozen=True)
class Facts:
    provinces: int
    districts: int
    communes: int
    commune_kinds: dict[str, int]
    per_district: dict[str, int]
    unused_district_codes: list[str]


def read_csv(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        if header != HEADER:
            raise SystemExit(f"{path}: header {header!r} != {HEADER!r}")
        return [Row(*rec) for rec in reader]


def verify(
    rows: list[Row],
    district_range: tuple[int, int] = DEFAULT_DISTRICT_RANGE,
    district_count: int = DEFAULT_DISTRICT_COUNT,
) -> tuple[list[str], Facts]:
    """Return (errors, facts) for rows of the interchange format."""
    errors: list[str] = []
    by_type: dict[str, list[Row]] = {"TINH": [], "HUYEN": [], "XA": []}
    for r in rows:
        if r.type not in by_type:
            errors.append(f"{r.code}: unknown type {r.type!r}")
            continue
        by_type[r.type].append(r)
    provinces, districts, communes = by_type["TINH"], by_type["HUYEN"], by_type["XA"]

    dupes = [c for c, n in Counter(r.code for r in rows).items() if n > 1]
    if dupes:
        errors.append(f"duplicate codes: {sorted(dupes)}")

    if len(provinces) != 1 or provinces[0].parent:
        errors.append(f"expected exactly one province without parent, got {len(provinces)}")
    prov_codes = {r.code for r in provinces}
    district_codes = {r.code for r in districts}

    lo, hi = district_range
    if len(districts) != district_count:
        errors.append(f"expected {district_count} districts, got {len(districts)}")
    outside = sorted(r.code for r in districts if not lo <= int(r.code) <= hi)
    if outside:
        errors.append(f"district codes outside {lo}..{hi}: {outside}")
    unused = [str(c) for c in range(lo, hi + 1) if str(c).zfill(3) not in district_codes]

    for r in districts:
        if r.parent not in prov_codes:
            errors.append(f"district {r.code}: parent {r.parent!r} is not the province")
    for r in communes:
        if r.parent not in district_codes:
            errors.append(f"commune {r.code}: parent {r.parent!r} is not a district in the file")

    for r in rows:
        width = CODE_WIDTH.get(r.type)
        if width and not (r.code.isdigit() and len(r.code) == width):
            errors.append(f"{r.code}: {r.type} code must be {width} digits")
        if r.name != unicodedata.normalize("NFC", r.name):
            errors.append(f"{r.code}: name {r.name!r} is not NFC")
        if not r.name.startswith(PREFIXES.get(r.type, ())):
            errors.append(f"{r.code}: name {r.name!r} lacks a {r.type} prefix")
        bad = sorted(set(r.name) - NAME_CHARS)
        if bad:
            errors.append(f"{r.code}: name {r.name!r} has unexpected characters {bad}")
        try:
            if date.fromisoformat(r.valid_from) >= date.fromisoformat(r.valid_to):
                errors.append(f"{r.code}: valid_from is not before valid_to")
        except ValueError:
            errors.append(f"{r.code}: bad dates {r.valid_from!r}/{r.valid_to!r}")
        if r.sector:
            errors.append(f"{r.code}: sector should be empty")

    expected = provinces + sorted(districts, key=_int_code) + sorted(communes, key=_int_code)
    if rows != expected:
        errors.append("rows are not sorted province, districts by code, communes by code")

    per_district = Counter(r.parent for r in communes)
    facts = Facts(
        provinces=len(provinces),
        districts=len(districts),
        communes=len(communes),
        commune_kinds=dict(Counter(_commune_kind(r.name) for r in communes)),
        per_district={d.code: per_district[d.code] for d in sorted(districts, key=_int_code)},
        unused_district_codes=unused,
    )
    return errors, facts


def _commune_kind(name: str) -> str:
    return next((p.strip() for p in PREFIXES["XA"] if name.startswith(p)), "?")


def report(path: Path, rows: list[Row]) -> int:
    errors, facts = verify(rows)
    names = {r.code: r.name for r in rows}
    print(f"{path}: {len(rows)} rows")
    print(f"  provinces: {facts.provinces}")
    print(
        f"  districts: {facts.districts}  (unused codes in range: "
        f"{', '.join(facts.unused_district_codes) or 'none'})"
    )
    print(f"  communes:  {facts.communes}  {facts.commune_kinds}")
    for code, n in facts.per_district.items():
        print(f"    {code} {names[code]}: {n}")
    if errors:
        print(f"FAILED: {len(errors)} problem(s)", file=sys.stderr)
        for e in errors:
            print(f"  - {e}", file=sys.stderr)
        return 1
    print("  checks: OK (no duplicate codes, parents present, NFC names, sorted)")
    return 0


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--package-dir",
        type=Path,
        help="directory holding vietnam_provinces/ (unpacked wheel, "
        "pip --target dir or site-packages), or that package dir itself",
    )
    source.add_argument("--wheel", type=Path, help="a vietnam_provinces-*.whl file")
    source.add_argument(
        "--check", type=Path, metavar="CSV", help="only verify an existing CSV and print its counts"
    )
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, help="CSV to write (default: %(default)s)"
    )
    parser.add_argument("--province-code", type=int, default=DEFAULT_PROVINCE)
    parser.add_argument("--valid-from", default=DEFAULT_VALID_FROM)
    parser.add_argument("--valid-to", default=DEFAULT_VALID_TO)
    parser.add_argument(
        "--expect-version",
        default=DEFAULT_EXPECT_VERSION,
        help="refuse other package versions; 'any' to accept any (default: %(default)s)",
    )
    args = parser.parse_args(argv)

    if args.check:
        return report(args.check, read_csv(args.check))

    read, list_names = _package_reader(args.package_dir, args.wheel)
    raw = read(NESTED_JSON)
    if raw is None:
        parser.error(f"{NESTED_JSON} not found in {args.package_dir or args.wheel}")
    info = package_info(read, list_names())
    print(
        f"vietnam-provinces {info['version']} (data version {info['data_version']}, "
        f"licence: {info['license']})"
    )
    if args.expect_version != "any" and info["version"] != args.expect_version:
        parser.error(f"package version {info['version']} != --expect-version {args.expect_version}")

    if info["data_version"] > args.valid_from:
        print(
            f"  note: the package data is dated {info['data_version']}, later than "
            f"valid_from {args.valid_from}; units created, merged or renamed in between "
            f"are shown in their {info['data_version']} state"
        )
    rows, renormalised = derive_rows(
        json.loads(raw), args.province_code, args.valid_from, args.valid_to
    )
    if renormalised:
        print(f"  note: {renormalised} name(s) were not NFC in the package and were normalised")
    write_csv(rows, args.output)
    return report(args.output, read_csv(args.output))


if __name__ == "__main__":
    sys.exit(main())
