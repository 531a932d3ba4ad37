"""Templates compiled by an earlier build, kept in the build cache: a rebuild does not compile them again."""

from __future__ import annotations

import contextlib
from pathlib import Path

import jinja2


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates (checked against each template's source), in a folder of the
    build cache; a template that cannot be kept there is compiled again next time, never an error."""

    def __init__(self, folder: Path, key: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        super().__init__(str(folder), f"__jinja2_{key}_%s.cache" if key else "__jinja2_%s.cache")

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def compiled_templates(folder: Path, key: str = "") -> jinja2.BytecodeCache:
    """The bytecode cache for ``make_environment``, in ``folder`` (made if missing).

    ``key``: the site's plugins' fingerprint; templates compiled with other plugins are not taken.
    """
    return _CompiledTemplates(folder, key)
