"""A real editor as the client: headless Neovim's built-in LSP client against ``stackmap lsp``.

Skipped when ``nvim`` is missing (``make neovim`` installs Debian's package), except in CI
(``CI=true``), where it fails instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CRM = "systems:\n  - id: crm\n    name: CRM\n    owner: sales\n  - id: esp\n    name: Email\n    owner: marketing\n"
FLOWS = "flows:\n  - from: crm\n    to: espp\n    data: [contact]\n"

# Works with Neovim 0.7.2 (Debian 12) and later releases: each call is chosen by what this Neovim has, not
# by its version number. vim.lsp.start (0.8 and later) starts the client and attaches it to the current
# buffer; 0.7 has only start_client + buf_attach_client, and start_client is deprecated from 0.11 on.
# An error in the script and every message Neovim showed (a deprecation warning) are written out too,
# and Neovim always quits: the test expects none of them.
SCRIPT = """\
local out = {}
local config = {
  name = "stackmap",
  cmd = {vim.env.STACKMAP_PYTHON, "-m", "stackmap", "lsp"},
  root_dir = vim.fn.getcwd(),
}
local ok, err = pcall(function()
  vim.cmd("edit inv/flows.yaml")
  if vim.lsp.start ~= nil then
    assert(vim.lsp.start(config), "vim.lsp.start started no client")
  else
    vim.lsp.buf_attach_client(0, vim.lsp.start_client(config))
  end
  vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50)
  for _, d in ipairs(vim.diagnostic.get(0)) do
    table.insert(out, string.format("diagnostic %d:%d %s", d.lnum + 1, d.col + 1, d.message))
  end
  vim.api.nvim_win_set_cursor(0, {2, 10})
  vim.lsp.buf.definition()
  vim.wait(15000, function() return vim.fn.expand("%:t") == "crm.yaml" end, 50)
  local pos = vim.api.nvim_win_get_cursor(0)
  table.insert(out, string.format("definition %s:%d:%d", vim.fn.expand("%:."), pos[1], pos[2] + 1))
end)
if not ok then table.insert(out, "error " .. tostring(err)) end
for _, line in ipairs(vim.split(vim.fn.execute("messages"), "\\n")) do
  if line ~= "" then table.insert(out, "message " .. line) end
end
vim.fn.writefile(out, vim.env.STACKMAP_NVIM_OUT)
vim.cmd("qall!")
"""


def test_neovim_receives_diagnostics_and_jumps_to_a_definition(tmp_path: Path) -> None:
    nvim = shutil.which("nvim")
    if nvim is None:
        reason = "the Neovim test needs nvim (make neovim, or apt-get install neovim)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}: it must run in CI (CI=true)", pytrace=False)
        pytest.skip(reason)
    (tmp_path / "inv").mkdir()
    (tmp_path / "inv" / "crm.yaml").write_text(CRM, encoding="utf-8")
    (tmp_path / "inv" / "flows.yaml").write_text(FLOWS, encoding="utf-8")
    (tmp_path / "test.lua").write_text(SCRIPT, encoding="utf-8")
    out = tmp_path / "out.txt"
    env = {**os.environ, "STACKMAP_PYTHON": sys.executable, "STACKMAP_NVIM_OUT": str(out)}
    subprocess.run([nvim, "--headless", "--clean", "-c", "luafile test.lua"], cwd=tmp_path, env=env,
                   timeout=120, check=True, capture_output=True)
    assert out.read_text(encoding="utf-8").splitlines() == [
        "diagnostic 3:9 flows[0].to: no system has the id 'espp' (did you mean 'esp'?)",
        "definition inv/crm.yaml:2:9",
    ]
