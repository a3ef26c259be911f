"""Checks every uploaded or imported file goes through before anything parses it.

A file is refused, with a Vietnamese message naming it, when it is too big, when its content is
not what it claims to be (the type is read from the bytes, never from the name), when it is an
Office file that would blow up on opening (a ZIP bomb: too many parts, too much data once
unpacked, an implausible compression ratio; XML with a DTD or entities, the "billion laughs"),
or when a table has more rows or columns than an import may hold. openpyxl parses through
defusedxml (installed), which refuses entity declarations as a second line of defence.

`check_upload(file, kinds)` is the one entry point for web uploads (the import page, evidence,
news images, document templates); `check_table_bytes` is what `importing.read_table` runs on
every CSV/XLSX it reads, from the web or the command line. The limits come from settings
(`BENVUNG_MAX_UPLOAD_MB`, `BENVUNG_MAX_IMPORT_ROWS`, …) and can be lowered for a block of code
with `limits(...)` (the web import page allows fewer rows than the command line).

The module needs no database and can be imported before Django is set up.
"""

from __future__ import annotations

import contextlib
import contextvars
import io
import math
import zipfile
import zlib
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import PurePath
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import TemporaryFileUploadHandler

MB = 1024 * 1024

# The kinds a caller may ask for, with the name users know them by.
KIND_LABELS = {
    "csv": "CSV (UTF-8)",
    "xlsx": "Excel (.xlsx)",
    "docx": "Word (.docx)",
    "pdf": "PDF",
    "png": "ảnh PNG",
    "jpeg": "ảnh JPG",
    "gif": "ảnh GIF",
    "webp": "ảnh WebP",
}
IMAGE_KINDS = ("png", "jpeg", "gif", "webp")
TABLE_KINDS = ("csv", "xlsx")

# The part every Office Open XML file of a kind has, beside [Content_Types].xml.
_OOXML_MAIN_PART = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}
_OOXML_CONTENT_TYPE = {
    "xlsx": b"spreadsheetml.sheet.main+xml",
    "docx": b"wordprocessingml.document.main+xml",
}


@dataclass(frozen=True)
class Limits:
    """How big a file may be. `max_bytes` bounds the file as sent; the others bound an Office
    file once unpacked and a table once read."""

    max_bytes: int
    max_rows: int
    max_columns: int
    max_zip_entries: int
    max_unzipped_bytes: int
    max_zip_ratio: int


def _setting(name: str, default: int) -> int:
    from django.conf import settings

    return int(getattr(settings, name, default)) if settings.configured else default


def default_limits() -> Limits:
    """The limits of settings (those of the command line; the web lowers some)."""
    return Limits(
        max_bytes=_setting("BENVUNG_MAX_IMPORT_MB", 200) * MB,
        max_rows=_setting("BENVUNG_MAX_IMPORT_ROWS", 1_000_000),
        max_columns=_setting("BENVUNG_MAX_IMPORT_COLUMNS", 200),
        max_zip_entries=_setting("BENVUNG_MAX_ZIP_ENTRIES", 2_000),
        max_unzipped_bytes=_setting("BENVUNG_MAX_UNZIPPED_MB", 1_000) * MB,
        max_zip_ratio=_setting("BENVUNG_MAX_ZIP_RATIO", 200),
    )


def web_limits() -> Limits:
    """The limits of a file sent through a web page."""
    return replace(
        default_limits(),
        max_bytes=max_upload_bytes(),
        max_rows=_setting("BENVUNG_MAX_WEB_IMPORT_ROWS", 100_000),
        max_unzipped_bytes=_setting("BENVUNG_MAX_WEB_UNZIPPED_MB", 200) * MB,
    )


def max_upload_bytes() -> int:
    """The largest file a web page accepts (`BENVUNG_MAX_UPLOAD_MB`, 10 MB by default)."""
    return _setting("BENVUNG_MAX_UPLOAD_MB", 10) * MB


_current: contextvars.ContextVar[Limits | None] = contextvars.ContextVar(
    "benvung_upload_limits", default=None
)


def current_limits() -> Limits:
    """The limits in force: those set by `limits(...)`, else the defaults of settings."""
    return _current.get() or default_limits()


@contextlib.contextmanager
def limits(value: Limits) -> Iterator[Limits]:
    """Use `value` as the limits of every check inside the block (e.g. a web request)."""
    token = _current.set(value)
    try:
        yield value
    finally:
        _current.reset(token)


