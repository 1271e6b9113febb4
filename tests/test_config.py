"""`.stackmap.yaml`: discovery, strictness, what each setting does, the shipped default."""

import json
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parent))
from ci_helpers import init_repo, run
from helpers import write

from stackmap.analysis.config import DEFAULT_CONFIG, Config, effective
from stackmap.analysis.config_file import find_upward, load_config, parse_config
from stackmap.analysis.engine import analyse
from stackmap.errors import ConfigError
from stackmap.analysis.options import Options
from stackmap.load.inventory import load_inventory
from stackmap.analysis.rules import RULES

DUPLICATES = """
    systems:
      - {owner: team, it_reviewed: true, id: crm, name: CRM, roles: [customer-master], data: [contact], capabilities: [email]}
      - {owner: team, it_reviewed: true, id: mail, name: Mail, data: [contact], capabilities: [email]}
    flows:
      - {from: mail, to: crm, data: [contact]}
"""


def test_found_upward_but_not_above_the_git_root(tmp_path):
    write(tmp_path, {".stackmap.yaml": "fail_on: never\n"})
    repo = init_repo(tmp_path / "repo")
    write(repo, {"inv/deep/stack.yaml": DUPLICATES})
    assert find_upward(".stackmap.yaml", repo / "inv" / "deep" / "stack.yaml") is None
    write(repo, {".stackmap.yaml": "fail_on: warning\n"})
    found = find_upward(".stackmap.yaml", repo / "inv" / "deep" / "stack.yaml")
    assert found == repo / ".stackmap.yaml"
    assert load_config(None, repo / "inv" / "deep").fail_on == "warning"


def test_unknown_rule_names_it_and_the_valid_choices(tmp_path):
    write(tmp_path, {"c.yaml": "rules:\n  isolated-sytem: off\n"})
    with pytest.raises(ConfigError) as err:
        parse_config(tmp_path / "c.yaml")
    message = str(err.value)
    assert "c.yaml:2:3: rules.isolated-sytem: unknown key 'isolated-sytem' (did you mean 'isolated-system'?)" in message
    assert f"valid keys: {', '.join(RULES)}" in message


@pytest.mark.parametrize("text, expected", [
    ("options:\n  record_role: [x]\n", "c.yaml:2:3: options.record_role: unknown key 'record_role' "
                                       "(did you mean 'record_roles'?); valid keys: record_roles, non_exclusive"),
    ("fail_on: warnig\n", "c.yaml:1:10: fail_on: 'warnig' is not a fail level (did you mean 'warning'?); "
                        "choose one of error, warning, info, never"),
    ("rules:\n  isolated-system: {severity: fatal}\n",
     "c.yaml:2:31: rules.isolated-system.severity: 'fatal' is not a severity; choose one of error, warning, info"),
    ("rules:\n  isolated-system: {level: info}\n", "c.yaml:2:21: rules.isolated-system.level: unknown key 'level'"),
    ("colour: red\n", "c.yaml:1:1: colour: unknown key 'colour'; valid keys: paths, exclude, fail_on"),
    ("exclude: [1]\n", "c.yaml:1:10: exclude: expected a list of strings"),
    ("fail_on: error\nfail_on: never\n", "c.yaml:2:1: duplicate key 'fail_on'"),
    ("- a\n", "c.yaml:1:1: the configuration must be a mapping"),
])
def test_bad_configuration_is_an_error_at_its_line(tmp_path, text, expected):
    write(tmp_path, {"c.yaml": text})
    with pytest.raises(ConfigError) as err:
        parse_config(tmp_path / "c.yaml")
    assert expected in str(err.value)


