"""Imported by conftest.py before newsgen: where the environment says not to write bytecode
(``PYTHONDONTWRITEBYTECODE``, as sandboxes and some CI images set it), the suite still keeps it, under the system's
temporary folder rather than in the checkout (``PYTHONPYCACHEPREFIX``). Otherwise each of the suite's workers, and
every Python its tests start, compiles newsgen and rewrites the test modules again: collecting the suite takes 8 s
instead of 4 s, a worker. Python checks each kept file against its source's size and time, as always."""

from __future__ import annotations

import os
import sys
import tempfile

if sys.dont_write_bytecode and sys.pycache_prefix is None:
    sys.pycache_prefix = os.path.join(tempfile.gettempdir(), "newsgen-tests-pycache")
    sys.dont_write_bytecode = False
    os.environ["PYTHONPYCACHEPREFIX"] = sys.pycache_prefix  # for the workers and the Pythons the tests start
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
