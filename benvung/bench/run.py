"""The measurements of `benvung bench`: import speed, engine time, page time, the SQL floor.

Each timing is the median of a few runs with a fresh `IndicatorInputs` (no cache carried
between runs), so it is the time a user waits for the first answer after a value is stored.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from benvung.bench import generate, loading
from benvung.datavalues.models import DataElement, DataValue
from benvung.indicators import structure
from benvung.indicators.selectors import IndicatorInputs
from benvung.indicators.services import (
    evaluate,
    intensity_by_records,
    plan_indicators,
    plan_progress,
)
from benvung.orgunits.models import OrgUnit
from benvung.plans.models import FormulaKind, Indicator, Plan

YEAR = 2025
# A year of the imported file (`loading.IMPORT_FROM_YEAR` and after).
IMPORTED_YEAR = 2028
PAGE_REQUESTS = 50
# The tiny scale only checks that the bench runs (tests): two requests and one run suffice.
PAGE_REQUESTS_TINY = 2
RUNS = 3
SQL_INDICATORS = ("CT01", "CT03", "CT04")
KEYS = (
    "values",
    "import_values_per_s",
    "progress_national_s",
    "progress_national_cold_s",
    "progress_national_all_written_s",
    "progress_after_import_s",
    "progress_province_s",
    "plan_page_p95_ms",
    "indicator_page_p95_ms",
    "sql_baseline_s",
    "sql_ratio",
    "peak_rss_mb",
)


def run(
    *,
    scale: str,
    seed: int,
    log: Callable[[str], None] = lambda _: None,
    import_in_child: bool = False,
) -> dict[str, Any]:
    """Build the data set of `scale` in the current (fresh or bench) database and measure.

    With `import_in_child`, the file is imported by `benvung import data` in a new process
    (the command an operator runs), so that its peak memory is the import's own and not
    that of the generator's data still held by this process."""
    figures: dict[str, Any] = {"scale": scale, "seed": seed, "database": connection.vendor}
    log("Chuẩn bị cơ sở dữ liệu…")
    loading.prepare_database()
    data = generate.structure(generate.SCALES[scale], seed)
    ids = loading.load_structure(data)
    figures["units"] = len(data.units)
    log(f"{len(data.units)} đơn vị; sinh và nạp số liệu…")
    with tempfile.TemporaryDirectory(prefix="benvung-bench-") as folder:
        csv_path = Path(folder) / "so-lieu-bench.csv"
        started = time.perf_counter()
        stored, import_rows = loading.load_values(
            data, ids, seed=seed, csv_path=csv_path, import_rows=loading.IMPORT_ROWS[scale]
        )
        figures["load_s"] = round(time.perf_counter() - started, 1)
        log(f"{stored} giá trị nạp trực tiếp; nhập {import_rows} dòng qua đường nhập thật…")
        del data
        figures["import_rows"] = import_rows
        if import_in_child:
            elapsed, cpu_s, peak_mb = _import_in_child(csv_path)
        else:
            elapsed, cpu_s, peak_mb = _import_here(csv_path)
        # The importing process's CPU time (the database server's is not in it): on a shared
        # machine it says what the import costs when the wall-clock time says how long it
        # waited.
        figures["import_cpu_s"] = round(cpu_s, 2)
        figures["peak_rss_mb"] = round(peak_mb)
    figures["import_s"] = round(elapsed, 2)
    figures["import_values_per_s"] = round(import_rows / elapsed)
    figures["values"] = DataValue.objects.count()

    plan = Plan.objects.get(code=loading.PLAN_CODE)
    national = OrgUnit.objects.get(code=generate.ROOT)
    province = OrgUnit.objects.get(code="B01")
    log("Đo thời gian tính chỉ tiêu…")
    runs = 1 if scale == "tiny" else RUNS
    # The first answer after the hierarchy changed: the process walks it again.
    structure.forget()
    figures["progress_national_cold_s"] = _median(
        lambda: plan_progress(plan=plan, year=YEAR, root=national), 1
    )
    # The first answer about a year of the file just imported: a bulk write leaves its
    # years' CT07 terms to be rebuilt by the first question (`terms.fresh`).
    figures["progress_after_import_s"] = _median(
        lambda: plan_progress(plan=plan, year=IMPORTED_YEAR, root=national), 1
    )
    # Every timed answer follows a value stored (one enterprise's output of the year): the
    # figures are those of the first answer after a write. The answers that the write does
    # not touch are kept (`IndicatorInputs.kept`); the time when every element was written
    # before each answer, so that every indicator is computed again, is figured apart.
    with _writing_values(_elements_of(plan_indicators(plan))) as write:
        figures["progress_national_all_written_s"] = _median(
            lambda: plan_progress(plan=plan, year=YEAR, root=national), runs, before=write
        )
    with _writing_values(_ct07_output(plan)) as write:
        cpu = time.process_time()
        figures["progress_national_s"] = _median(
            lambda: plan_progress(plan=plan, year=YEAR, root=national), runs, before=write
        )
        figures["progress_national_cpu_s"] = round((time.process_time() - cpu) / runs, 3)
        figures["progress_province_s"] = _median(
            lambda: plan_progress(plan=plan, year=YEAR, root=province), runs, before=write
        )

    engine, baseline = _sql_comparison(plan, national, runs)
    figures["sql_baseline_s"] = baseline
    figures["sql_ratio"] = round(engine / baseline, 2) if baseline else None
    log("So CT07 với công thức trên từng doanh nghiệp…")
    figures["ct07_values_checked"] = _ct07_comparison(plan, [national, province])

    log("Đo thời gian trang…")
    requests = PAGE_REQUESTS_TINY if scale == "tiny" else PAGE_REQUESTS
    with _writing_values(_ct07_output(plan)) as write:
        plan_times, indicator_times = _pages(plan, requests, before=write)
    figures["plan_page_p95_ms"] = _p95(plan_times)
    figures["indicator_page_p95_ms"] = _p95(indicator_times)
    figures["page_requests"] = {"plan": len(plan_times), "indicator": len(indicator_times)}
    return figures