class UploadRefused(ValidationError):
    """A refused file: the message is «“name”: reason»; `reason` is the part after the name
    (an import's `Problem` names the file itself)."""

    def __init__(self, name: str, reason: str, *, invalid: bool = False) -> None:
        super().__init__(f"“{name}”: {reason}", code="upload_refused")
        self.filename = name
        self.reason = reason
        self.invalid = invalid  # not a file of the kind at all (damaged, other content)


def refused(name: str, message: str, *, invalid: bool = False) -> UploadRefused:
    """The error of a refused file: «“name”: message»; `invalid` when the file is simply not
    of the kind (a caller may say so in its own words)."""
    return UploadRefused(name, message, invalid=invalid)


def _megabytes(size: int) -> str:
    """10 MB, 10,1 MB: rounded up to a tenth, so that a file over a limit never reads as
    equal to it."""
    from benvung.core.formatting import format_number

    return f"{format_number(Decimal(math.ceil(size * 10 / MB)) / 10)} MB"


# --- Content sniffing ------------------------------------------------------------------------


def sniff(head: bytes) -> str | None:
    """The kind the first bytes of a file announce (ZIP files answer "zip"), or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if b"%PDF-" in head[:1024]:  # the header may follow a few bytes of garbage
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def _check_zip(data: IO[bytes], name: str, kinds: Collection[str], lim: Limits) -> str:
    """Which Office kind a ZIP file is, after checking it is not a bomb; raises otherwise."""
    wanted = " hoặc ".join(KIND_LABELS[k] for k in kinds if k in _OOXML_MAIN_PART) or "Office"
    try:
        archive = zipfile.ZipFile(data)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as exc:
        raise refused(name, f"tệp hỏng, không phải {wanted} hợp lệ", invalid=True) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > lim.max_zip_entries:
            raise refused(
                name, f"tệp có {len(infos)} phần bên trong, vượt quá {lim.max_zip_entries}"
            )
        unzipped = sum(info.file_size for info in infos)
        if unzipped > lim.max_unzipped_bytes:
            raise refused(
                name,
                f"dữ liệu khi giải nén {_megabytes(unzipped)}, vượt quá "
                f"{_megabytes(lim.max_unzipped_bytes)} (tệp nén bất thường)",
            )
        for info in infos:
            # Small parts compress well without harm; a big part packed hundreds of times
            # smaller is a bomb.
            if info.file_size > MB and info.file_size > lim.max_zip_ratio * max(
                info.compress_size, 1
            ):
                raise refused(
                    name,
                    f"phần {info.filename} nén bất thường (tỉ lệ nén quá "
                    f"{lim.max_zip_ratio}:1), có thể là tệp nén độc hại",
                )
        names = {info.filename for info in infos}
        if "[Content_Types].xml" not in names:
            raise refused(name, f"tệp không phải {wanted} hợp lệ", invalid=True)
        try:
            content_types = archive.read("[Content_Types].xml")
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels")):
                    with archive.open(info) as member:
                        head = member.read(4096)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise refused(
                            name,
                            f"phần {info.filename} có khai báo DTD/thực thể XML, "
                            "không được phép (có thể là tệp độc hại)",
                        )
        except (
            zipfile.BadZipFile,
            OSError,
            ValueError,
            EOFError,
            NotImplementedError,
            zlib.error,
        ) as exc:
            raise refused(name, f"tệp hỏng, không phải {wanted} hợp lệ", invalid=True) from exc
    for office_kind, part in _OOXML_MAIN_PART.items():
        # The main part of the kind; its content type, when declared, must agree.
        declared = _OOXML_CONTENT_TYPE[office_kind]
        if part in names and (declared in content_types or b"main+xml" not in content_types):
            return office_kind
    raise refused(name, f"tệp không phải {wanted} hợp lệ", invalid=True)


def _check_csv_text(data: bytes, name: str) -> None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise refused(
            name,
            f"tệp không phải CSV mã UTF-8 (byte lạ ở dòng {line}); hãy lưu lại dạng «CSV UTF-8»",
        ) from exc
    if "\x00" in text:
        raise refused(name, "tệp chứa ký tự NUL, không phải tệp văn bản CSV")


def check_rows(name: str, rows: int, columns: int, lim: Limits | None = None) -> None:
    """Refuse a table with more rows or columns than allowed (counted so far)."""
    lim = lim or current_limits()
    if rows > lim.max_rows:
        raise refused(
            name, f"bảng có hơn {lim.max_rows:,} dòng, vượt quá giới hạn".replace(",", ".")
        )
    if columns > lim.max_columns:
        raise refused(name, f"bảng có {columns} cột, vượt quá {lim.max_columns} cột")


def check_table_bytes(data: bytes, name: str, lim: Limits | None = None) -> str:
    """Check the bytes of an imported table: size, kind ("csv" or "xlsx"), ZIP bomb, rows.

    Returns the kind. CSV rows are counted here (lines); XLSX rows are counted as they are
    read (`check_rows`), since only reading the sheet tells them.
    """
    lim = lim or current_limits()
    if len(data) > lim.max_bytes:
        raise refused(
            name,
            f"dung lượng {_megabytes(len(data))}, vượt quá {_megabytes(lim.max_bytes)}",
        )
    if sniff(data[:1024]) == "zip":
        return _check_zip(io.BytesIO(data), name, ("xlsx",), lim)
    return "csv"


def check_csv_lines(data: bytes, name: str, lim: Limits | None = None) -> None:
    """Refuse a CSV file with more lines than the row limit (plus its header)."""
    lim = lim or current_limits()
    if data.count(b"\n") > lim.max_rows + 1:
        check_rows(name, lim.max_rows + 1, 0, lim)


def check_upload(file: Any, kinds: Collection[str], *, name: str | None = None) -> str:
    """Check an uploaded file before anything parses it: size (`BENVUNG_MAX_UPLOAD_MB`), kind
    read from the content (one of `kinds`: csv, xlsx, docx, pdf, png, jpeg, gif, webp), no ZIP
    bomb nor XML entities in an Office file, rows of a CSV table.

    Returns the kind found; raises `ValidationError` with a Vietnamese message naming the file.
    The file is rewound. Inside `limits(...)` those limits apply, otherwise the web's.
    """
    unknown = set(kinds) - set(KIND_LABELS)
    if unknown:
        raise ValueError(f"unknown kinds {sorted(unknown)}")
    name = PurePath(name or getattr(file, "name", "") or "tệp").name
    lim = _current.get() or web_limits()
    size = getattr(file, "size", None)
    if getattr(file, "too_large", False) or (size is not None and size > lim.max_bytes):
        shown = _megabytes(size) if size else "quá lớn"
        raise refused(name, f"dung lượng {shown}, vượt quá {_megabytes(lim.max_bytes)}")
    if size == 0:
        raise refused(name, "tệp rỗng")
    wanted = ", ".join(KIND_LABELS[k] for k in kinds)
    file.seek(0)
    try:
        head = file.read(1024)
        found = sniff(head)
        if found == "zip" and set(kinds) & set(_OOXML_MAIN_PART):
            file.seek(0)
            found = _check_zip(file, name, kinds, lim)
        elif found is None and "csv" in kinds:
            file.seek(0)
            data = file.read(lim.max_bytes + 1)
            if len(data) > lim.max_bytes:
                raise refused(name, f"dung lượng vượt quá {_megabytes(lim.max_bytes)}")
            if not data.strip():
                raise refused(name, "tệp rỗng")
            _check_csv_text(data, name)
            check_csv_lines(data, name, lim)
            found = "csv"
        if found is None or found not in kinds:
            raise refused(name, f"nội dung tệp không phải {wanted}")
        return found
    finally:
        file.seek(0)


def upload_validator(*kinds: str) -> Any:
    """A form-field validator running `check_upload` for `kinds` (e.g. news images)."""

    def validate(file: Any) -> None:
        check_upload(file, kinds)

    validate.__name__ = f"check_upload_{'_'.join(kinds)}"
    return validate


# --- Upload handler --------------------------------------------------------------------------


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Stores an uploaded file on disk, but stops writing once it is bigger than the web's
    limit: the rest is counted, not kept, and the file is marked `too_large`, so that
    `check_upload` refuses it with its size instead of the disk filling up."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self._received = 0
        self._limit = max_upload_bytes()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self._received += len(raw_data)
        if self._received > self._limit:
            return None
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size: int) -> Any:
        uploaded: Any = super().file_complete(min(file_size, self._limit))
        if self._received > self._limit:
            uploaded.size = self._received
            uploaded.too_large = True
        return uploaded
