"""Backing up and restoring the whole installation: every record of every app and the files.

An archive (`.tar.gz`) holds, in this order:

- `manifest.json`: format, benvung version, time, database engine, the last migration of every
  app, and for every member its row count (data) or size, and its sha256;
- `data/<app>.<model>.jsonl`: one record a line, in Django's serialisation (the `python` form
  of dumpdata, as JSON), models in dependency order; foreign keys to content types and
  permissions by natural key, since a fresh database numbers those itself;
- `files/media/…` (news images) and `files/protected/…` (evidence), as stored.

Both ways stream: a backup writes each model by chunks to a temporary file before adding it,
a restore reads the archive member by member and inserts by batches, so memory stays bounded
whatever the size. A restore is one transaction: all or nothing. Files are unpacked to a
staging folder and moved into place only once the transaction has committed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from benvung.ops.health import version

FORMAT = "benvung-backup/1"
CHUNK = 1000
# Rows a fresh, migrated database already has: replaced by the archive's, not a reason to
# call the database "not empty".
SEEDED = {"contenttypes.contenttype", "auth.permission", "portal.category", "sessions.session"}
# Stored with their natural key instead of their id: a fresh database creates them itself.
NATURAL_PRIMARY = {"contenttypes.contenttype", "auth.permission"}
Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on (Vietnamese message for the operator)."""


def media_roots() -> dict[str, Path]:
    """The folders of stored files by their name in the archive."""
    media = Path(settings.MEDIA_ROOT)
    return {"media": media, "protected": media.parent / "protected"}


# Kept by the database itself from other tables (its triggers write it as the units are
# restored): not data of its own.
DERIVED = {"orgunits.hierarchystate"}


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete model with its own table, parents before the models pointing at them
    (not the `DERIVED` ones)."""
    app_list: dict[Any, list[type[models.Model]]] = {}
    for config in apps.get_app_configs():
        chosen = [
            m
            for m in config.get_models()
            if m._meta.managed
            and not m._meta.proxy
            and not m._meta.auto_created
            and m._meta.label_lower not in DERIVED
        ]
        if chosen:
            app_list[config] = chosen
    ordered: list[type[models.Model]] = serializers.sort_dependencies(
        app_list.items(), allow_cycles=True
    )
    return ordered


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _natural_keys(using: str) -> dict[str, dict[Any, list[Any]]]:
    """The natural key of every content type and permission, by id."""
    return {
        label: {
            obj.pk: list(obj.natural_key())
            for obj in apps.get_model(label)._base_manager.using(using).iterator()
        }
        for label in NATURAL_PRIMARY
    }


def _serialize(
    model: type[models.Model], objects: Iterable[models.Model], natural: dict[str, dict[Any, Any]]
) -> list[dict[str, Any]]:
    # Ids everywhere (one insert per batch on restore, no lookup per row), except the links to
    # content types and permissions, which a fresh database numbers itself.
    data: list[dict[str, Any]] = serializers.serialize(
        "python", objects, use_natural_primary_keys=_label(model) in NATURAL_PRIMARY
    )
    links = []
    for f in [*model._meta.fields, *model._meta.many_to_many]:
        related: Any = f.related_model if f.is_relation else None
        if related is not None and related != "self" and _label(related) in natural:
            links.append((f.name, natural[_label(related)], bool(f.many_to_many)))
    if links:
        for record in data:
            fields = record["fields"]
            for name, keys, many in links:
                value = fields.get(name)
                if value is None:
                    continue
                fields[name] = [keys[v] for v in value] if many else keys[value]
    return data


def model_lines(
    model: type[models.Model],
    using: str = DEFAULT_DB_ALIAS,
    natural: dict[str, dict[Any, Any]] | None = None,
) -> Iterator[str]:
    """The JSON lines of every record of `model`, by primary key, read by chunks."""
    natural = _natural_keys(using) if natural is None else natural
    queryset = model._base_manager.using(using).order_by("pk")
    if model._meta.many_to_many:
        queryset = queryset.prefetch_related(*(f.name for f in model._meta.many_to_many))
    chunk: list[models.Model] = []
    for obj in queryset.iterator(chunk_size=CHUNK):
        chunk.append(obj)
        if len(chunk) >= CHUNK:
            yield from _lines(model, chunk, natural)
            chunk = []
    yield from _lines(model, chunk, natural)


class _Encoder(DjangoJSONEncoder):
    """Django's JSON, but times keep their microseconds (Django's encoder cuts them to
    milliseconds, and a restore must give back exactly what was saved)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def _lines(
    model: type[models.Model], chunk: list[models.Model], natural: dict[str, dict[Any, Any]]
) -> Iterator[str]:
    for record in _serialize(model, chunk, natural):
        yield json.dumps(record, cls=_Encoder, ensure_ascii=False, sort_keys=True)


