"""A job for the several-workers test: it notes each run in a file, one line per run."""

from __future__ import annotations

import os
import time

from django_tasks import task


@task()
def note_run(marker: str, path: str) -> str:
    time.sleep(0.1)
    # One write of one line with O_APPEND: lines from several processes never interleave.
    handle = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(handle, f"{marker} {os.getpid()}\n".encode())
    finally:
        os.close(handle)
    return marker
