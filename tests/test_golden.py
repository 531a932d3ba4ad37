"""The sample site, built whole, compared byte for byte with tests/golden/sample/.

After an intended change to output, refresh with: python -m pytest tests/test_golden.py --update-golden
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newsgen.pipeline import BuildReport

GOLDEN = Path(__file__).resolve().parent / "golden" / "sample"


def _tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by POSIX path, with its bytes; Pagefind's index is left out.

    Pagefind names its filter files after hashes of an unordered map, so that folder is not byte-stable.
    """
    files = sorted(p for p in root.rglob("*") if p.is_file() and "pagefind" not in p.relative_to(root).parts[:1])
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in files}


def test_sample_site_matches_golden(sample_site: tuple[Path, BuildReport], request: pytest.FixtureRequest) -> None:
    out, report = sample_site
    assert not report.rejected
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN, ignore=lambda folder, names: ["pagefind"] if Path(folder) == out else [])
    built, golden = _tree(out), _tree(GOLDEN)
    assert sorted(built) == sorted(golden), "files differ; run with --update-golden if the change is intended"
    for name, data in built.items():
        assert data == golden[name], f"{name} differs from tests/golden/sample/{name}"
