"""The narrative report (.docx) rendered with docxtpl from the shipped or the admin's template.

Always ``autoescape=True`` (a clerk's "A<B & C" must not corrupt the XML) and ``StrictUndefined``:
a template naming a value the report does not have is refused with that name, nothing written.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from typing import Any

from station_app.exports.monthly_xlsx import TemplateError


def render_document(template: bytes, source: str, context: Mapping[str, Any]) -> bytes:
    from docxtpl import DocxTemplate
    from jinja2 import Environment, StrictUndefined, UndefinedError
    from jinja2 import TemplateError as JinjaError

    try:
        tpl = DocxTemplate(io.BytesIO(template))
        tpl.init_docx()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise TemplateError({"报告模板": f"“{source}”不是 Word 文档（.docx），无法使用"}) from err
    except Exception as err:  # python-docx's PackageNotFoundError and friends
        raise TemplateError({"报告模板": f"“{source}”不是可用的 Word 文档（.docx）：{err}"}) from err
    env = Environment(undefined=StrictUndefined)
    try:
        tpl.render(dict(context), jinja_env=env, autoescape=True)
    except UndefinedError as err:
        raise TemplateError({"报告模板": f"“{source}”含有无法识别的占位符：{err.message}"}) from err
    except JinjaError as err:
        raise TemplateError({"报告模板": f"“{source}”的模板语法有误：{err}"}) from err
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