def fingerprint(
    using: str = DEFAULT_DB_ALIAS, labels: Iterable[str] | None = None
) -> dict[str, tuple[int, str]]:
    """Row count and sha256 of every backed-up model's records (sorted lines, ids of content
    types and permissions left out), or of the models `labels` ("app.model"): equal
    fingerprints mean equal data."""
    result = {}
    natural = _natural_keys(using)
    chosen = None if labels is None else set(labels)
    for model in backed_up_models():
        if chosen is not None and _label(model) not in chosen:
            continue
        digest = hashlib.sha256()
        count = 0
        for line in sorted(model_lines(model, using, natural)):
            digest.update(line.encode())
            digest.update(b"\n")
            count += 1
        result[_label(model)] = (count, digest.hexdigest())
    return result


def files_fingerprint() -> dict[str, str]:
    """sha256 of every stored file, by its name in the archive."""
    found = {}
    for prefix, root in media_roots().items():
        for path in sorted(root.rglob("*")) if root.is_dir() else []:
            if path.is_file():
                relative = path.relative_to(root).as_posix()
                found[f"files/{prefix}/{relative}"] = _file_sha256(path)
    return found


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _last_migrations(using: str) -> dict[str, str]:
    last: dict[str, str] = {}
    for app, name in MigrationRecorder(connections[using]).applied_migrations():
        last[app] = max(last.get(app, ""), name)
    return dict(sorted(last.items()))


# --- Backup ------------------------------------------------------------------------------------


@dataclass
class Summary:
    """What a backup or restore did."""

    records: int = 0
    files: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def backup_write(
    output: Path, *, using: str = DEFAULT_DB_ALIAS, progress: Progress | None = None
) -> Summary:
    """Write the archive of the whole installation to `output` (.tar.gz).

    The records are read in one transaction (a consistent snapshot on PostgreSQL; SQLite
    holds the read lock). The archive is written beside `output` and renamed at the end, so
    that a failed backup never leaves a half file under the name asked for.
    """
    summary = Summary()
    members: dict[str, dict[str, Any]] = {}
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as work:
        staged: list[tuple[str, Path]] = []
        with transaction.atomic(using=using):
            if connections[using].vendor == "postgresql":
                with connections[using].cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            natural = _natural_keys(using)
            for model in backed_up_models():
                label = _label(model)
                path = Path(work) / f"{label}.jsonl"
                digest = hashlib.sha256()
                count = 0
                with path.open("wb") as fh:
                    for line in model_lines(model, using, natural):
                        raw = line.encode() + b"\n"
                        fh.write(raw)
                        digest.update(raw)
                        count += 1
                name = f"data/{label}.jsonl"
                members[name] = {"model": label, "rows": count, "sha256": digest.hexdigest()}
                staged.append((name, path))
                summary.counts[label] = count
                summary.records += count
                if progress:
                    progress(f"{label}: {count}")
            migrations = _last_migrations(using)
        files: list[tuple[str, Path]] = []
        for prefix, root in media_roots().items():
            for path in sorted(root.rglob("*")) if root.is_dir() else []:
                if path.is_file() and not path.is_symlink():
                    name = f"files/{prefix}/{path.relative_to(root).as_posix()}"
                    members[name] = {"size": path.stat().st_size, "sha256": _file_sha256(path)}
                    files.append((name, path))
        summary.files = len(files)
        manifest = {
            "format": FORMAT,
            "version": version(),
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": connections[using].vendor,
            "migrations": migrations,
            "members": members,
        }
        partial = Path(work) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            raw = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(raw)
            archive.addfile(info, io.BytesIO(raw))
            for name, path in [*staged, *files]:
                archive.add(path, arcname=name, recursive=False)
        os.replace(partial, output)
    return summary


# --- Restore -----------------------------------------------------------------------------------


def database_is_empty(using: str = DEFAULT_DB_ALIAS) -> bool:
    """No record other than those a fresh migrated database has (see `SEEDED`)."""
    return not any(
        model._base_manager.using(using).exists()
        for model in backed_up_models()
        if _label(model) not in SEEDED
    )


def _safe_member(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"tệp sao lưu có đường dẫn không hợp lệ: {name}")
    return path


