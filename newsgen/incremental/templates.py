"""Templates compiled by an earlier build, kept in the build cache: a rebuild does not compile them again."""

from __future__ import annotations

import contextlib
from pathlib import Path

import jinja2


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates (checked against each template's source), in a folder of the
    build cache; a template that cannot be kept there is compiled again next time, never an error."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        super().__init__(str(folder))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def compiled_templates(folder: Path) -> jinja2.BytecodeCache:
    """The bytecode cache for ``make_environment``, in ``folder`` (made if missing)."""
    return _CompiledTemplates(folder)
