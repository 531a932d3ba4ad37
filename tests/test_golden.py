"""The sample site, built whole, compared byte for byte with tests/golden/sample/.

After an intended change to output, refresh with: python -m pytest tests/test_golden.py --update-golden
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from trees import tree

from newsgen.pipeline import BuildReport

GOLDEN = Path(__file__).resolve().parent / "golden" / "sample"


def test_sample_site_matches_golden(sample_site: tuple[Path, BuildReport], request: pytest.FixtureRequest) -> None:
    out, report = sample_site
    assert not report.rejected
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN)
    built, golden = tree(out), tree(GOLDEN)
    assert sorted(built) == sorted(golden), "files differ; run with --update-golden if the change is intended"
    for name, data in built.items():
        assert data == golden[name], f"{name} differs from tests/golden/sample/{name}"
