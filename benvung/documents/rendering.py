"""Filling a Word template (docxtpl) with a document's context.

Templates run in Jinja's sandbox with autoescaping: an uploaded template can only read the
context it is given, and text such as "A & B" or "<5 %" stays text in the Word file.
No Django import.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateError, Undefined, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from benvung.documents.builder import FILE_NAMES, TEMPLATES_DIR

CHART_WIDTH_CM = 15.5


class TemplateRenderError(Exception):
    """A template that cannot be filled; the message is Vietnamese and says where."""


def default_template_path(kind: str) -> Path:
    """The shipped template of a document kind (`templates_docx/`)."""
    return TEMPLATES_DIR / FILE_NAMES[kind]


def _environment(strict: bool) -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined if strict else Undefined)


def _with_images(template: DocxTemplate, context: dict[str, Any]) -> dict[str, Any]:
    """Charts (PNG bytes in the context) become images of the template's document."""
    indicators = context.get("indicators")
    if not isinstance(indicators, dict) or "charts" not in indicators:
        return context
    charts = [
        {
            "caption": chart["caption"],
            "image": InlineImage(template, io.BytesIO(chart["png"]), width=Cm(CHART_WIDTH_CM)),
        }
        for chart in indicators["charts"]
    ]
    return {**context, "indicators": {**indicators, "charts": charts}}


def _describe(exc: Exception) -> str:
    """A Vietnamese account of a Jinja error, with the text around it when docxtpl found it."""
    message = getattr(exc, "message", None) or str(exc)
    near = " ".join(
        part.strip() for part in getattr(exc, "docx_context", None) or [] if part.strip()
    )
    where = f" gần đoạn “{near[:120]}”" if near else ""
    if "unsafe" in message:
        return f"dùng thuộc tính không được phép ({message}){where}"
    if isinstance(exc, UndefinedError):
        # "'x' is undefined" or "'dict object' has no attribute 'x'": name the x.
        names = re.findall(r"'([^']+)'", message)
        name = names[-1] if names else message
        return f"dùng tên dữ liệu không có “{name}”{where}"
    return f"thẻ mẫu sai cú pháp ({message}){where}"


def render_docx(template: bytes | Path, context: dict[str, Any], *, strict: bool = False) -> bytes:
    """Fill a .docx template; returns the document's bytes. `strict` refuses a name the
    context does not have (used to check an uploaded template on sample data)."""
    source = io.BytesIO(template) if isinstance(template, bytes) else template
    try:
        document = DocxTemplate(source)
        document.render(_with_images(document, context), _environment(strict), autoescape=True)
        output = io.BytesIO()
        document.save(output)
    except TemplateError as exc:
        raise TemplateRenderError(_describe(exc)) from exc
    except Exception as exc:  # a damaged file: python-docx, lxml and zipfile raise many kinds
        raise TemplateRenderError(f"không đọc được tệp Word ({type(exc).__name__})") from exc
    return output.getvalue()