class _HashingReader(io.RawIOBase):
    """Reads a member while computing its sha256."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        self.digest.update(data)
        buffer[: len(data)] = data
        return len(data)


def _insert(model: type[models.Model], objects: list[models.Model], using: str) -> None:
    """Insert records as they are (raw, like loaddata: no auto_now, no signals, no history
    record of the restore itself), by batches the database accepts."""
    if not objects:
        return
    fields = list(model._meta.local_concrete_fields)
    size = connections[using].ops.bulk_batch_size(fields, objects) or len(objects)
    for start in range(0, len(objects), size):
        # The manager's `_insert` is what `Model.save_base(raw=True)` uses for one record.
        model._base_manager.using(using)._insert(  # type: ignore[attr-defined]
            objects[start : start + size], fields=fields, using=using, raw=True
        )


def _load_member(stream: IO[bytes], expected: dict[str, Any], using: str, m2m: list[Any]) -> int:
    label = expected["model"]
    model = apps.get_model(label)
    reader = _HashingReader(stream)
    text = io.TextIOWrapper(io.BufferedReader(reader), encoding="utf-8")
    count = 0
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        objects = []
        for item in serializers.deserialize("python", batch, using=using):
            if item.m2m_data:
                m2m.append(item)
            if _label(model) in NATURAL_PRIMARY:
                item.save(using=using)  # looked up by natural key: update or create
            else:
                objects.append(item.object)
        _insert(model, objects, using)
        batch.clear()

    for line in text:
        if line.strip():
            batch.append(json.loads(line))
            count += 1
            if len(batch) >= CHUNK:
                flush()
    flush()
    if reader.digest.hexdigest() != expected["sha256"] or count != expected["rows"]:
        raise BackupError(f"dữ liệu {label} trong tệp sao lưu bị hỏng (sai mã kiểm tra)")
    return count


def restore_read(
    source: Path,
    *,
    force: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    progress: Progress | None = None,
) -> Summary:
    """Restore an archive of `backup_write` into this (migrated) database, in one transaction.

    Refuses a database holding records unless `force`; with `force` its records are replaced.
    Files go back to the media and protected folders once the records are committed.
    """
    summary = Summary()
    connection = connections[using]
    roots = media_roots()
    staging = Path(tempfile.mkdtemp(dir=Path(settings.MEDIA_ROOT).parent, prefix=".restore-"))
    try:
        with tarfile.open(source, "r|gz") as archive, transaction.atomic(using=using):
            if not force and not database_is_empty(using):
                raise BackupError(
                    "cơ sở dữ liệu đã có dữ liệu; chỉ khôi phục vào cơ sở dữ liệu trống "
                    "(hoặc dùng --force để thay toàn bộ)"
                )
            manifest: dict[str, Any] | None = None
            m2m: list[Any] = []
            seen: set[str] = set()
            with connection.constraint_checks_disabled():
                _delete_all(using)
                for member in archive:
                    name = _safe_member(member.name).as_posix()
                    stream = archive.extractfile(member)
                    if stream is None:
                        continue
                    if manifest is None:
                        if name != "manifest.json":
                            raise BackupError("tệp sao lưu không có manifest.json ở đầu")
                        manifest = json.loads(stream.read())
                        if manifest.get("format") != FORMAT:
                            raise BackupError("tệp không phải bản sao lưu benvung")
                        continue
                    expected = manifest["members"].get(name)
                    if expected is None:
                        raise BackupError(
                            f"tệp sao lưu có phần lạ không ghi trong manifest: {name}"
                        )
                    seen.add(name)
                    if name.startswith("data/"):
                        count = _load_member(stream, expected, using, m2m)
                        summary.counts[expected["model"]] = count
                        summary.records += count
                        if progress:
                            progress(f"{expected['model']}: {count}")
                    elif name.startswith("files/"):
                        _stage_file(stream, staging / name, expected)
                        summary.files += 1
                if manifest is None:
                    raise BackupError("tệp sao lưu rỗng")
                missing = set(manifest["members"]) - seen
                if missing:
                    raise BackupError(
                        f"tệp sao lưu thiếu {len(missing)} phần, ví dụ {min(missing)}"
                    )
                for item in m2m:
                    for name, values in item.m2m_data.items():
                        getattr(item.object, name).set(values)
            connection.check_constraints()
            _reset_sequences(using)
        for prefix, root in roots.items():
            staged = staging / "files" / prefix
            if staged.is_dir():
                for path in staged.rglob("*"):
                    if path.is_file():
                        target = root / path.relative_to(staged)
                        target.parent.mkdir(parents=True, exist_ok=True)
                        os.replace(path, target)
    except (tarfile.TarError, EOFError, OSError, json.JSONDecodeError, KeyError) as exc:
        raise BackupError(f"không đọc được tệp sao lưu {source.name} ({exc})") from exc
    except serializers.base.DeserializationError as exc:
        raise BackupError(f"dữ liệu trong tệp sao lưu không nạp được ({exc})") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return summary


def _delete_all(using: str) -> None:
    """Delete every record but content types and permissions (links between records first);
    the constraints are checked at the end of the transaction."""
    chosen = [m for m in backed_up_models() if _label(m) not in NATURAL_PRIMARY]
    through: set[Any] = {
        f.remote_field.through
        for m in apps.get_models()
        for f in m._meta.local_many_to_many
        if getattr(f.remote_field.through, "_meta", None)
        and f.remote_field.through._meta.auto_created  # type: ignore[union-attr]
    }
    for model in [*through, *reversed(chosen)]:
        model._base_manager.using(using).all()._raw_delete(using)


def _stage_file(stream: IO[bytes], target: Path, expected: dict[str, Any]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with target.open("wb") as out:
        for block in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(block)
            out.write(block)
    if digest.hexdigest() != expected["sha256"]:
        raise BackupError(f"tệp {target.name} trong bản sao lưu bị hỏng (sai mã kiểm tra)")


def _reset_sequences(using: str) -> None:
    """Set PostgreSQL's id sequences past the restored ids (SQLite needs nothing)."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), backed_up_models())
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
