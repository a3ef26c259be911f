"""An import of many chunks (`CHUNK_ROWS` rows each), written by the database thread while
the next chunk is checked: one transaction, and the same result as a file read at once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from benvung.datavalues import services
from benvung.datavalues.models import DataValue
from benvung.orgunits.models import OrgUnit
from tests.factories import OrgUnitFactory
from tests.import_factories import Importer, enterprise, lines

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plan")]

ROWS = """
NT_HOAT_DONG,K1,2021,3,,tập huấn
NT_NGUOI,K1,2021,40,,
SX_SAN_LUONG,E1,2021,100,tấn,
TH_NGUYEN_LIEU,E1,2021,1500,kg,
NT_HOAT_DONG,K2,2021,,,
NT_HOAT_DONG,K2,2022,1,,
SX_SAN_LUONG,E1,2022,90000,kg,
TH_NANG_LUONG,E1,2022,10,MWh,
"""


@pytest.fixture
def units() -> dict[str, OrgUnit]:
    return {
        "K1": OrgUnitFactory(code="K1", type="KCN"),
        "K2": OrgUnitFactory(code="K2", type="KCN"),
        "E1": enterprise("E1"),
    }


# The chunks' writes and reads on threads of their own.
threaded = pytest.mark.skipif(
    services.connection.vendor != "postgresql", reason="only PostgreSQL writes on a thread"
)


@pytest.fixture
def one_row_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """One row a chunk: each row of the files below is a chunk of its own."""
    monkeypatch.setattr(services, "CHUNK_ROWS", 1)


@pytest.fixture
def chunk_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two rows a chunk: the files below are several chunks."""
    monkeypatch.setattr(services, "CHUNK_ROWS", 2)


def state() -> list[tuple[object, ...]]:
    """The stored values and their history, without what differs between two imports (keys
    and moments)."""
    values = DataValue.objects.order_by("data_element__code", "org_unit__code", "period")
    history = DataValue.history.order_by("data_element__code", "org_unit__code", "period")
    fields = ("data_element__code", "org_unit__code", "period", "value", "canonical_value")
    return [
        *values.values_list(*fields, "unit", "comment", "source"),
        *history.values_list(*fields, "history_type", "history_change_reason"),
    ]


