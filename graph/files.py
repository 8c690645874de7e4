"""Files written whole or not at all."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file renamed over it: a reader sees the
    old file or the new one, and a file another folder shares by a hard link is left as it was.

    >>> import tempfile; folder = Path(tempfile.mkdtemp())
    >>> write_atomically(folder / "a" / "b.txt", "园区"); (folder / "a" / "b.txt").read_text("utf-8")
    '园区'
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
