"""Build the PyInstaller bundle build/dist/station-app/ from installer/station_app.spec.

    .venv/bin/python installer/build.py              always build
    .venv/bin/python installer/build.py --if-stale   reuse the bundle if nothing it is built from changed

"Nothing changed" = the same hash over the app's sources, migrations, templates, reference data, the
spec, pyproject.toml, the Python version and every installed distribution's version; it is written
next to the bundle (build/dist/station-app.stamp) after a successful build. tests/packaging uses this.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.metadata
import os
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer" / "station_app.spec"
DIST = ROOT / "build" / "dist"
WORK = ROOT / "build" / "work"
NAME = "station-app"
WINDOWS = sys.platform == "win32"


def bundle_dir(dist: Path = DIST) -> Path:
    return dist / NAME


def executable(dist: Path = DIST, *, cli: bool = False) -> Path:
    """The GUI executable, or (cli=True) the console one; the same file outside Windows."""
    if WINDOWS:
        return bundle_dir(dist) / (f"{NAME}-cli.exe" if cli else f"{NAME}.exe")
    return bundle_dir(dist) / NAME


def _stamp(dist: Path) -> Path:
    return dist / f"{NAME}.stamp"


def source_hash() -> str:
    h = hashlib.sha256()
    files: set[Path] = set()
    for base in ("station_app", "migrations", "templates_docx"):
        d = ROOT / base
        if d.is_dir():
            files.update(p for p in d.rglob("*")
                         if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo"))
    files.update(p for p in (ROOT / "installer").glob("*") if p.is_file() and p.suffix in (".py", ".spec", ".ico"))
    files.add(ROOT / "pyproject.toml")
    for p in sorted(files):
        if p.exists():
            h.update(p.relative_to(ROOT).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    h.update(sys.version.encode())
    # Only the environment's site-packages: a test run also sees station_app.egg-info in the checkout.
    site = list(dict.fromkeys(sysconfig.get_paths()[k] for k in ("purelib", "platlib")))
    dists = sorted({f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions(path=site)})
    h.update("\n".join(dists).encode())
    return h.hexdigest()


def _read_stamp(dist: Path) -> list[str]:
    stamp = _stamp(dist)
    if not (stamp.exists() and executable(dist).exists() and executable(dist, cli=True).exists()):
        return []
    return stamp.read_text(encoding="ascii").split()


def is_fresh(dist: Path = DIST, digest: str | None = None) -> bool:
    lines = _read_stamp(dist)
    return bool(lines) and lines[0] == (digest or source_hash())


@contextlib.contextmanager
def _lock(dist: Path) -> Iterator[None]:
    """One build at a time (two pytest runs, or a test and `setup.sh build`)."""
    dist.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # Windows: no lock
        yield
        return
    with open(dist / f".{NAME}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def build(dist: Path = DIST, work: Path = WORK, *, if_stale: bool = False, log_level: str = "WARN",
          run_id: str | None = None) -> Path:
    """Build (or, with if_stale, reuse) the bundle; returns the bundle directory.

    run_id (pytest-xdist's PYTEST_XDIST_TESTRUNUID): once a bundle was built or found fresh for a test
    run, the other workers of the same run reuse it even if a source file was edited meanwhile.
    """
    with _lock(dist):
        if if_stale and run_id and _read_stamp(dist)[1:2] == [run_id]:
            return bundle_dir(dist)
        digest = source_hash()
        if if_stale and is_fresh(dist, digest):
            print(f"bundle up to date: {bundle_dir(dist)}", flush=True)
            if run_id:
                _stamp(dist).write_text(f"{digest}\n{run_id}\n", encoding="ascii")
            return bundle_dir(dist)
        _stamp(dist).unlink(missing_ok=True)
        cmd = [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--clean" if not if_stale else "",
               "--distpath", str(dist), "--workpath", str(work), "--log-level", log_level]
        cmd = [c for c in cmd if c]
        print("building:", " ".join(cmd), flush=True)
        t0 = time.monotonic()
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
        subprocess.run(cmd, check=True, cwd=ROOT, env=env)
        seconds = time.monotonic() - t0
        _stamp(dist).write_text(f"{digest}\n{run_id or ''}\n", encoding="ascii")
        size = tree_size(bundle_dir(dist)) / 1e6
        print(f"bundle: {bundle_dir(dist)}  {size:.0f} MB  built in {seconds:.0f} s", flush=True)
        return bundle_dir(dist)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--if-stale", action="store_true", help="reuse an up-to-date bundle")
    ap.add_argument("--distpath", type=Path, default=DIST)
    ap.add_argument("--workpath", type=Path, default=WORK)
    ap.add_argument("--log-level", default="WARN")
    args = ap.parse_args(argv)
    build(args.distpath.resolve(), args.workpath.resolve(), if_stale=args.if_stale, log_level=args.log_level)
    print(f"run it: {executable(args.distpath.resolve(), cli=True)} --help")
    return 0


if __name__ == "__main__":
    sys.exit(main())
