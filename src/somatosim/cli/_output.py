"""All-or-nothing writing of a command's output files."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path


def write_outputs(out: Path, writers: dict[str, Callable[[Path], None]]) -> None:
    """Write each file of ``writers`` (name → ``write(path)``) into ``out``, all or nothing.

    The files are written into a fresh directory beside ``out``. ``out`` is created by one
    rename when it does not exist yet; otherwise each file is replaced atomically (other files
    in ``out`` are left alone). On any error the temporary directory, and any parent folder
    this call created, is removed and ``out`` is untouched.
    """
    out = out.absolute()
    missing = [p for p in out.parents if not p.exists()]  # parent folders this call creates
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{uuid.uuid4().hex}"
    tmp.mkdir()  # honours the umask (tempfile.mkdtemp would make the final directory 0700)
    done = False
    try:
        for name, write in writers.items():
            write(tmp / name)
        if not out.exists():
            os.rename(tmp, out)
        else:
            for name in writers:
                os.replace(tmp / name, out / name)
        done = True
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        if not done and missing:
            shutil.rmtree(missing[-1], ignore_errors=True)  # the topmost folder we created
