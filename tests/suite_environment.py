"""Where the suite keeps what it writes; imported by conftest.py before newsgen, so that the workers and the
Pythons the tests start inherit it.

- Bytecode: where the environment says not to write it (``PYTHONDONTWRITEBYTECODE``, as sandboxes and some CI
  images set it), the suite still keeps it, under the system's temporary folder rather than in the checkout
  (``PYTHONPYCACHEPREFIX``). Otherwise each worker, and every Python a test starts, compiles newsgen and rewrites
  the test modules again: collecting took 8.8 s a worker, 3.0 s with it.
- Scratch sites: in memory (``/dev/shm``) where the machine has it with room to spare, as ``PYTEST_DEBUG_TEMPROOT``
  (pytest's own numbered folders there). The tests write some 600 MB of small sites; on a virtual disk a file
  and its folders took 0.33 ms to make, in memory 0.07 ms, and the incremental tests spent a quarter of their
  time making folders and opening files. What passing tests wrote is deleted at the session's end
  (``tmp_path_retention_policy``, pyproject.toml), so it does not stay in memory; a failed test's stays for a look.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

MEMORY = "/dev/shm"
ROOM = 4 << 30  # free bytes it must have: several times what a run writes


def keep_bytecode() -> None:
    if sys.dont_write_bytecode and sys.pycache_prefix is None:
        sys.pycache_prefix = os.path.join(tempfile.gettempdir(), "newsgen-tests-pycache")
        sys.dont_write_bytecode = False
        os.environ["PYTHONPYCACHEPREFIX"] = sys.pycache_prefix
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def scratch_in_memory() -> None:
    if "PYTEST_DEBUG_TEMPROOT" in os.environ or not os.path.isdir(MEMORY) or not os.access(MEMORY, os.W_OK):
        return
    if shutil.disk_usage(MEMORY).free >= ROOM:
        os.environ["PYTEST_DEBUG_TEMPROOT"] = MEMORY


keep_bytecode()
scratch_in_memory()
