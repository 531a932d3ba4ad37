"""The default theme ships inside the wheel: install it into a fresh venv outside the repo and build."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str | Path, cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # newsgen must come from the wheel alone
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_wheel_carries_the_theme_and_builds_a_site(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", dist, ROOT, cwd=tmp_path)
    (wheel,) = dist.glob("newsgen-*.whl")
    # Dependencies come from this interpreter; newsgen itself only from the wheel.
    venv.create(tmp_path / "venv", system_site_packages=True, with_pip=True)
    python = tmp_path / "venv" / ("Scripts" if sys.platform == "win32" else "bin") / "python"
    run(python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--force-reinstall", wheel, cwd=tmp_path)

    site = tmp_path / "site"
    (site / "content" / "desk").mkdir(parents=True)
    (site / "content" / "desk" / "note.txt").write_text(
        "Wheel install test headline\n\n25 Jan 2018 10:00\n\nThe body of a test article.\n", encoding="utf-8"
    )
    where = run(python, "-c", "import newsgen.render as r; print(r.__file__); print(r.default_theme_dir())", cwd=site)
    module, theme = where.split()
    assert Path(module).is_relative_to(tmp_path / "venv"), module
    assert Path(theme).is_relative_to(tmp_path / "venv"), theme
    run(python, "-m", "newsgen", "build", cwd=site)
    page = site / "_site" / "2018" / "01" / "25" / "wheel-install-test-headline" / "index.html"
    assert "The body of a test article." in page.read_text(encoding="utf-8")
    assert (site / "_site" / "assets" / "style.css").is_file()
