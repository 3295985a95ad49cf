"""Entry script of the PyInstaller bundle: station-app (GUI on Windows) and station-app-cli.

Same as the ``station-app`` console script, plus what a frozen Windows exe needs: a GUI exe has no
stdout/stderr (argparse would crash printing --help), and a console whose code page cannot encode
Chinese must not turn a message into a UnicodeEncodeError.
"""

from __future__ import annotations

import multiprocessing
import os
import sys


def _fix_streams() -> None:
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
        elif hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def run() -> int:
    multiprocessing.freeze_support()
    _fix_streams()
    from station_app.__main__ import main

    return main()


if __name__ == "__main__":
    sys.exit(run())
