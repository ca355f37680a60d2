"""Owner-only files and directories: the data dir, the server's state, import reports.

They hold personal data or secrets, so they are created 0700 / 0600 from the start (never readable by
others for a moment, whatever the umask), and an existing one is tightened when it is written again.
Imports nothing from the rest of the package, so any layer may use it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_dir(path: Path) -> Path:
    """``path`` as a directory only its owner can enter (created if missing, tightened if not)."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    path.chmod(PRIVATE_DIR)
    return path


def open_private(path: Path | str, mode: str = "w", **kwargs: Any) -> IO[Any]:
    """``open(path, mode)`` for writing (w, a, wb, ab...), the file created or tightened to 0600."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in mode else os.O_TRUNC)
    fd = os.open(path, flags, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)  # O_CREAT leaves an existing file's mode as it was
        return os.fdopen(fd, mode, **kwargs)
    except BaseException:
        os.close(fd)
        raise


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as an owner-only file."""
    with open_private(path, "w", encoding="utf-8") as handle:
        handle.write(text)
