"""Files taken out of the kernel's page cache, to time a command as it runs on files not read lately.

A refresh right after a build finds the store and the exports in memory; a refresh the next day
reads them from the disk. The kernel is asked to drop the cached pages of every file under a folder
(``posix_fadvise`` with ``POSIX_FADV_DONTNEED``), once what is still to be written of each is. No
privilege is needed, where dropping every cache of the machine needs root. A file system that keeps
its files in memory (tmpfs) keeps them there.
"""
from __future__ import annotations

import os
from pathlib import Path


def evict(folder: Path) -> int:
    """Ask the kernel to drop the cached pages of every file under ``folder``, written out first;
    returns the bytes of the files it was asked for (0 where the system has no such call)."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return 0
    asked = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            handle = os.open(path, os.O_RDONLY)
            try:
                os.fdatasync(handle)  # a page still to be written is not dropped
                advise(handle, 0, 0, os.POSIX_FADV_DONTNEED)
                asked += os.fstat(handle).st_size
            finally:
                os.close(handle)
    return asked
