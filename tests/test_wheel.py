"""The default theme ships inside the wheel: install it into a fresh venv outside the repo and build."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import sysconfig
import venv
from dataclasses import dataclass
from pathlib import Path

import pytest
from trees import tree

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,)) -> str:
    # Without PYTHONPATH unless given: the venv must import newsgen from the wheel, not from a checkout.
    env = env or {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode in ok, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def running_site_packages() -> list[str]:
    """Where the interpreter running the tests finds its packages: a virtualenv's, or the system's and the user's."""
    found = site.getsitepackages()
    if site.ENABLE_USER_SITE:
        found.append(site.getusersitepackages())
    return [folder for folder in found if os.path.isdir(folder)]


@dataclass(frozen=True)
class Installed:
    """A wheel of this checkout, installed alone into a fresh venv whose python is ``python``."""

    wheel: Path
    python: Path
    venv: Path


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    tmp_path = tmp_path_factory.mktemp("wheel")
    dist = tmp_path / "dist"
    # mypyc's C compiled at -O0: the same C as a shipped wheel's (-O3), whose behaviour is what is tested here
    # (`pip wheel` 46 s instead of 76 s); the benchmarks time the -O3 build.
    quick = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"NEWSGEN_MYPYC_OPT_LEVEL": "0"}
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", dist, ROOT, cwd=tmp_path, env=quick)
    (wheel,) = dist.glob("newsgen-*.whl")
    venv.create(tmp_path / "venv")
    python = tmp_path / "venv" / ("Scripts" if sys.platform == "win32" else "bin") / "python"
    install = ["install", "--quiet", "--no-deps", "--no-index", wheel]
    run(sys.executable, "-m", "pip", "--python", python, *install, cwd=tmp_path)
    # newsgen only from the wheel; its dependencies from the environment running the tests, which the venv
    # searches after its own packages (path lines in a .pth: the folders' own .pth files, such as an
    # editable install of this checkout, are not run). system_site_packages would see the base
    # interpreter's packages, not those of the virtualenv the tests run in.
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path).strip()
    (Path(purelib) / "running-environment.pth").write_text("\n".join(running_site_packages()) + "\n", "utf-8")
    return Installed(wheel, python, tmp_path / "venv")


def test_wheel_carries_the_theme_and_builds_a_site(installed: Installed, tmp_path: Path) -> None:
    python = installed.python
    site_dir = tmp_path / "site"
    (site_dir / "content" / "desk").mkdir(parents=True)
    (site_dir / "content" / "desk" / "note.txt").write_text(
        "Wheel install test headline\n\n25 Jan 2018 10:00\n\nThe body of a test article.\n", encoding="utf-8"
    )
    where = run(
        python, "-c", "import newsgen.output.theme as t; print(t.__file__, t.default_theme_dir())", cwd=site_dir
    )
    module, theme = where.split()
    assert Path(module).is_relative_to(installed.venv), module
    assert Path(theme).is_relative_to(installed.venv), theme
    run(python, "-m", "newsgen", "build", cwd=site_dir)
    page = site_dir / "_site" / "2018" / "01" / "25" / "wheel-install-test-headline" / "index.html"
    assert "The body of a test article." in page.read_text(encoding="utf-8")
    assert (site_dir / "_site" / "assets" / "style.css").is_file()
    # The theme's catalogues are .po text in the wheel's theme, read as a build loads them.
    shipped = sorted(p.name for p in (Path(theme) / "locale").glob("*.po"))
    assert shipped == ["de.po", "en.po", "es.po", "fr.po", "ru.po"]
    (site_dir / "site.yaml").write_text("language: ru\n", encoding="utf-8")
    run(python, "-m", "newsgen", "build", cwd=site_dir)
    assert "25 января 2018" in page.read_text(encoding="utf-8")
    # The cleaner's line model is data in the package: the wheel carries it, and it loads from there.
    code = "import newsgen.cleaning.linemodel as m; print(m.MODEL_FILE, len(m.default_model().roots))"
    model_file, trees = run(python, "-c", code, cwd=site_dir).split()
    assert Path(model_file).is_relative_to(installed.venv) and int(trees) > 0
    # Typed, licensed: py.typed in the package, the licence and its SPDX expression in the metadata.
    assert (Path(module).parents[1] / "py.typed").is_file()
    meta = run(
        python, "-c", "import importlib.metadata as m; print(m.metadata('newsgen')['License-Expression'])", cwd=site_dir
    )
    assert meta.strip() == "MIT"


def c_compiler() -> str | None:
    """The C compiler extensions are built with here, if the machine has it."""
    command = (sysconfig.get_config_var("CC") or "cc").split()
    return shutil.which(command[0]) if command else None


def test_compiled_wheel_builds_the_same_sites_as_the_python_source(installed: Installed, tmp_path: Path) -> None:
    """The wheel's mypyc-compiled modules and the checkout's Python give byte-identical sites."""
    kind = run(installed.python, "-m", "newsgen", "--version", cwd=tmp_path).strip()
    if c_compiler() is None and not os.environ.get("CI"):
        pytest.skip(f"no C compiler: the wheel is pure Python ({kind})")
    assert kind.endswith("(compiled with mypyc)"), kind
    assert installed.wheel.name.startswith("newsgen-") and "-none-any" not in installed.wheel.name
    source = {**os.environ, "PYTHONPATH": str(ROOT)}
    assert run(sys.executable, "-m", "newsgen", "--version", cwd=tmp_path, env=source).endswith("(pure Python)\n")
    # The sample site: the compiled build against the golden copy that test_golden holds the Python build to.
    common = ["--config", ROOT / "site.yaml", "--templates", ROOT / "templates", "--content", ROOT / "content"]
    run(installed.python, "-m", "newsgen", "build", *common, "--output", tmp_path / "sample", cwd=tmp_path)
    assert tree(tmp_path / "sample") == tree(ROOT / "tests" / "golden" / "sample")
    # The real scraped corpus, imported and built by each: the cleaner, dates and headers on 204 real pages.
    csv = ROOT / "tests" / "fixtures" / "corpus" / "fakenews_sample_dev.csv"
    for name, python, env in (("compiled", installed.python, None), ("python", Path(sys.executable), source)):
        content, output = tmp_path / name / "content", tmp_path / name / "_site"
        run(python, "-m", "newsgen", "import", csv, "--content", content, cwd=tmp_path, env=env)
        run(
            python, "-m", "newsgen", "build", "--content", content, "--output", output, cwd=tmp_path, env=env, ok=(0, 2)
        )
    compiled, python_built = tree(tmp_path / "compiled" / "_site"), tree(tmp_path / "python" / "_site")
    assert len(compiled) > 200 and compiled == python_built