def _import_here(path: Path) -> tuple[float, float, float]:
    """Import by the command line's path (`reporting.services.values_import`, the workflow's
    rules as the operator) in this process: (seconds, CPU seconds, peak MB)."""
    from benvung.reporting.services import values_import

    _reset_peak_rss()
    started, cpu = time.perf_counter(), time.process_time()
    with path.open("rb") as fh:
        result = values_import(file=fh, filename=path.name)
    elapsed = time.perf_counter() - started
    if not result.ok:
        raise RuntimeError("\n".join(str(p) for p in result.problems[:20]))
    return elapsed, time.process_time() - cpu, _peak_rss_mb()


def _import_in_child(path: Path) -> tuple[float, float, float]:
    """`benvung import data FILE` in a new process on the same database: (seconds, CPU
    seconds, peak MB of that process)."""
    connection.close()  # SQLite: leave the file to the importer
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - this interpreter, this package, a file we wrote
        [sys.executable, "-m", "benvung.cli", "import", "data", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-4000:] or done.stdout[-4000:])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, after.ru_maxrss / 1024


def _median(
    action: Callable[[], object], runs: int = RUNS, before: Callable[[], None] | None = None
) -> float:
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 3)


@contextlib.contextmanager
def _writing_values(elements: list[int]) -> Iterator[Callable[[], None]]:
    """A function that stores a new value of one unit for each of the elements for the
    measured year (through the database's triggers, as any write), and the values put back
    at the end. A value stays positive, so that shares and CT07's qualifying links stay
    what they were."""
    values = [
        value
        for element in elements
        if (
            value := DataValue.objects.filter(
                data_element_id=element, year=YEAR, canonical_value__gt=0
            )
            .order_by("pk")
            .first()
        )
        is not None
    ]
    step = 0

    def write() -> None:
        nonlocal step
        step += 1
        for value in values:
            DataValue.objects.filter(pk=value.pk).update(
                canonical_value=value.canonical_value + step
            )

    try:
        yield write
    finally:
        for value in values:
            DataValue.objects.filter(pk=value.pk).update(canonical_value=value.canonical_value)


def _ct07_output(plan: Plan) -> list[int]:
    """The first output element of the plan's CT07 pairs: the write that costs the most to
    answer after (every link sum of its year is added up again)."""
    from benvung.indicators.terms import plan_pairs

    return sorted({output for _, output in plan_pairs(plan)})[:1]


