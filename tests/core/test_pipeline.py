"""`DatabaseWorker`: database work on a second thread, in order, in the caller's
transaction, its first error raised in the caller."""

from __future__ import annotations

import gc
import sys
import threading

import pytest
from django.db import connection, connections

from benvung.core.pipeline import DatabaseWorker, bulk_work
from benvung.orgunits.models import OrgUnit
from tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("threaded", [True, False])
def test_work_runs_in_order_and_gives_its_results(threaded: bool) -> None:
    done: list[int] = []
    with DatabaseWorker(threaded=threaded) as worker:
        futures = [worker.submit(done.append, n) for n in range(50)]
        assert worker.call(len, done) == 50
    assert done == list(range(50))
    assert all(future.result() is None for future in futures)


def test_the_worker_is_another_thread_in_the_callers_transaction() -> None:
    # The unit is not committed: only the test's own transaction sees it.
    OrgUnitFactory(code="CHUA_LUU")
    with DatabaseWorker(threaded=True) as worker:
        thread = worker.call(threading.get_ident)
        seen = worker.call(lambda: OrgUnit.objects.filter(code="CHUA_LUU").exists())
    assert thread != threading.get_ident()
    assert seen


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="only PostgreSQL's imports read on their own"
)
def test_a_worker_with_its_own_connection_reads_outside_the_callers_transaction() -> None:
    OrgUnitFactory(code="CHUA_LUU")
    with DatabaseWorker(threaded=True, own_connection=True) as worker:
        seen = worker.call(lambda: OrgUnit.objects.filter(code="CHUA_LUU").exists())
        backend = worker.call(lambda: connections["default"].connection.info.backend_pid)
        own = worker.call(lambda: connections["default"])
    # The same database, another session.
    assert own.settings_dict["NAME"] == connection.settings_dict["NAME"]
    assert not seen
    assert backend != connection.connection.info.backend_pid
    # Its connection is closed with it; the caller's is still there.
    assert own.connection is None
    assert OrgUnit.objects.filter(code="CHUA_LUU").exists()


@pytest.mark.parametrize("threaded", [True, False])
def test_the_first_error_stops_the_work_after_it_and_is_raised(threaded: bool) -> None:
    done: list[str] = []

    def fail() -> None:
        raise ValueError("dòng 7 sai")

    with pytest.raises(ValueError, match="dòng 7 sai"), DatabaseWorker(threaded=threaded) as worker:
        worker.submit(done.append, "trước")
        failed = worker.submit(fail)
        after = worker.submit(done.append, "sau")
        with pytest.raises(ValueError, match="dòng 7 sai"):
            worker.result(after)
        assert worker.failed
        assert failed.exception() is not None
    assert done == ["trước"]


def test_the_interpreters_switch_interval_is_given_back() -> None:
    interval = sys.getswitchinterval()
    with DatabaseWorker(threaded=True) as worker:
        assert sys.getswitchinterval() < interval
        worker.call(len, [])
    assert sys.getswitchinterval() == interval


def test_two_workers_at_once_give_the_interval_back_when_both_are_done() -> None:
    """Two imports in two threads of one server: the first to finish leaves the interval
    short for the other, the last gives the old one back."""
    interval = sys.getswitchinterval()
    first = DatabaseWorker(threaded=True).__enter__()
    second = DatabaseWorker(threaded=True).__enter__()
    first.__exit__(None, None, None)
    assert sys.getswitchinterval() < interval
    second.__exit__(None, None, None)
    assert sys.getswitchinterval() == interval


def test_bulk_work_collects_no_garbage_and_gives_the_threshold_back() -> None:
    threshold = gc.get_threshold()
    assert threshold[0] > 0
    with bulk_work():
        with bulk_work():  # a second import of the same server
            assert gc.get_threshold()[0] == 0
        assert gc.get_threshold()[0] == 0
    assert gc.get_threshold() == threshold
    with pytest.raises(ValueError, match="dòng 3"), bulk_work():
        raise ValueError("dòng 3")
    assert gc.get_threshold() == threshold