def test_a_file_of_many_chunks_is_stored_as_one_of_a_single_chunk(
    import_csv: Importer, units: dict[str, OrgUnit], monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = import_csv("so-lieu.csv", ROWS)
    assert whole.ok, lines(whole)
    at_once = state()
    DataValue.objects.all().delete()
    DataValue.history.all().delete()

    monkeypatch.setattr(services, "CHUNK_ROWS", 2)
    chunked = import_csv("so-lieu.csv", ROWS)
    assert chunked.ok, lines(chunked)
    assert (chunked.created, chunked.updated, chunked.unchanged) == (7, 0, 0)
    assert state() == at_once
    assert DataValue.objects.get(
        data_element__code="SX_SAN_LUONG", org_unit__code="E1", period="2022"
    ).canonical_value == Decimal(90)


@pytest.mark.usefixtures("chunk_rows")
def test_updates_and_unchanged_rows_are_counted_across_chunks(
    import_csv: Importer, units: dict[str, OrgUnit]
) -> None:
    assert import_csv("a.csv", ROWS).ok
    again = import_csv("b.csv", ROWS.replace("NT_NGUOI,K1,2021,40", "NT_NGUOI,K1,2021,41"))
    assert (again.created, again.updated, again.unchanged) == (0, 1, 6)
    changed = DataValue.objects.get(data_element__code="NT_NGUOI", org_unit__code="K1")
    assert [(h.history_type, h.value) for h in changed.history.order_by("history_id")] == [
        ("+", 40),
        ("~", 41),
    ]


@pytest.mark.usefixtures("chunk_rows")
def test_a_problem_in_the_last_chunk_undoes_the_chunks_already_written(
    import_csv: Importer, units: dict[str, OrgUnit]
) -> None:
    result = import_csv("loi.csv", ROWS + "NT_HOAT_DONG,KHONG_CO,2022,1,,\n")
    assert lines(result) == ["loi.csv:10: org_unit: không có đơn vị mã 'KHONG_CO'"]
    assert not DataValue.objects.exists()
    assert not DataValue.history.exists()


@pytest.mark.usefixtures("chunk_rows")
def test_a_key_repeated_in_a_later_chunk_names_the_first_line(
    import_csv: Importer, units: dict[str, OrgUnit]
) -> None:
    result = import_csv("lap.csv", ROWS + "NT_NGUOI,K1,2021,41,,\n")
    assert [problem.line for problem in result.problems] == [10]
    assert "dòng 3" in result.problems[0].message
    assert not DataValue.objects.exists()


@pytest.mark.usefixtures("chunk_rows")
def test_the_output_unit_of_an_earlier_chunk_decides_for_a_later_one(
    import_csv: Importer, units: dict[str, OrgUnit]
) -> None:
    result = import_csv("sl.csv", ROWS + "SX_SAN_LUONG,E1,2023,5,chiếc,\n")
    assert lines(result) == [
        "sl.csv:10: unit: doanh nghiệp 'E1' đã dùng đơn vị 'tấn' cho SX_SAN_LUONG (dòng 4); "
        "đơn vị sản lượng phải giữ nguyên qua các năm"
    ]
    assert not DataValue.objects.exists()


# The outermost transaction: SQLite checks its (deferred) foreign keys at the commit.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("chunk_rows")
def test_a_refusal_of_the_database_in_a_later_chunk_undoes_the_earlier_ones(
    import_csv: Importer, units: dict[str, OrgUnit], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A unit removed while the file is read (after its code was looked up, before its rows
    are written) makes the database refuse the write: nothing of the file stays."""
    gone = OrgUnit(id=10**9, code="K2", name="K2", type="KCN", valid_from=dt.date(2000, 1, 1))
    looked_up = services._units

    def units_with_one_gone(codes: list[str]) -> dict[str, OrgUnit]:
        return {**looked_up(codes), **({"K2": gone} if "K2" in codes else {})}

    monkeypatch.setattr(services, "_units", units_with_one_gone)
    result = import_csv("mat-don-vi.csv", ROWS)
    assert [p.line for p in result.problems] == [0]
    assert result.problems[0].message.startswith("không lưu được, không có gì thay đổi (")
    assert not DataValue.objects.exists()
    assert not DataValue.history.exists()


def record_workers(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bool, bool]]:
    """(threaded, own connection) of each database worker started from now on."""
    workers: list[tuple[bool, bool]] = []
    original = services.DatabaseWorker.__init__

    def record(
        worker: services.DatabaseWorker, *, threaded: bool, own_connection: bool = False
    ) -> None:
        workers.append((threaded, own_connection))
        original(worker, threaded=threaded, own_connection=own_connection)

    monkeypatch.setattr(services.DatabaseWorker, "__init__", record)
    return workers


def test_only_a_file_of_several_chunks_has_a_database_thread(
    import_csv: Importer, units: dict[str, OrgUnit], monkeypatch: pytest.MonkeyPatch
) -> None:
    workers = record_workers(monkeypatch)
    assert import_csv("mot.csv", "NT_HOAT_DONG,K1,2021,3,,\n").ok
    monkeypatch.setattr(services, "CHUNK_ROWS", 2)
    assert import_csv("nhieu.csv", ROWS).ok
    # SQLite writes in turn with the checks: it needs the interpreter's lock for every row.
    # Inside the test's transaction, the reads stay on its connection.
    assert workers == [(False, False), (services.connection.vendor == "postgresql", False)]


@threaded
@pytest.mark.django_db(transaction=True)
def test_an_import_of_its_own_transaction_reads_on_another_connection(
    import_csv: Importer, units: dict[str, OrgUnit], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Started outside any transaction (the command line, an upload), a file of several
    chunks is read by a connection of its own while the other writes: the same values,
    history and counts as a file of one chunk, and an update seen as one."""
    whole = import_csv("so-lieu.csv", ROWS)
    assert whole.ok, lines(whole)
    at_once = state()
    DataValue.objects.all().delete()
    DataValue.history.all().delete()

    workers = record_workers(monkeypatch)
    monkeypatch.setattr(services, "CHUNK_ROWS", 2)
    chunked = import_csv("so-lieu.csv", ROWS)
    assert chunked.ok, lines(chunked)
    assert workers == [(True, False), (True, True)]
    assert (chunked.created, chunked.updated, chunked.unchanged) == (7, 0, 0)
    assert state() == at_once

    again = import_csv("lan-2.csv", ROWS.replace("NT_NGUOI,K1,2021,40", "NT_NGUOI,K1,2021,41"))
    assert (again.created, again.updated, again.unchanged) == (0, 1, 6)
    problem = import_csv("sl.csv", ROWS + "SX_SAN_LUONG,E1,2023,5,chiếc,\n")
    assert [p.line for p in problem.problems] == [10]
    assert DataValue.objects.count() == 7


@threaded
@pytest.mark.django_db(transaction=True)
def test_a_slow_database_does_not_gather_the_file_in_memory(
    import_csv: Importer, units: dict[str, OrgUnit], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reads do not wait for the writes: the reading waits instead, once a write is
    queued behind the one running, whatever the number of chunks."""
    import threading
    import time

    monkeypatch.setattr(services, "CHUNK_ROWS", 1)
    lock = threading.Lock()
    waiting = [0]
    most = [0]
    prepare = services._Store.prepare

    def prepare_slow_write(store: services._Store, *args: object) -> object:
        write = prepare(store, *args)  # type: ignore[arg-type]
        if write is None:
            return None
        with lock:
            waiting[0] += 1
            most[0] = max(most[0], waiting[0])

        def slow() -> None:
            time.sleep(0.05)
            with lock:
                waiting[0] -= 1
            write()

        return slow

    monkeypatch.setattr(services._Store, "prepare", prepare_slow_write)
    result = import_csv("cham.csv", ROWS)
    assert (result.created, result.updated, result.unchanged) == (7, 0, 0)
    # The chunk being prepared, the write queued and the one running: never more.
    assert most[0] <= 3
    assert DataValue.objects.count() == 7


def test_stamps_are_those_of_the_import(import_csv: Importer, units: dict[str, OrgUnit]) -> None:
    before = dt.datetime.now(dt.UTC)
    assert import_csv("a.csv", ROWS).ok
    stamps = set(DataValue.objects.values_list("updated_at", flat=True))
    assert len(stamps) == 1
    assert stamps.pop() >= before


@pytest.mark.usefixtures("chunk_rows")
def test_progress_counts_the_rows_written_so_far(
    import_csv: Importer, units: dict[str, OrgUnit], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`benvung import --progress` prints how many rows are written: the count only grows,
    chunk after chunk and within a chunk's batches, up to the file's rows."""
    import re

    from benvung.core import importing
    from benvung.core.importing import import_progress

    monkeypatch.setattr(importing, "WRITE_BATCH_ROWS", 1)

    heard: list[str] = []
    token = import_progress.set(heard.append)
    try:
        assert import_csv("a.csv", ROWS).ok
    finally:
        import_progress.reset(token)
    counts = [int(n) for text in heard for n in re.findall(r"đã ghi (\d+) dòng", text)]
    assert counts == sorted(counts)
    assert counts[0] == 1, heard
    assert counts[-1] == 7


def correct_the_output_unit_over_two_chunks(import_csv: Importer) -> None:
    """The stored 2021 is in tonnes; the file sends 2022 in pieces, then 2021 again in
    pieces: no stored period outside the file is left to decide, so the file's first row
    does, although the first chunk alone had the stored 2021 outside it."""
    assert import_csv("a.csv", "SX_SAN_LUONG,E1,2021,100,tấn,\n").ok
    result = import_csv("b.csv", "SX_SAN_LUONG,E1,2022,5,chiếc,\nSX_SAN_LUONG,E1,2021,4,chiếc,\n")
    assert result.ok, lines(result)
    assert (result.created, result.updated) == (1, 1)
    # A stored period that no chunk sends still decides.
    refused = import_csv("c.csv", "SX_SAN_LUONG,E1,2023,5,tấn,\nSX_SAN_LUONG,E1,2022,5,tấn,\n")
    assert lines(refused) == [
        f"c.csv:{line}: unit: doanh nghiệp 'E1' đã dùng đơn vị 'chiếc' cho SX_SAN_LUONG "
        "(kỳ 2021); đơn vị sản lượng phải giữ nguyên qua các năm"
        for line in (2, 3)
    ]


@pytest.mark.usefixtures("one_row_chunks")
def test_a_stored_output_unit_sent_again_by_a_later_chunk_no_longer_decides(
    import_csv: Importer, units: dict[str, OrgUnit]
) -> None:
    correct_the_output_unit_over_two_chunks(import_csv)


@threaded
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("one_row_chunks")
def test_output_units_read_on_their_own_connection_follow_the_same_rule(
    import_csv: Importer, units: dict[str, OrgUnit]
) -> None:
    correct_the_output_unit_over_two_chunks(import_csv)