def _elements_of(indicators: list[Indicator]) -> list[int]:
    """The data elements that the indicators read."""
    codes = {
        indicator.parameters[name]
        for indicator in indicators
        for name in ("data_element", "consumption_element", "output_element")
        if indicator.parameters.get(name)
    }
    return sorted(DataElement.objects.filter(code__in=codes).values_list("pk", flat=True))


# --- peak memory -------------------------------------------------------------------------


def _reset_peak_rss() -> None:
    """Start counting the peak afresh (Linux: writing 5 to clear_refs resets VmHWM)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_rss_mb() -> float:
    """The peak resident memory since `_reset_peak_rss`, else of the whole process."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the SQL floor -----------------------------------------------------------------------

# One query per indicator: the subtree of the root during the year by a recursive walk of
# the dated links (each path keeps the days on which all its links hold), the active units
# of the types, and their values.
_SUBTREE = """
WITH RECURSIVE sub(id, lo, hi) AS (
    SELECT id, %(start)s, %(end)s FROM orgunits_orgunit WHERE code = %(root)s
    UNION
    SELECT l.unit_id, {max}(sub.lo, l.valid_from), {min}(sub.hi, COALESCE(l.valid_to, %(end)s))
    FROM orgunits_parentlink l JOIN sub ON l.parent_id = sub.id
    WHERE l.valid_from <= sub.hi AND COALESCE(l.valid_to, %(end)s) >= sub.lo
)
"""
_ACTIVE = """
FROM orgunits_orgunit u
JOIN (SELECT DISTINCT id FROM sub) s ON s.id = u.id
LEFT JOIN ({values}) t ON t.org_unit_id = u.id
WHERE {windows}
"""
_CUMULATIVE = """
SELECT org_unit_id, SUM(canonical_value) AS total FROM datavalues_datavalue
WHERE data_element_id = (SELECT id FROM datavalues_dataelement WHERE code = %(element)s)
  AND year BETWEEN %(first)s AND %(year)s
GROUP BY org_unit_id
"""
_OF_YEAR = """
SELECT org_unit_id, canonical_value AS total FROM datavalues_datavalue
WHERE data_element_id = (SELECT id FROM datavalues_dataelement WHERE code = %(element)s)
  AND year = %(year)s
"""
_SQL: dict[str, tuple[str, str, tuple[str, ...], str]] = {
    "CT01": (_CUMULATIVE, "NT_HOAT_DONG", ("KCN", "CCN", "LANG_NGHE"), "t.total >= 1"),
    "CT03": (_CUMULATIVE, "TT_SU_KIEN", ("HUYEN",), "t.total >= 1"),
    "CT04": (_OF_YEAR, "BB_THAN_THIEN", ("SIEU_THI", "TTTM"), "t.total <> 0"),
}
# CT03's definition of 1/7/2025 (KH-2627's indicator versions): communes instead of districts;
# 2025 counts the districts of January–June and the communes of July–December.
_CT03_CHANGE = dt.date(2025, 7, 1)


def _windows(
    code: str, types: tuple[str, ...], year: int
) -> list[tuple[tuple[str, ...], dt.date, dt.date]]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if code != "CT03" or end < _CT03_CHANGE:
        return [(types, start, end)]
    windows: list[tuple[tuple[str, ...], dt.date, dt.date]] = [
        (("XA",), max(start, _CT03_CHANGE), end)
    ]
    if start < _CT03_CHANGE:
        windows.insert(0, (types, start, _CT03_CHANGE - dt.timedelta(days=1)))
    return windows


def sql_share(code: str, *, root: str, year: int, first_year: int) -> Decimal | None:
    """CT01, CT03 or CT04 of the root's subtree by one hand-written query."""
    values, element, types, condition = _SQL[code]
    postgres = connection.vendor == "postgresql"
    cast = "::date" if postgres else ""
    subtree = _SUBTREE.format(
        max="GREATEST" if postgres else "MAX", min="LEAST" if postgres else "MIN"
    )
    params: dict[str, Any] = {
        "root": root,
        "element": element,
        "first": first_year,
        "year": year,
    }
    clauses = []
    for n, (unit_types, start, end) in enumerate(
        [(("",), dt.date(year, 1, 1), dt.date(year, 12, 31)), *_windows(code, types, year)]
    ):
        names = ("start", "end") if n == 0 else (f"start{n}", f"end{n}")
        params[names[0]] = start if postgres else start.isoformat()
        params[names[1]] = end if postgres else end.isoformat()
        if n == 0:
            continue  # the year itself, for the subtree
        listed = ", ".join(f"'{t}'" for t in unit_types)
        clauses.append(
            f"(u.type IN ({listed}) AND u.valid_from <= %({names[1]})s{cast} "
            f"AND (u.valid_to IS NULL OR u.valid_to >= %({names[0]})s{cast}))"
        )
    sql = (
        subtree
        + f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN {condition} THEN 1 ELSE 0 END), 0)"
        + _ACTIVE.format(values=values, windows=" OR ".join(clauses))
    )
    if postgres:
        sql = sql.replace("%(start)s", "%(start)s::date").replace("%(end)s", "%(end)s::date")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        active, counted = cursor.fetchone()
    return Decimal(100) * counted / active if active else None


