"""Rendering a document from its template with docxtpl (autoescape, StrictUndefined), into bytes.

Template lookup: ``<data dir>/templates/<文书类型>.docx`` (an admin's replacement) wins over the shipped
``templates_docx/<文书类型>.docx``. A template that does not parse, or asks for a placeholder the context
does not have, is refused with a Chinese message naming the placeholder — before anything is numbered
or written. Loaded templates are cached by path, size and mtime, with the names they use.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from station_app.errors import ValidationError
from station_app.paths import active_templates_dir, resource_path, use_templates_dir

SHIPPED = "内置"
CUSTOM = "自定义"

_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)
_lock = threading.Lock()
_cache: dict[tuple[str, int, int], _Template] = {}


@dataclass(frozen=True)
class _Template:
    data: bytes
    sha256: str
    names: frozenset[str]


@dataclass(frozen=True)
class Rendered:
    data: bytes
    sha256: str
    template_sha256: str
    template_source: str


def set_template_dir(path: Path | None) -> None:
    """The data directory's template folder, used when a caller does not pass one (set by the app)."""
    use_templates_dir(path)


def configured_template_dir() -> Path | None:
    return active_templates_dir()


def shipped_template(doc_type: str) -> Path:
    return resource_path("templates_docx", f"{doc_type}.docx")


def template_path(doc_type: str, templates_dir: Path | None = None) -> tuple[Path, str]:
    """The template in use for ``doc_type`` and whether it is the shipped one or an admin's."""
    folder = templates_dir if templates_dir is not None else active_templates_dir()
    if folder is not None:
        custom = Path(folder) / f"{doc_type}.docx"
        if custom.is_file():
            return custom, CUSTOM
    return shipped_template(doc_type), SHIPPED


def _load(path: Path, doc_type: str) -> _Template:
    try:
        st = path.stat()
    except OSError:
        raise ValidationError({"模板": f"找不到“{doc_type}”的模板文件：{path}"}) from None
    key = (str(path), st.st_size, st.st_mtime_ns)
    with _lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    data = path.read_bytes()
    from docxtpl import DocxTemplate

    try:
        names = DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables(_ENV)
    except jinja2.TemplateSyntaxError as err:
        raise ValidationError({"模板": f"模板“{path.name}”有语法错误（{err.message}，第{err.lineno}行），"
                                       "请修改模板后重试"}) from None
    except Exception as err:  # not a .docx, broken zip …
        raise ValidationError({"模板": f"模板“{path.name}”无法读取：{err}"}) from None
    tpl = _Template(data, hashlib.sha256(data).hexdigest(), frozenset(names))
    with _lock:
        _cache[key] = tpl
    return tpl


def check_template(doc_type: str, context: dict[str, Any], templates_dir: Path | None = None) -> None:
    """Refuse a template that asks for a name the context lacks (no numbering, nothing written)."""
    path, _source = template_path(doc_type, templates_dir)
    _unknown(_load(path, doc_type), path, context)


def _unknown(tpl: _Template, path: Path, context: dict[str, Any]) -> None:
    unknown = sorted(tpl.names - set(context))
    if unknown:
        names = "、".join(f"“{n}”" for n in unknown)
        raise ValidationError({"模板": f"模板“{path.name}”含有未知占位符{names}，请修改模板后重试"})


_ATTR = re.compile(r"has no attribute '([^']+)'")
_NAME = re.compile(r"'([^']+)' is undefined")


def render(doc_type: str, context: dict[str, Any], templates_dir: Path | None = None) -> Rendered:
    """Render to .docx bytes. ValidationError names the placeholder that failed."""
    from docxtpl import DocxTemplate

    path, source = template_path(doc_type, templates_dir)
    tpl = _load(path, doc_type)
    _unknown(tpl, path, context)
    doc = DocxTemplate(io.BytesIO(tpl.data))
    try:
        doc.render(context, jinja_env=_ENV, autoescape=True)
    except jinja2.UndefinedError as err:
        m = _ATTR.search(str(err)) or _NAME.search(str(err))
        name = m.group(1) if m else str(err)
        raise ValidationError({"模板": f"模板“{path.name}”含有未知占位符“{name}”，请修改模板后重试"}) from None
    except jinja2.TemplateError as err:
        raise ValidationError({"模板": f"模板“{path.name}”无法生成文书：{err}"}) from None
    buf = io.BytesIO()
    doc.save(buf)
    data = buf.getvalue()
    return Rendered(data, hashlib.sha256(data).hexdigest(), tpl.sha256, source)


def docx_text(data: bytes) -> str:
    """All paragraph and table text of a .docx (for checks and search)."""
    from docx import Document

    d = Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)
