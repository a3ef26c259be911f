"""`benvung backup` / `benvung restore`: every record and every file comes back, exactly."""

from __future__ import annotations

import hashlib
import io
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.authtoken.models import Token

from benvung.core.importing import ImportResult
from benvung.datavalues.models import DataValue
from benvung.datavalues.services import datavalues_import
from benvung.ops.backup import (
    BackupError,
    backup_write,
    files_fingerprint,
    fingerprint,
    restore_read,
)
from benvung.scpmodels.models import Evidence
from tests.factories import DataElementFactory, OrgUnitFactory, ScpModelFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    return tmp_path / "var"


def _import(text: str) -> ImportResult:
    return datavalues_import(file=io.BytesIO(text.encode()), filename="so-lieu.csv")


@pytest.fixture
def installation(media: Path) -> None:
    """Users, a token, values with history (created then changed), a model with evidence,
    a news image."""
    user = get_user_model().objects.create_user("cantbo", password="mat-khau-1", email="a@b.vn")
    Token.objects.create(user=user)
    DataElementFactory(code="DE1", value_type="number")
    OrgUnitFactory(code="KCN1", type="KCN")
    assert _import("data_element,org_unit,period,value\nDE1,KCN1,2021,1.5\n").ok
    assert _import("data_element,org_unit,period,value\nDE1,KCN1,2021,2.25\n").ok
    model = ScpModelFactory(org_unit=OrgUnitFactory(code="KCN2", type="KCN"))
    evidence = Evidence(original_name="anh.png", size=len(PNG), content_type="image/png")
    evidence.scp_model = model
    evidence.file.save("anh.png", ContentFile(PNG), save=True)
    news = media / "media" / "tin-tuc" / "2026" / "01" / "anh.png"
    news.parent.mkdir(parents=True)
    news.write_bytes(PNG + b"tin")


@pytest.mark.django_db(transaction=True)
def test_round_trip_gives_back_every_record_and_file(installation: None, tmp_path: Path) -> None:
    records, files = fingerprint(), files_fingerprint()
    assert records["datavalues.historicaldatavalue"][0] == 2
    assert records["authtoken.token"][0] == 1
    assert len(files) == 2
    archive = tmp_path / "sao-luu.tar.gz"
    summary = backup_write(archive)
    assert summary.files == 2
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names[0] == "manifest.json"
    assert "data/datavalues.historicaldatavalue.jsonl" in names

    # Restoring replaces everything: the state after equals the state saved.
    DataValue.objects.all().delete()
    get_user_model().objects.create_user("nguoi-khac")
    for path in Path(tmp_path / "var").rglob("*.png"):
        path.unlink()
    with pytest.raises(BackupError, match="đã có dữ liệu"):
        restore_read(archive)
    restore_read(archive, force=True)
    assert fingerprint() == records
    assert files_fingerprint() == files
    # Ids continue after the restored ones (PostgreSQL sequences reset).
    get_user_model().objects.create_user("moi")
    assert get_user_model().objects.get(username="cantbo").check_password("mat-khau-1")


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_changes_nothing(installation: None, tmp_path: Path) -> None:
    archive = tmp_path / "sao-luu.tar.gz"
    backup_write(archive)
    damaged = tmp_path / "hong.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "data/datavalues.datavalue.jsonl":
                data = data.replace(b"2.25", b"9.99")
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    before = fingerprint()
    with pytest.raises(BackupError, match="bị hỏng"):
        restore_read(damaged, force=True)
    assert fingerprint() == before


@pytest.mark.django_db(transaction=True)
def test_commands(installation: None, tmp_path: Path) -> None:
    archive = tmp_path / "sao-luu.tar.gz"
    out = io.StringIO()
    call_command("backup", "-o", str(archive), stdout=out)
    assert "Đã sao lưu" in out.getvalue()
    manifest_hash = hashlib.sha256(archive.read_bytes()).hexdigest()
    assert manifest_hash
    with pytest.raises(CommandError, match="không có gì thay đổi"):
        call_command("restore", str(archive), stdout=io.StringIO())
    out = io.StringIO()
    call_command("restore", str(archive), "--force", stdout=out)
    assert "Đã khôi phục" in out.getvalue()