def _sql_comparison(plan: Plan, root: OrgUnit, runs: int) -> tuple[float, float]:
    """(benvung's time, the SQL time) for CT01, CT03 and CT04 of the whole country; the two
    must agree on the values."""
    indicators = {i.code: i for i in plan_indicators(plan) if i.code in SQL_INDICATORS}
    engine_values: dict[str, Decimal | None] = {}

    def engine() -> None:
        inputs = IndicatorInputs(plan=plan, root=root)
        for code in SQL_INDICATORS:
            engine_values[code] = evaluate(inputs, indicators[code], YEAR).value

    sql_values: dict[str, Decimal | None] = {}

    def baseline() -> None:
        for code in SQL_INDICATORS:
            sql_values[code] = sql_share(
                code, root=root.code, year=YEAR, first_year=plan.start_year
            )

    # The engine computes each time: a value of each element the three read is stored
    # before each run, so that no answer is kept.
    with _writing_values(_elements_of(list(indicators.values()))) as write:
        engine_time = _median(engine, runs, before=write)
        baseline_time = _median(baseline, runs)
    if engine_values != sql_values:
        raise RuntimeError(f"SQL {sql_values} ≠ benvung {engine_values}")
    return engine_time, baseline_time


def _ct07_comparison(plan: Plan, roots: list[OrgUnit]) -> int:
    """CT07 of every sector for 2025 as the engine answers it (the link sums: PostgreSQL's
    kept terms, SQLite's records added up per year and sector, kept or not) against the
    formula applied to every enterprise's records (`ct07.chain_linked_reduction`); the bench
    fails if one differs. Returns how many were compared."""
    indicators = [i for i in plan_indicators(plan) if i.formula == FormulaKind.INTENSITY_INDEX]
    compared = 0
    for root in roots:
        engine = IndicatorInputs(plan=plan, root=root)
        records = IndicatorInputs(plan=plan, root=root)
        for indicator in indicators:
            value = evaluate(engine, indicator, YEAR).value
            expected = intensity_by_records(records, indicator.parameters, YEAR).value
            if value != expected:
                raise RuntimeError(f"{indicator.code} {root.code}: {value} ≠ {expected}")
            compared += 1
    return compared


# --- pages -------------------------------------------------------------------------------


def _pages(
    plan: Plan, requests: int, before: Callable[[], None]
) -> tuple[list[float], list[float]]:
    """Server times (ms) of the plan page and of indicator pages, national data, each request
    after a value stored (`before`)."""
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(user)
    indicator_codes = ["CT01", "CT03", "CT04", "CT07.THEP.NL", "CT09"]
    base = f"/ke-hoach/{plan.code}/"
    with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
        plan_times = _timed(client, [f"{base}?nam={YEAR}"] * requests, before)
        urls = [
            f"{base}chi-tieu/{indicator_codes[n % len(indicator_codes)]}/?nam={YEAR}"
            for n in range(requests)
        ]
        indicator_times = _timed(client, urls, before)
    return plan_times, indicator_times


# A page kind stops being requested once this many seconds have gone (the count measured
# is reported): a page that takes seconds at national size would otherwise hold the bench
# for an hour.
PAGE_BUDGET_S = 120.0


def _timed(client: Client, urls: list[str], before: Callable[[], None]) -> list[float]:
    times: list[float] = []
    for url in urls:
        if sum(times) / 1000 > PAGE_BUDGET_S:
            break
        before()
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
    return times


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1)
