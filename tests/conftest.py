"""Shared fixtures: scratch sites written from strings, and the sample site built once."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
import suite_environment  # noqa: F401  (first: before newsgen is imported)
from hypothesis import settings

from newsgen.cli import main
from newsgen.config import SiteConfig, config_from_mapping
from newsgen.pipeline import BuildReport, build_site

# Property tests check behaviour, not speed (speed lives in benchmarks/): hypothesis's default 200 ms deadline
# an example would fail them on a machine busy with other work (CI, or the suite's own workers).
settings.register_profile("newsgen", deadline=None)
settings.load_profile("newsgen")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current build")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """No workers when the command names test files (the quick loop: starting workers costs more than it saves);
    otherwise (the whole suite, a folder) pytest-xdist's own count, one worker per core."""
    if all(Path(arg.split("::")[0]).is_file() for arg in config.args):
        return 0
    return None


# The files that take longest, started first: pytest-xdist hands out whole files in the order collected, and one of
# these collected last would run on one worker while the other stood idle (about 50 s of the suite's wall time).
SLOW_FIRST = ("test_wheel.py", "test_incremental.py", "test_site_changes.py", "test_browser.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: each file's own order kept


@pytest.fixture
def make_content(tmp_path: Path) -> Callable[[Mapping[str, str | bytes]], Path]:
    """Write files (dedented text or raw bytes) under tmp_path/content and return that folder."""

    def make(files: Mapping[str, str | bytes]) -> Path:
        content = tmp_path / "content"
        content.mkdir(exist_ok=True)
        for name, body in files.items():
            target = content / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(body, bytes):
                target.write_bytes(body)
            else:
                target.write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
        return content

    return make


@pytest.fixture
def build(tmp_path: Path) -> Callable[..., BuildReport]:
    """Build tmp_path/content into tmp_path/_site with optional settings."""

    def run(settings: Mapping[str, object] | None = None, **options: object) -> BuildReport:
        config = config_from_mapping(dict(settings or {}))
        return build_site(config, tmp_path / "content", tmp_path / "_site", **options)  # type: ignore[arg-type]

    return run


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """The repository's own sample site, built once per test session."""
    from newsgen.config import load_config

    out = tmp_path_factory.mktemp("sample") / "_site"
    report = build_site(load_config(ROOT / "site.yaml"), ROOT / "content", out, ROOT / "templates")
    return out, report


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """The shared corpus fixture imported with `newsgen import` and built: (folder, --report JSON)."""
    root = tmp_path_factory.mktemp("corpus")
    corpus = FIXTURES / "corpus" / "fakenews_sample_dev.csv"
    assert main(["import", str(corpus), "--content", str(root / "content")]) == 0
    status = main(
        ["build", "--content", str(root / "content"), "--output", str(root / "_site"), "--report", str(root / "r.json")]
    )
    assert status == 0  # built; the non-articles and duplicates are left out by name, which is no error
    return root, json.loads((root / "r.json").read_text(encoding="utf-8"))


def default_config() -> SiteConfig:
    return SiteConfig()
