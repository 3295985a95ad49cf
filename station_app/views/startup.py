"""Start-up: the main window's shell is shown first; the database opens behind it, off the UI thread.

Opening means importing the database layer (SQLAlchemy, the models: most of the start-up time),
migrating and reading what the first screens show. ``open_for_window`` does all of it on a worker
(``TaskRunner``) while the UI thread paints the shell; ``run_gui`` and the start-up benchmark share it.
Importing this module loads Qt and the home page only, never the database layer.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from station_app.errors import StationError
from station_app.views.home import HomeSummary, load_summary

if TYPE_CHECKING:
    from station_app.runtime import Runtime


@dataclass(frozen=True)
class Opened:
    runtime: Runtime
    initialized: bool  # False: the first-start set-up comes first
    station_name: str
    home: HomeSummary | None  # the home page's quick figures (None before the set-up)


def open_for_window(data_dir: Path | str | None, db_url: str | None, *, log_to_file: bool = True,
                    keep: list[Runtime] | None = None) -> Opened:
    """Open and migrate the database and read the first screens' figures (runs on a worker thread).

    ``keep`` receives the runtime as soon as it is open, so the caller can close it even when the
    window went away before the result arrived.

    The cyclic garbage collector is paused meanwhile: importing the database layer creates ~150,000
    long-lived objects, and the collections they trigger scan them again and again (~10 % of the
    time); afterwards they are frozen (``gc.freeze``, as every worker job does) and it resumes. What
    a collection would have freed at the end is a few hundred objects, kept for good.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return _open(data_dir, db_url, log_to_file, keep)
    finally:
        gc.freeze()
        if paused:
            gc.enable()


def _open(data_dir: Path | str | None, db_url: str | None, log_to_file: bool, keep: list[Runtime] | None) -> Opened:
    from station_app.runtime import open_runtime
    from station_app.services.station import get_station, is_initialized

    runtime = open_runtime(data_dir, db_url, log_to_file=log_to_file)
    if keep is not None:
        keep.append(runtime)
    try:
        with runtime.db.read() as s:
            initialized = is_initialized(s)
            name = get_station(s).name if initialized else ""
    except BaseException:
        if keep is None:
            runtime.close()
        raise
    home = None
    if initialized:
        try:
            home = load_summary(runtime)
        except StationError:  # the home page reads it again and shows the error
            home = None
    return Opened(runtime, initialized, name, home)
