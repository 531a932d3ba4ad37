"""Wheels carry newsgen's hot modules compiled by mypyc (what black and mypy ship); editable installs stay pure.

Which modules, and why those, is in pyproject.toml (``[tool.hatch.build.targets.wheel.hooks.custom]``). The
compiled modules do exactly what their Python source does (a test builds a site both ways and compares the
bytes), so a machine that cannot compile them (no C compiler, mypyc failing) gets a pure-Python wheel and one
line saying so. ``NEWSGEN_PURE_PYTHON=1`` asks for the pure wheel; ``NEWSGEN_MYPYC_OPT_LEVEL`` sets the C
compiler's optimisation (default 3, what wheels ship; the tests compile at 0: the wheel in 46 s instead of 76 s).
Editable installs never compile: a compiled module would shadow its source, and edits to it would silently do
nothing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

GROUP = "newsgen"  # the shared library's name: newsgen__mypyc.<abi>.so, the same on every build


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        if os.environ.get("NEWSGEN_PURE_PYTHON", "") not in ("", "0"):
            self.app.display_info("newsgen: NEWSGEN_PURE_PYTHON is set: a pure-Python wheel")
            return
        try:
            built = compile_modules(Path(self.root), self.config["compiled"], Path(self.directory) / "mypyc")
        except (Exception, SystemExit) as error:  # mypyc exits on a type error; the pure modules do the same work
            reason = str(error).strip().splitlines()[-1:] or [type(error).__name__]
            self.app.display_warning(f"newsgen: compiled modules not built ({reason[0]}); a pure-Python wheel")
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True  # cp311-cp311-<platform>: compiled for this interpreter only
        build_data["force_include"].update(built)
        self.app.display_info(f"newsgen: {len(built) - 1} modules compiled with mypyc")


def compile_modules(root: Path, modules: list[str], work: Path) -> dict[str, str]:
    """mypyc's C for ``modules`` (paths under ``root``), compiled: {built file: its path in the wheel}."""
    from mypyc.build import mypycify  # the hook's own build dependency: imported only when compiling
    from setuptools import Distribution

    shutil.rmtree(work, ignore_errors=True)
    here = Path.cwd()
    os.chdir(root)  # mypyc names modules by their paths, relative to the project
    try:
        # The build environment has mypy, not newsgen's dependencies nor their stubs: their types are Any to mypyc,
        # as they are dynamic to the interpreter (numpy, Jinja), and the code calling them compiles to the same
        # calls. Without the project's strict settings (the empty --config-file): those reject what uses an Any
        # (a class subclassing yaml's loader), and the strict check is the developers' mypy run, with the stubs.
        options = ["--config-file=", "--ignore-missing-imports", *modules]
        level = os.environ.get("NEWSGEN_MYPYC_OPT_LEVEL", "3")
        extensions = mypycify(options, opt_level=level, target_dir=str(work / "c"), group_name=GROUP)
        command = Distribution({"name": "newsgen", "ext_modules": extensions}).get_command_obj("build_ext")
        command.build_lib = str(work / "lib")
        command.build_temp = str(work / "temp")
        command.ensure_finalized()
        command.run()
    finally:
        os.chdir(here)
    lib = work / "lib"
    return {str(path): path.relative_to(lib).as_posix() for path in sorted(lib.rglob("*.so"))}
