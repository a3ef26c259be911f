"""Load test: 200 people near a reporting deadline (run by loadtest/run.sh, loopback only).

- 110 reporters open their commune's data-entry form, type values, save, sometimes send;
- 20 co-ordinators look at the overview and the completeness page and approve reports;
- the other users (70 of 200) are public readers browsing the portal (home, news, progress,
  open data, search).

Every write the server accepted (the form redirected after saving) is appended to
$LOADTEST_WRITES as one JSON line; `check_writes.py` then looks for each in the database.
Accounts come from $LOADTEST_ACCOUNTS (written by setup_accounts.py).
"""

from __future__ import annotations

import html
import itertools
import json
import os
import random
import re
import threading
from typing import Any

from locust import HttpUser, between, events, task

ACCOUNTS: dict[str, Any] = json.load(open(os.environ["LOADTEST_ACCOUNTS"], encoding="utf-8"))  # noqa: SIM115
WRITES = os.environ.get("LOADTEST_WRITES", "accepted-writes.jsonl")
_reporters = itertools.cycle(ACCOUNTS["reporters"])
_coordinators = itertools.cycle(ACCOUNTS["coordinators"])
_lock = threading.Lock()
# Load-test choices, not secrets: the standard generator is right here.
_random = random.Random()  # noqa: S311
_INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_TEXTAREA = re.compile(r"<textarea\b[^>]*\bname=\"([^\"]+)\"[^>]*>(.*?)</textarea>", re.S | re.I)
_ATTR = re.compile(r"(\w[\w-]*)=\"([^\"]*)\"")
_PORTAL = ["/", "/tin-tuc/", "/tien-do/", "/du-lieu-mo/", "/tim-kiem/?q=tiet+kiem+nang+luong"]


def form_fields(page: str) -> dict[str, str]:
    """The fields a browser would post from the page's form (inputs and text areas)."""
    fields: dict[str, str] = {}
    for tag in _INPUT.findall(page):
        attrs = {k.lower(): html.unescape(v) for k, v in _ATTR.findall(tag)}
        if "name" not in attrs or attrs.get("type") in {"submit", "checkbox", "radio", "file"}:
            continue
        fields[attrs["name"]] = attrs.get("value", "")
    for name, text in _TEXTAREA.findall(page):
        fields[html.unescape(name)] = html.unescape(text)
    return fields


def log_write(record: dict[str, Any]) -> None:
    with _lock, open(WRITES, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")


class SignedIn(HttpUser):
    abstract = True
    account: dict[str, Any]

    def sign_in(self) -> None:
        if self.account.get("session"):  # signed in earlier today (see setup_accounts.py)
            self.client.cookies.set("sessionid", self.account["session"])
            return
        page = self.client.get("/accounts/login/", name="/accounts/login/").text
        token = form_fields(page).get("csrfmiddlewaretoken", "")
        with self.client.post(
            "/accounts/login/",
            {
                "username": self.account["username"],
                "password": ACCOUNTS["password"],
                "csrfmiddlewaretoken": token,
            },
            name="/accounts/login/ (POST)",
            catch_response=True,
        ) as response:
            if "/accounts/login/" in response.url:
                response.failure("sign-in refused")


class Reporter(SignedIn):
    # One account (one commune) per simulated reporter: each cell has one author, so the
    # order of the accepted writes in the log is the order they were stored.
    fixed_count = min(110, len(ACCOUNTS["reporters"]))
    wait_time = between(2, 6)

    def on_start(self) -> None:
        with _lock:
            self.account = next(_reporters)
        self.sign_in()

    @task(4)
    def save(self) -> None:
        self.fill_and_post("save")

    @task(1)
    def submit(self) -> None:
        self.fill_and_post("submit")

    def fill_and_post(self, action: str) -> None:
        entry = self.account["entry"]
        page = self.client.get(entry, name="/bao-cao/[form]/").text
        fields = form_fields(page)
        values = {name: str(_random.randint(0, 500)) for name in fields if name.startswith("v:")}
        if not values:
            return  # the report is locked (sent or approved): nothing to type
        fields.update(values)
        fields["action"] = action
        with self.client.post(
            entry,
            fields,
            name=f"/bao-cao/[form]/ ({action})",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                for name, value in values.items():
                    _, unit, element = name.split(":", 2)
                    log_write(
                        {
                            "user": self.account["username"],
                            "unit": unit,
                            "element": element,
                            "period": entry.split("/")[3],
                            "value": value,
                        }
                    )
            elif response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")


class Coordinator(SignedIn):
    fixed_count = min(20, len(ACCOUNTS["coordinators"]))
    wait_time = between(3, 8)

    def on_start(self) -> None:
        with _lock:
            self.account = next(_coordinators)
        self.sign_in()

    @task(2)
    def overview(self) -> None:
        self.client.get("/bao-cao/", name="/bao-cao/")

    @task(1)
    def completeness(self) -> None:
        self.client.get("/bao-cao/tien-do-nop/", name="/bao-cao/tien-do-nop/")

    @task(2)
    def approve(self) -> None:
        if not ACCOUNTS["submitted"]:
            return
        url = f"/bao-cao/nop/{_random.choice(ACCOUNTS['submitted'])}/"
        page = self.client.get(url, name="/bao-cao/nop/[id]/").text
        token = form_fields(page).get("csrfmiddlewaretoken", "")
        with self.client.post(
            url,
            {"action": "approve", "csrfmiddlewaretoken": token, "comment": ""},
            name="/bao-cao/nop/[id]/ (approve)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # Approved now, or already decided by another co-ordinator: both are answers.
            if response.status_code not in (200, 302):
                response.failure(f"HTTP {response.status_code}")


class Reader(HttpUser):
    weight = 3
    wait_time = between(1, 4)

    @task
    def browse(self) -> None:
        path = _random.choice(_PORTAL)
        self.client.get(path, name=path.split("?")[0])


@events.test_start.add_listener
def _fresh_log(**_: Any) -> None:
    if os.path.exists(WRITES):
        os.remove(WRITES)
