"""Templates compiled by an earlier build, kept in the build cache: a rebuild does not compile them again."""

from __future__ import annotations

import contextlib
import os
import types
from pathlib import Path

import jinja2


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates (checked against each template's source), in a folder of the
    build cache; a template that cannot be kept there is compiled again next time, never an error."""

    def __init__(self, folder: Path, key: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        super().__init__(str(folder), f"__jinja2_{key}_%s.cache" if key else "__jinja2_%s.cache")

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        kept = _KEPT.get(self._kept_as(bucket))
        if kept is None:
            super().load_bytecode(bucket)
            if bucket.code is not None:
                _KEPT[self._kept_as(bucket)] = bucket.code
        else:
            bucket.code = kept
            if not os.path.exists(self._get_cache_filename(bucket)):  # a new output's cache: for the next process
                self.dump_bytecode(bucket)

    def _kept_as(self, bucket: jinja2.bccache.Bucket) -> tuple[str, str, str]:
        return self.pattern, bucket.key, bucket.checksum

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.code is not None:
            _KEPT[self._kept_as(bucket)] = bucket.code
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


# Compiled code by (cache pattern, template, source checksum), for this process: a process that builds again
# (``newsgen serve``, a build into a new output, the tests) compiles a template once. Jinja runs each template's
# code in a namespace of its own, so sharing the code object shares nothing else.
_KEPT: dict[tuple[str, str, str], types.CodeType] = {}


def compiled_templates(folder: Path, key: str = "") -> jinja2.BytecodeCache:
    """The bytecode cache for ``make_environment``, in ``folder`` (made if missing).

    ``key``: the site's plugins' fingerprint; templates compiled with other plugins are not taken.
    """
    return _CompiledTemplates(folder, key)
