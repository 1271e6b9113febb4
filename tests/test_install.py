"""The documented install recipe works: build the wheel, install it in a clean venv with the locked
runtime dependencies (requirements.txt, hash-checked), and run the installed command.

This is what README.md and docs/ci.md tell users to do, so it is tested like code. Only the CLI is
exercised, never paths inside the package: the commands that read package data (the shipped default
configuration, the report's assets) fail if the wheel left it out.

The wheel is built with the test venv's setuptools (locked in requirements-test.txt) and no build
isolation, so building fetches nothing; installing the dependencies uses pip's cache or the index.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# What a build reads: the project file, the readme it names and the package. Building from a copy
# keeps setuptools' build/ and *.egg-info out of the work tree, and a stale build/ (from before a
# module moved, say) out of the wheel.
BUILD_INPUTS = ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in", "setup.cfg", "setup.py")
TIMEOUT = 300


def _run(args: Sequence[str | Path], cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT
    )
    if check and result.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, args))} exited {result.returncode}\n"
            f"stdout:\n{result.stdout[-4000:]}\nstderr:\n{result.stderr[-4000:]}"
        )
    return result


def _project_version() -> str:
    with open(REPO / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["version"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in BUILD_INPUTS:
        if (REPO / name).exists():
            shutil.copy2(REPO / name, src / name)
    shutil.copytree(REPO / "stackmap", src / "stackmap", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
          "-w", dist, src], cwd=tmp)
    wheels = list(dist.glob("stackmap-*.whl"))
    assert len(wheels) == 1, wheels
    assert wheels[0].name == f"stackmap-{_project_version()}-py3-none-any.whl"
    return wheels[0]


@pytest.fixture(scope="module")
def venv_bin(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("venv") / "venv"
    base_python = getattr(sys, "_base_executable", sys.executable)
    _run([base_python, "-m", "venv", venv], cwd=venv.parent)
    python = venv / "bin" / "python"
    _run([python, "-m", "pip", "install", "--quiet", "--require-hashes", "-r", REPO / "requirements.txt"],
         cwd=venv.parent)
    _run([python, "-m", "pip", "install", "--quiet", "--no-deps", wheel], cwd=venv.parent)
    return venv / "bin"


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A folder outside the repository with a copy of the sample inventory."""
    shutil.copytree(REPO / "inventories", tmp_path / "inventories")
    return tmp_path


def test_the_installed_package_is_the_wheel_not_the_work_tree(venv_bin: Path, workdir: Path) -> None:
    out = _run([venv_bin / "python", "-c", "import stackmap; print(stackmap.__file__)"], cwd=workdir).stdout
    assert Path(out.strip()).resolve().is_relative_to(venv_bin.parent.resolve())


def test_version(venv_bin: Path, workdir: Path) -> None:
    result = _run([venv_bin / "stackmap", "--version"], cwd=workdir)
    assert result.stdout.strip() == f"stackmap {_project_version()}"


def test_check_the_sample(venv_bin: Path, workdir: Path) -> None:
    result = _run([venv_bin / "stackmap", "check", "inventories/", "--fail-on", "never"], cwd=workdir)
    assert result.returncode == 0
    assert re.search(r"inventories/\S+\.yaml:\d+:\d+: .* \[customer-data-silo\]", result.stdout), result.stdout
    assert re.search(r"^\d+ systems, \d+ flows in \d+ files: \d+ errors?, ", result.stdout, re.M), result.stdout
    # The default fail level is error, and the sample has error-level findings.
    assert _run([venv_bin / "stackmap", "check", "inventories/"], cwd=workdir, check=False).returncode == 1


def test_the_default_configuration_is_shipped(venv_bin: Path, workdir: Path) -> None:
    result = _run([venv_bin / "stackmap", "config", "--default"], cwd=workdir)
    assert "stackmap configuration" in result.stdout
    assert re.search(r"^paths:", result.stdout, re.M), result.stdout


def test_report_assets_are_shipped(venv_bin: Path, workdir: Path) -> None:
    if shutil.which("dot") is None:
        pytest.skip("Graphviz (dot) is not installed")
    _run([venv_bin / "stackmap", "report", "inventories/", "-o", "out"], cwd=workdir)
    page = (workdir / "out" / "index.html").read_text(encoding="utf-8")
    assert "<script" in page and "<style" in page
    assert (workdir / "out" / "report.md").read_text(encoding="utf-8").strip()
