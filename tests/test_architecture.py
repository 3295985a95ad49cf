"""Guards on the shape of the code (docs/architecture §1–2, §6), checked with ``ast``, not grep.

* Qt (PySide6/shiboken6) only in station_app/views/ and station_app/gui.py; station_app/__main__.py
  may import it only inside a function. Nothing below the views imports the views or the GUI.
* station_app/rules/ is pure: no SQLAlchemy, no Qt, no database or service layer.
* No module under station_app/ is longer than 500 lines (aim for ~400: split it).
* docxtpl always renders with autoescape=True (otherwise "A<B & C" silently corrupts the .docx XML).
* Only station_app/clock.py reads the system clock (date.today(), datetime.now(), time.time(),
  QDate.currentDate() …), in station_app/, bench/ and tests/ alike (§3a).
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "station_app"
MAX_LINES = 500
QT_ROOTS = {"PySide6", "shiboken6"}


def _modules() -> list[Path]:
    return sorted(p for p in PKG.rglob("*.py") if "__pycache__" not in p.parts)


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _is_qt_home(rel: str) -> bool:
    return rel.startswith("station_app/views/") or rel in ("station_app/gui.py",) \
        or rel.startswith("station_app/gui/")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path, tree: ast.Module) -> Iterator[tuple[str, ast.AST, bool]]:
    """(absolute module name, node, inside a function) for every import, also importlib/__import__ calls."""
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]

    def visit(node: ast.AST, in_func: bool) -> Iterator[tuple[str, ast.AST, bool]]:
        for child in ast.iter_child_nodes(node):
            nested = in_func or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield alias.name, child, in_func
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - (child.level - 1)] if child.level > 1 else base
                    mod = ".".join([*base, child.module] if child.module else base)
                else:
                    mod = child.module or ""
                yield mod, child, in_func
                for alias in child.names:  # "from station_app import views" imports a module too
                    yield f"{mod}.{alias.name}", child, in_func
            elif isinstance(child, ast.Call) and child.args and isinstance(child.args[0], ast.Constant) \
                    and isinstance(child.args[0].value, str):
                func = child.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in ("import_module", "__import__"):
                    yield child.args[0].value, child, in_func
            yield from visit(child, nested)

    yield from visit(tree, False)


def _top(mod: str) -> str:
    return mod.split(".")[0]


def _report(found: list[tuple[str, int, str]]) -> str:
    """One line per offending import statement ("from X import a, b" yields X, X.a and X.b)."""
    seen: dict[tuple[str, int], str] = {}
    for rel, line, mod in found:
        seen.setdefault((rel, line), mod)
    return "\n".join(f"{rel}:{line}: imports {mod}" for (rel, line), mod in seen.items())


def test_qt_only_in_views_and_gui() -> None:
    bad: list[tuple[str, int, str]] = []
    for path in _modules():
        rel = _rel(path)
        if _is_qt_home(rel):
            continue
        for mod, node, in_func in _imports(path, _tree(path)):
            if _top(mod) not in QT_ROOTS:
                continue
            if rel == "station_app/__main__.py" and in_func:
                continue
            bad.append((rel, node.lineno, mod))  # type: ignore[attr-defined]
    assert not bad, "PySide6/shiboken6 outside station_app/views/ and station_app/gui.py:\n" + _report(bad)


def test_lower_layers_do_not_import_the_ui() -> None:
    bad: list[tuple[str, int, str]] = []
    for path in _modules():
        rel = _rel(path)
        if _is_qt_home(rel) or rel == "station_app/__main__.py":
            continue
        for mod, node, _ in _imports(path, _tree(path)):
            if mod == "station_app.gui" or mod.startswith(("station_app.views", "station_app.gui.")):
                bad.append((rel, node.lineno, mod))  # type: ignore[attr-defined]
    assert not bad, "services/models/db/rules/exports must not import the UI:\n" + _report(bad)


def test_rules_are_pure() -> None:
    forbidden_third_party = {"sqlalchemy", "alembic", "psycopg", *QT_ROOTS}
    forbidden_own = ("station_app.db", "station_app.models", "station_app.services", "station_app.views",
                     "station_app.gui", "station_app.exports", "station_app.runtime")
    bad: list[tuple[str, int, str]] = []
    for path in sorted((PKG / "rules").rglob("*.py")):
        for mod, node, _ in _imports(path, _tree(path)):
            if _top(mod) in forbidden_third_party or mod.startswith(forbidden_own):
                bad.append((_rel(path), node.lineno, mod))  # type: ignore[attr-defined]
    assert not bad, "station_app/rules/ must stay pure (no DB, no Qt):\n" + _report(bad)


def test_modules_are_small() -> None:
    long = []
    for path in _modules():
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > MAX_LINES:
            long.append(f"{_rel(path)}: {n} lines")
    assert not long, f"modules over {MAX_LINES} lines (aim for ~400; split them):\n" + "\n".join(long)


# ---------------------------------------------------------------- docxtpl autoescape
TEMPLATE_HINTS = ("tpl", "template", "docx")


def _receiver_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _receiver_name(node.func)
    return ""


def _autoescaped(call: ast.Call) -> bool:
    for kw in call.keywords:
        if kw.arg == "autoescape":
            return isinstance(kw.value, ast.Constant) and kw.value.value is True
    # DocxTemplate.render(context, jinja_env=None, autoescape=False): third positional argument
    return len(call.args) >= 3 and isinstance(call.args[2], ast.Constant) and call.args[2].value is True


def unescaped_renders(source: str, *, filename: str = "<string>") -> list[int]:
    """Line numbers of ``X.render(...)`` calls that may be docxtpl without autoescape=True.

    In a module that imports docxtpl, every ``.render(`` call counts; elsewhere, those on a receiver
    named like a template (tpl, template, docx…). Qt's ``widget.render(painter)`` is thus not flagged.
    """
    tree = ast.parse(source, filename=filename)
    uses_docxtpl = any(
        (isinstance(n, ast.Import) and any(_top(a.name) == "docxtpl" for a in n.names))
        or (isinstance(n, ast.ImportFrom) and n.module is not None and _top(n.module) == "docxtpl")
        for n in ast.walk(tree)
    )
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "render":
            receiver = _receiver_name(node.func.value).lower()
            if (uses_docxtpl or any(h in receiver for h in TEMPLATE_HINTS)) and not _autoescaped(node):
                lines.append(node.lineno)
    return lines


def test_docxtpl_always_autoescapes() -> None:
    bad = []
    for path in _modules():
        rel = _rel(path)
        if _is_qt_home(rel):  # QWidget.render(painter) and friends
            continue
        bad += [f"{rel}:{line}" for line in unescaped_renders(path.read_text(encoding="utf-8"), filename=rel)]
    assert not bad, "docxtpl render() without autoescape=True:\n" + "\n".join(bad)


@pytest.mark.parametrize(("source", "flagged"), [
    ("from docxtpl import DocxTemplate\nd = DocxTemplate('a.docx')\nd.render({'a': 1})\n", [3]),
    ("from docxtpl import DocxTemplate\nd = DocxTemplate('a.docx')\nd.render(ctx, autoescape=True)\n", []),
    ("from docxtpl import DocxTemplate\nd = DocxTemplate('a.docx')\nd.render(ctx, autoescape=False)\n", [3]),
    ("from docxtpl import DocxTemplate\nd = DocxTemplate('a.docx')\nd.render(ctx, None, True)\n", []),
    ("import docxtpl\ndocxtpl.DocxTemplate(p).render(ctx, autoescape=flag)\n", [2]),
    ("def f(tpl):\n    tpl.render(ctx)\n", [2]),
    ("def f(self):\n    self.template.render(ctx)\n", [2]),
    ("def f(widget, painter):\n    widget.render(painter)\n", []),
])
def test_docxtpl_check_itself(source: str, flagged: list[int]) -> None:
    assert unescaped_renders(source) == flagged


# ---------------------------------------------------------------- one clock (docs/architecture §3a)
CLOCK_HOME = "station_app/clock.py"
CLOCK_SCANNED = ("station_app", "bench", "tests")
# Dotted names (import aliases resolved) that read the system clock, called or passed on:
# ``bindparam(callable_=date.today)`` reads it later just the same.
CLOCK_READERS = {
    "datetime.date.today", "datetime.datetime.today", "datetime.datetime.now", "datetime.datetime.utcnow",
    "time.time", "time.time_ns",  # wall-clock seconds: durations use time.perf_counter()/monotonic()
    "PySide6.QtCore.QDate.currentDate", "PySide6.QtCore.QTime.currentTime",
    "PySide6.QtCore.QDateTime.currentDateTime", "PySide6.QtCore.QDateTime.currentDateTimeUtc",
    "PySide6.QtCore.QDateTime.currentSecsSinceEpoch", "PySide6.QtCore.QDateTime.currentMSecsSinceEpoch",
}
# These read the clock only when called without their time argument (the number: arguments before it).
CLOCK_READERS_WITHOUT_TIME = {"time.localtime": 0, "time.gmtime": 0, "time.ctime": 0, "time.strftime": 1}


def _import_aliases(tree: ast.Module) -> dict[str, str]:
    """Local name → the dotted name it stands for, from every import in the module."""
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or _top(alias.name)
                aliases[local] = alias.name if alias.asname else local
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases


def _dotted(node: ast.expr, aliases: dict[str, str]) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in aliases:
        return None
    return ".".join([aliases[node.id], *reversed(parts)])


def clock_reads(source: str, *, filename: str = "<string>") -> list[tuple[int, str]]:
    """(line, name) of every read of the system clock in ``source``."""
    tree = ast.parse(source, filename=filename)
    aliases = _import_aliases(tree)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name | ast.Attribute) and isinstance(node.ctx, ast.Load):
            name = _dotted(node, aliases)
            if name in CLOCK_READERS:
                found.add((node.lineno, name))
        if isinstance(node, ast.Call):
            name = _dotted(node.func, aliases)
            if name in CLOCK_READERS_WITHOUT_TIME and not node.keywords \
                    and len(node.args) <= CLOCK_READERS_WITHOUT_TIME[name]:
                found.add((node.lineno, f"{name}()"))
    return sorted(found)


def clock_reads_under(root: Path) -> list[str]:
    """"path:line: name" for each clock read in the scanned folders of ``root``, clock.py excepted."""
    bad = []
    for folder in CLOCK_SCANNED:
        for path in sorted((root / folder).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            if rel == CLOCK_HOME or "__pycache__" in path.parts:
                continue
            bad += [f"{rel}:{line}: {name}" for line, name in clock_reads(path.read_text(encoding="utf-8"),
                                                                          filename=rel)]
    return bad


def test_only_the_clock_reads_the_system_clock() -> None:
    bad = clock_reads_under(ROOT)
    assert not bad, ("read the date/time through station_app.clock (clock.today() / clock.now()), so tests "
                     "and support can move it:\n" + "\n".join(bad))


@pytest.mark.parametrize(("source", "flagged"), [
    ("from datetime import date\nx = date.today()\n", [(2, "datetime.date.today")]),
    ("from datetime import datetime\nx = datetime.now()\ny = datetime.today()\n",
     [(2, "datetime.datetime.now"), (3, "datetime.datetime.today")]),
    ("import datetime\nx = datetime.datetime.utcnow()\n", [(2, "datetime.datetime.utcnow")]),
    ("import datetime as _dt\nx = _dt.date.today()\n", [(2, "datetime.date.today")]),
    ("from datetime import datetime as dt\nx = dt.now()\n", [(2, "datetime.datetime.now")]),
    ("from datetime import date as D\nbindparam('t', callable_=D.today)\n", [(2, "datetime.date.today")]),
    ("import time\nstamp = datetime.fromtimestamp(time.time())\n", [(2, "time.time")]),
    ("from time import time as now\nx = now()\n", [(2, "time.time")]),
    ("import time\nx = time.strftime('%Y')\ny = time.strftime('%Y', t)\n", [(2, "time.strftime()")]),
    ("from PySide6.QtCore import QDate\nd = QDate.currentDate()\n", [(2, "PySide6.QtCore.QDate.currentDate")]),
    ("import time\nt0 = time.perf_counter()\n", []),
    ("from datetime import date, datetime\nd = date(2026, 11, 24)\nt = datetime.combine(d, x)\n", []),
    ("from station_app import clock\nd = clock.today()\nn = clock.now()\n", []),
    ("def f(self):\n    return self.date.today() + 'datetime.now()'\n", []),
    ("from datetime import time\nt = time(9, 30)\n", []),
])
def test_clock_check_itself(source: str, flagged: list[tuple[int, str]]) -> None:
    assert clock_reads(source) == flagged


def test_clock_check_fails_on_a_tree_that_reads_the_clock(tmp_path: Path) -> None:
    """A deliberate violation in a throw-away tree: the real check's scanner reports it, clock.py excepted."""
    (tmp_path / "station_app" / "services").mkdir(parents=True)
    (tmp_path / "station_app" / "clock.py").write_text(
        "from datetime import datetime\ndef now():\n    return datetime.now()\n", encoding="utf-8")
    (tmp_path / "station_app" / "services" / "late.py").write_text(
        "import datetime as dt\n\ndef overdue(deadline):\n    return deadline < dt.date.today()\n",
        encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_late.py").write_text(
        "from datetime import date\nTODAY = date.today()\n", encoding="utf-8")
    assert clock_reads_under(tmp_path) == ["station_app/services/late.py:4: datetime.date.today",
                                           "tests/test_late.py:2: datetime.date.today"]


# ---------------------------------------------------------------- at run time, too
def test_importing_the_core_does_not_load_qt() -> None:
    """Import every non-UI module (and the CLI entry) in a fresh interpreter: no PySide6 in sys.modules."""
    names = [_module_name(p) for p in _modules() if not _is_qt_home(_rel(p))]
    code = (
        "import importlib, json, sys\n"
        "failed = []\n"
        f"for name in {names!r}:\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception as err:\n"
        "        failed.append(f'{name}: {err!r}')\n"
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(json.dumps({'qt': qt, 'failed': failed}))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert not result["qt"], f"importing the non-UI modules loaded Qt: {result['qt'][:5]}"
    assert not result["failed"], "modules that cannot be imported:\n" + "\n".join(result["failed"])


#: modules that may treat an import as optional, and why. Everything else imports plainly, so that a
#: missing module fails at start and in the tests instead of silently dropping a tab or a report section.
OPTIONAL_IMPORTS = {
    "station_app/services/documents/printing.py": "pywin32 (Word via COM) exists only on some Windows PCs",
}


def optional_imports(source: str) -> list[int]:
    """Lines that swallow an ImportError or probe for a module with importlib.util.find_spec."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            names = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            if any(isinstance(n, ast.Name) and n.id in {"ImportError", "ModuleNotFoundError"} for n in names):
                lines.append(node.lineno)
        elif isinstance(node, ast.Attribute) and node.attr == "find_spec":
            lines.append(node.lineno)
    return sorted(lines)


def test_no_silent_optional_imports() -> None:
    found = [(_rel(p), line, "optional import") for p in _modules() if _rel(p) not in OPTIONAL_IMPORTS
             for line in optional_imports(p.read_text(encoding="utf-8"))]
    assert not found, _report(found)


@pytest.mark.parametrize(("source", "flagged"), [
    ("try:\n    import x\nexcept ImportError:\n    x = None\n", [3]),
    ("try:\n    import x\nexcept (ValueError, ModuleNotFoundError):\n    pass\n", [3]),
    ("import importlib.util\nok = importlib.util.find_spec('x') is not None\n", [2]),
    ("try:\n    f()\nexcept ValueError:\n    pass\n", []),
])
def test_optional_import_check_itself(source: str, flagged: list[int]) -> None:
    assert optional_imports(source) == flagged