def test_rule_settings_and_options_change_the_findings(tmp_path):
    write(tmp_path, {"stack.yaml": DUPLICATES, "c.yaml": """
        rules:
          duplicate-capability: error
          isolated-system: off
          customer-data-unsynced: {enabled: false}
        options:
          record_roles: [customer-master]
    """})
    config = parse_config(tmp_path / "c.yaml")
    assert config.options == Options(record_roles=("customer-master",))
    inventory = load_inventory([tmp_path / "stack.yaml"])
    found = [(f.rule, f.severity.value) for f in analyse(inventory, config).findings]
    assert found == [("duplicate-capability", "error")]
    without_record = [f.rule for f in analyse(inventory, Config()).findings]
    assert "no-system-of-record" in without_record

    write(tmp_path, {"c2.yaml": "options:\n  non_exclusive: [email]\n  record_roles: [customer-master]\n"})
    assert [f.rule for f in analyse(inventory, parse_config(tmp_path / "c2.yaml")).findings] == []


def test_shipped_default_is_the_built_in_default_and_lists_every_rule():
    shipped = parse_config(DEFAULT_CONFIG)
    assert effective(shipped) == effective(Config())
    written = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    assert list(written["rules"]) == sorted(RULES), (
        "stackmap/default-config.yaml must list every rule with its default severity"
    )


def test_config_command_prints_the_effective_configuration(tmp_path):
    write(tmp_path, {".stackmap.yaml": "paths: [inv]\nrules:\n  isolated-system: info\n",
                     "inv/stack.yaml": DUPLICATES})
    done = run(["config", "-f", "json"], tmp_path)
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["sources"] == [".stackmap.yaml"]
    assert doc["paths"] == ["inv"]
    assert doc["rules"]["isolated-system"] == {"enabled": True, "severity": "info"}
    assert doc["rules"]["customer-data-silo"] == {"enabled": True, "severity": "error"}
    text = run(["config"], tmp_path).stdout
    assert text.startswith("# effective configuration from: .stackmap.yaml\npaths: [inv]\n")
    assert run(["config", "--default"], tmp_path).stdout == DEFAULT_CONFIG.read_text(encoding="utf-8")


def test_check_uses_configured_paths_and_fail_level(tmp_path):
    write(tmp_path, {".stackmap.yaml": "paths: [inv]\nfail_on: warning\n", "inv/stack.yaml": DUPLICATES})
    done = run(["check"], tmp_path)
    assert done.returncode == 1
    assert "(fails at --fail-on warning)" in done.stdout
    assert run(["check", "--fail-on", "never"], tmp_path).returncode == 0


def test_bad_configuration_exits_2(tmp_path):
    write(tmp_path, {".stackmap.yaml": "rules: {nope: off}\n", "stack.yaml": DUPLICATES})
    done = run(["check", "stack.yaml"], tmp_path)
    assert done.returncode == 2
    assert "stackmap: invalid configuration:\n  .stackmap.yaml:1:9: rules.nope: unknown key 'nope'" in done.stderr
    assert run(["check", "stack.yaml", "--config", "missing.yaml"], tmp_path).returncode == 2


def test_no_path_and_no_configured_paths_is_a_usage_error(tmp_path):
    done = run(["check"], tmp_path)
    assert done.returncode == 2
    assert "no inventory path given: pass PATH... or set `paths` in .stackmap.yaml" in done.stderr


def test_number_options_are_checked(tmp_path):
    write(tmp_path, {"c.yaml": "options:\n  sprawl_ratio: 2\n  sprawl_connections: 7\n"})
    options = parse_config(tmp_path / "c.yaml").options
    assert (options.sprawl_ratio, options.sprawl_connections) == (2, 7)
    write(tmp_path, {"c.yaml": "options:\n  sprawl_connections: 1.5\n  sprawl_ratio: yes\n"})
    with pytest.raises(ConfigError) as err:
        parse_config(tmp_path / "c.yaml")
    assert "c.yaml:2:23: options.sprawl_connections: expected a whole number of 0 or more" in str(err.value)
    assert "c.yaml:3:17: options.sprawl_ratio: expected a finite number of 0 or more" in str(err.value)
