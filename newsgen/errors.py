"""The errors a user can see; each one says what is wrong and where."""

from __future__ import annotations

import errno

# Failures of the machine, not of the input or of newsgen: each gets a plain message and exit status 3.
HOST_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM})


class NewsgenError(Exception):
    """Anything newsgen reports to the user without a traceback."""


class ConfigError(NewsgenError):
    """site.yaml (or a command-line setting) is wrong; nothing can be built."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        where = path if line is None or path is None else f"{path}:{line}"
        super().__init__(f"{where}: {message}" if where else message)
        self.path = path
        self.line = line


class ContentError(NewsgenError):
    """One input file cannot become an article: ``path:line: message``."""

    def __init__(self, path: str, message: str, line: int | None = None, kind: str = "unreadable") -> None:
        super().__init__(f"{path}:{line}: {message}" if line is not None else f"{path}: {message}")
        self.path = path
        self.line = line
        self.message = message
        self.kind = kind


class ThemeError(NewsgenError):
    """A template is missing or broken; nothing can be built."""


class UnsafePathError(NewsgenError):
    """A page path would land outside the output folder."""


class HostError(NewsgenError):
    """The machine stopped the build (a full disk, a permission, a read-only disk): nothing to fix in the input."""


def host_error(exc: OSError, outcome: str = "") -> HostError:
    """``exc`` (an errno in HOST_ERRNOS) said plainly: what could not be done where, and ``outcome`` for the site."""
    verb = "use" if exc.errno in (errno.EACCES, errno.EPERM) else "write"
    where = f" {exc.filename}" if exc.filename else ""
    return HostError(f"cannot {verb}{where}: {exc.strerror or exc}" + (f"; {outcome}" if outcome else ""))
