"""Reading a session file without trusting the path. No Textual import.

Open used to ``read_text`` whatever it was given: ``/dev/zero`` grew the app without
end, a FIFO blocked it for good (and the process outlived ``q``). Here a file is
opened non-blocking, must be a regular file (checked on the open descriptor, so it
cannot be swapped in between) and is read up to a size cap.

A served app never opens a path: it opens a session *by name* from the teacher's
folder (``RNN_TUI_SESSIONS_DIR``), and only names that folder lists as ``*.json``
regular files; symlinks are not followed.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_SESSION_BYTES = 1 << 20  # a real session file is a few hundred bytes


class SessionFileError(OSError):
    """A session file that may not or cannot be read; the message says why, briefly."""

    def __str__(self) -> str:
        return self.strerror or "cannot be read"


def read_session_file(path: str | os.PathLike[str], *, folder_fd: int | None = None) -> str:
    """The text of a session file: a regular file of at most ``MAX_SESSION_BYTES``.

    With ``folder_fd`` the path is a bare name inside that folder and a symlink is refused.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if folder_fd is not None:
        flags |= os.O_NOFOLLOW
    try:
        fd = os.open(path, flags, dir_fd=folder_fd)
    except OSError as error:
        raise SessionFileError(error.errno, _reason(error)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SessionFileError(errno.EINVAL, "not a regular file")
        data = _read_capped(fd)
    finally:
        os.close(fd)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise SessionFileError(errno.EINVAL, "not a text file (invalid UTF-8)") from None


def _read_capped(fd: int) -> bytes:
    """At most the cap; a longer file (whatever its st_size says, e.g. in /proc) is refused."""
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_SESSION_BYTES:
        chunk = os.read(fd, MAX_SESSION_BYTES + 1 - size)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
    raise SessionFileError(errno.EFBIG, f"larger than {MAX_SESSION_BYTES // 1024} KiB")


def _reason(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "a symbolic link"
    return error.strerror or "cannot be read"


def shared_session_names(folder: Path) -> list[str]:
    """The ``*.json`` regular files (not symlinks, not hidden) in the teacher's folder, sorted."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    return sorted(
        entry.name
        for entry in entries
        if entry.name.endswith(".json")
        and not entry.name.startswith(".")
        and entry.is_file(follow_symlinks=False)
    )


def read_shared_session(folder: Path, name: str) -> str:
    """The session called ``name`` in ``folder``; only a name the folder lists is read."""
    if name not in shared_session_names(folder):
        raise SessionFileError(errno.ENOENT, f"no shared session called {name!r}")
    try:
        folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise SessionFileError(error.errno, "the shared sessions folder cannot be read") from None
    try:
        return read_session_file(name, folder_fd=folder_fd)
    finally:
        os.close(folder_fd)


def read_session(where: str, sessions_dir: Path | None) -> str:
    """A path typed by a local user, or (``sessions_dir`` given) a shared session's name."""
    if sessions_dir is not None:
        return read_shared_session(sessions_dir, where)
    return read_session_file(Path(where).expanduser())
