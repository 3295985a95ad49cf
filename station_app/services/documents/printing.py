"""PDF of issued documents where LibreOffice is installed (one ``soffice`` call per batch), and the day's
documents for batch printing. Opening a .docx in Word/WPS is the view's job (QDesktopServices).

LibreOffice runs with a private profile folder so it neither collides with a LibreOffice the clerk has
open nor with another conversion running at the same time. On Windows without LibreOffice, Microsoft Word
does the conversion through COM (pywin32's ``win32com``) when it is importable.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.models import IssuedDocument

log = logging.getLogger(__name__)

_CANDIDATES = ("soffice", "libreoffice",
               r"C:\Program Files\LibreOffice\program\soffice.exe",
               r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")


def office_binary() -> str | None:
    for name in _CANDIDATES:
        found = shutil.which(name) or (name if os.path.isfile(name) else None)
        if found:
            return found
    return None


def word_available() -> bool:
    """Word via COM: Windows with pywin32 installed (Word itself is only found when it is started)."""
    return sys.platform == "win32" and importlib.util.find_spec("win32com") is not None


def pdf_available() -> bool:
    return office_binary() is not None or word_available()


def _export_with_word(paths: Sequence[Path], out: Path) -> list[Path]:
    """Each .docx → PDF with Word (read-only, invisible); [] when Word cannot be started."""
    try:
        import pythoncom  # type: ignore[import-not-found,unused-ignore]
        import win32com.client  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return []
    result: list[Path] = []
    pythoncom.CoInitialize()  # the conversion runs on a worker thread
    word = None
    try:
        word = win32com.client.DispatchEx("Word.Application")
        word.Visible, word.DisplayAlerts = False, 0
        for p in paths:
            tmp = out / f".tmp-{uuid.uuid4().hex}.pdf"
            doc = word.Documents.Open(str(Path(p).resolve()), ReadOnly=True, AddToRecentFiles=False)
            try:
                doc.ExportAsFixedFormat(str(tmp.resolve()), 17)  # 17 = wdExportFormatPDF
            finally:
                doc.Close(False)
            dest = out / (Path(p).stem + ".pdf")
            os.replace(tmp, dest)
            result.append(dest)
    except Exception as err:  # COM errors carry no common base class worth naming
        log.warning("PDF conversion with Word failed: %s", err)
    finally:
        if word is not None:
            word.Quit()
        pythoncom.CoUninitialize()
    return result


def export_pdfs(paths: Sequence[Path], out_dir: Path | None = None, *, timeout: float = 180) -> list[Path]:
    """Convert .docx files to PDF in one LibreOffice call (or with Word on Windows); [] where neither is there."""
    binary = office_binary()
    if not paths or (binary is None and not word_available()):
        return []
    out = Path(out_dir) if out_dir else Path(paths[0]).parent
    out.mkdir(parents=True, exist_ok=True)
    if binary is None:
        return _export_with_word(paths, out)
    with tempfile.TemporaryDirectory(prefix="station-lo-") as profile:
        work = Path(profile) / "out"
        cmd = [binary, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(work), *(str(p) for p in paths)]
        try:
            subprocess.run(cmd, check=False, capture_output=True, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as err:
            log.warning("PDF conversion failed: %s", err)
            return []
        result = []
        for p in paths:
            made = work / (Path(p).stem + ".pdf")
            if made.is_file():
                dest = out / made.name
                tmp = out / f".tmp-{uuid.uuid4().hex}.pdf"
                shutil.copyfile(made, tmp)
                os.replace(tmp, dest)
                result.append(dest)
            else:
                log.warning("LibreOffice produced no PDF for %s", p)
        return result


def export_pdf(path: Path) -> Path | None:
    """The PDF of one .docx next to it, or None where neither LibreOffice is installed nor it worked."""
    made = export_pdfs([Path(path)])
    return made[0] if made else None


def merge_pdfs(pdfs: Sequence[Path], dest: Path) -> Path | None:
    """One PDF of many (poppler's pdfunite where installed); None when it cannot merge."""
    tool = shutil.which("pdfunite")
    if tool is None or not pdfs:
        return None
    tmp = dest.with_name(f".tmp-{uuid.uuid4().hex}.pdf")
    try:
        subprocess.run([tool, *(str(p) for p in pdfs), str(tmp)], check=True, capture_output=True, timeout=120)
        os.replace(tmp, dest)
    except (OSError, subprocess.SubprocessError) as err:
        tmp.unlink(missing_ok=True)
        log.warning("PDF merge failed: %s", err)
        return None
    return dest


def documents_of_day(session: Session, day: date, *, include_void: bool = False) -> list[int]:
    """Ids of the documents issued on ``day``, in number order per type (for batch printing)."""
    stmt = select(IssuedDocument.id).where(IssuedDocument.issue_date == day)
    if not include_void:
        stmt = stmt.where(IssuedDocument.status == "已签发")
    return list(session.scalars(stmt.order_by(IssuedDocument.doc_type, IssuedDocument.serial)))
