"""The VS Code extension in editors/vscode starts `stackmap lsp`, with its tools pinned."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

EXTENSION = Path(__file__).parent.parent / "editors" / "vscode"


def test_the_extension_starts_stackmap_lsp_with_pinned_tools() -> None:
    manifest = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    assert manifest["contributes"]["configuration"]["properties"]["stackmap.command"]["default"] == [
        "stackmap", "lsp"]
    assert (EXTENSION / manifest["main"]).is_file()
    lock = json.loads((EXTENSION / "package-lock.json").read_text(encoding="utf-8"))
    for name, version in {**manifest["dependencies"], **manifest["devDependencies"]}.items():
        assert version[0].isdigit(), f"{name} is not pinned: {version}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


def test_the_extension_is_valid_javascript() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    subprocess.run([node, "--check", str(EXTENSION / "extension.js")], check=True, timeout=60)
