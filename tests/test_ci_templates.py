"""The GitHub Action (`action.yml`) and the GitLab CI template run clusterkit as documented.

Both files are read as YAML and their shell scripts are run with bash, as the CI
services would run them, with `python` and `clusterkit` replaced on the PATH by
stand-ins: `python` records the pip command, `clusterkit` records its arguments and
runs the real command line of the clusterkit under test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml

import clusterkit as ck
from clusterkit import cli

ROOT = Path(__file__).parents[1]
ACTION = ROOT / "action.yml"
GITLAB = ROOT / "ci" / "gitlab" / "clusterkit.gitlab-ci.yml"
HOW_TO = ROOT / "docs" / "how-to" / "validate-in-ci.md"
EXAMPLE = ck.io.example_path()
INVALID = Path(__file__).parent / "data" / "invalid" / "CK-FK-001"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
BASH = shutil.which("bash")

needs_bash = pytest.mark.skipif(BASH is None, reason="the scripts are bash scripts")


def load(path: Path) -> dict[str, Any]:
    """A YAML file as a mapping."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@dataclass
class Run:
    """What a script did: its exit code, output, pip command and clusterkit calls."""

    code: int
    stdout: str
    pip: list[str]
    calls: list[list[str]]


def stand_ins(folder: Path) -> Path:
    """A folder of `python` and `clusterkit` stand-ins, to put first on the PATH."""
    bin_folder = folder / "bin"
    bin_folder.mkdir()
    python = bin_folder / "python"
    python.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$PIP_RECORD"\n')
    source = Path(ck.__file__).parents[1]
    clusterkit = bin_folder / "clusterkit"
    clusterkit.write_text(
        f"#!{sys.executable}\n"
        "import json, os, sys\n"
        "with open(os.environ['CALLS_RECORD'], 'a') as calls:\n"
        "    calls.write(json.dumps(sys.argv[1:]) + '\\n')\n"
        f"sys.path.insert(0, {str(source)!r})\n"
        "from clusterkit.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    for path in (python, clusterkit):
        path.chmod(0o755)
    return bin_folder


def run_script(script: str, env: dict[str, str], folder: Path) -> Run:
    """Run a script with bash -e in `folder`, as a CI step, with the stand-ins."""
    assert BASH is not None
    pip_record, calls_record = folder / "pip.txt", folder / "calls.jsonl"
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GITHUB_", "CI"))
    }
    environment |= env | {
        "PATH": f"{stand_ins(folder)}{os.pathsep}{os.environ['PATH']}",
        "PIP_RECORD": str(pip_record),
        "CALLS_RECORD": str(calls_record),
    }
    done = subprocess.run(
        [BASH, "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    pip = pip_record.read_text().splitlines() if pip_record.exists() else []
    calls = (
        [json.loads(line) for line in calls_record.read_text().splitlines()]
        if calls_record.exists()
        else []
    )
    return Run(done.returncode, done.stdout, pip, calls)


def formats(argv: list[str]) -> list[list[str | None]]:
    """The outputs a `clusterkit` command line asks for, parsed by clusterkit itself."""
    args = cli._parser().parse_args(argv)
    assert args.command == "validate"
    return [list(output) for output in args.outputs]


class TestAction:
    """`action.yml`, the composite GitHub Action."""

    action = load(ACTION)
    steps: list[dict[str, Any]] = action["runs"]["steps"]

    def step(self, name: str) -> dict[str, Any]:
        """The step with this name."""
        (found,) = [step for step in self.steps if step.get("name") == name]
        return found

    def step_env(
        self, name: str, inputs: dict[str, str], **context: str
    ) -> dict[str, str]:
        """A step's `env:`, its expressions evaluated with these inputs."""
        declared = self.action["inputs"]
        values = {
            f"inputs.{key}": str(spec["default"]) for key, spec in declared.items()
        }
        values |= {f"inputs.{key}": value for key, value in inputs.items()}
        values |= {
            "github.action_ref": "",
            "github.action_path": "/runner/_actions/clusterkit/clusterkit/main",
        }
        values |= {key.replace("_", ".", 1): value for key, value in context.items()}
        return {
            key: EXPRESSION.sub(lambda match: values[match[1]], str(value))
            for key, value in self.step(name)["env"].items()
        }

    def test_is_a_composite_action(self) -> None:
        """A composite action: Python set up, clusterkit installed, run, uploaded."""
        assert self.action["runs"]["using"] == "composite"
        assert [step.get("uses", "").split("@")[0] for step in self.steps] == [
            "actions/setup-python",
            "",
            "",
            "github/codeql-action/upload-sarif",
            "actions/upload-artifact",
        ]
        assert all(step["shell"] == "bash" for step in self.steps if "run" in step)

    def test_inputs_used_are_declared(self) -> None:
        """Every `inputs.NAME` the steps use is declared, with a description and a default."""
        used = set(re.findall(r"inputs\.([\w-]+)", ACTION.read_text(encoding="utf-8")))
        declared = self.action["inputs"]
        assert used == set(declared)
        for spec in declared.values():
            assert spec["description"]
            assert spec["required"] is False
            assert isinstance(spec["default"], str)
        assert declared["sarif"]["default"] == "true"
        for output in self.action["outputs"].values():
            assert output["value"].startswith("${{ steps.validate.outputs.")

    def test_scripts_get_inputs_through_the_environment(self) -> None:
        """No expression inside a script, where an input could inject shell code."""
        for step in self.steps:
            assert "${{" not in step.get("run", "")

    def test_uploads_run_when_the_validation_fails(self) -> None:
        """Both uploads run after a failed step, unless the run is cancelled."""
        sarif = self.step("Upload to code scanning")
        junit = self.step("Keep the JUnit report")
        for step in (sarif, junit):
            assert step["if"].startswith("${{ !cancelled() && ")
        assert "steps.validate.outputs.sarif-file" in sarif["if"]
        assert sarif["with"]["sarif_file"] == "${{ steps.validate.outputs.sarif-file }}"
        assert "steps.validate.outputs.junit-file" in junit["if"]
        assert junit["with"]["path"] == "${{ steps.validate.outputs.junit-file }}"
        # The last steps are the uploads: the job fails with the validation step.
        assert self.steps[-2:] == [sarif, junit]

    @needs_bash
    @pytest.mark.parametrize(
        ("inputs", "context", "requirement"),
        [
            ({}, {}, "clusterkit-eu"),
            ({"version": "0.2.0"}, {}, "clusterkit-eu==0.2.0"),
            ({}, {"github_action_ref": "v0.3.1"}, "clusterkit-eu==0.3.1"),
            (
                {},
                {
                    "github_action_path": "/runner/_actions/clusterkit/clusterkit/v1.0.0rc1"
                },
                "clusterkit-eu==1.0.0rc1",
            ),
            ({"version": "latest"}, {"github_action_ref": "v0.3.1"}, "clusterkit-eu"),
            (
                {"version": "0.2.0", "extras": "excel"},
                {},
                "clusterkit-eu[excel]==0.2.0",
            ),
        ],
    )
    def test_install(
        self,
        tmp_path: Path,
        inputs: dict[str, str],
        context: dict[str, str],
        requirement: str,
    ) -> None:
        """The version given, else the action's release tag, else the latest release."""
        step = self.step("Install clusterkit-eu")
        env = self.step_env(step["name"], inputs, **context)
        done = run_script(step["run"], env, tmp_path)
        assert done.code == 0
        assert done.pip[:3] == ["-m", "pip", "install"]
        assert done.pip[-1] == requirement
        assert done.calls == [["--version"]]
        assert ("::notice" in done.stdout) == (
            inputs.get("version", "") == "" and "==" not in requirement
        )

    @needs_bash
    @pytest.mark.parametrize(
        ("inputs", "code", "outputs", "written"),
        [
            (
                {"paths": str(EXAMPLE), "args": "--as-of 2026-01-01"},
                0,
                [
                    ["text", None],
                    ["sarif", "{temp}/clusterkit.sarif"],
                    ["junit", "clusterkit.junit.xml"],
                ],
                [
                    "sarif-file={temp}/clusterkit.sarif",
                    "junit-file=clusterkit.junit.xml",
                ],
            ),
            (
                {"paths": f"{EXAMPLE} {INVALID}", "junit": "reports/ck.xml"},
                1,
                [
                    ["text", None],
                    ["sarif", "{temp}/clusterkit.sarif"],
                    ["junit", "reports/ck.xml"],
                ],
                ["sarif-file={temp}/clusterkit.sarif", "junit-file=reports/ck.xml"],
            ),
            (
                {"paths": str(INVALID), "sarif": "false", "junit": ""},
                1,
                [["text", None], ["github", None]],
                [],
            ),
            (
                {"paths": str(INVALID), "args": "--fail-on never --ignore CK-FK"},
                0,
                [
                    ["text", None],
                    ["sarif", "{temp}/clusterkit.sarif"],
                    ["junit", "clusterkit.junit.xml"],
                ],
                [
                    "sarif-file={temp}/clusterkit.sarif",
                    "junit-file=clusterkit.junit.xml",
                ],
            ),
        ],
        ids=["valid", "invalid", "annotations", "args"],
    )
    def test_validate(
        self,
        tmp_path: Path,
        inputs: dict[str, str],
        code: int,
        outputs: list[list[str | None]],
        written: list[str],
    ) -> None:
        """One run writes the reports, names them as outputs and fails on errors."""
        (tmp_path / "reports").mkdir()
        temp = tmp_path / "runner-temp"
        temp.mkdir()
        github_output, summary = tmp_path / "output.txt", tmp_path / "summary.md"
        github_output.touch()
        step = self.step("Validate")
        env = self.step_env(step["name"], inputs, runner_temp=str(temp))
        env |= {
            "GITHUB_ACTIONS": "true",
            "GITHUB_OUTPUT": str(github_output),
            "GITHUB_STEP_SUMMARY": str(summary),
        }
        done = run_script(step["run"], env, tmp_path)
        assert done.code == code
        ((command, *argv),) = done.calls
        assert command == "validate"
        expected = [
            [name, None if path is None else path.format(temp=temp)]
            for name, path in outputs
        ]
        assert formats([command, *argv]) == expected
        assert github_output.read_text().splitlines() == [
            line.format(temp=temp) for line in written
        ]
        for name, path in expected:
            if path is not None:
                assert (tmp_path / path).stat().st_size > 0, name
        assert "clusterkit validate" in summary.read_text(encoding="utf-8")

    @needs_bash
    def test_no_report_after_a_usage_error(self, tmp_path: Path) -> None:
        """A usage error fails the step and names no report, so nothing is uploaded."""
        github_output = tmp_path / "output.txt"
        github_output.touch()
        step = self.step("Validate")
        env = self.step_env(
            step["name"], {"args": "--no-such-option"}, runner_temp=str(tmp_path)
        )
        done = run_script(
            step["run"], env | {"GITHUB_OUTPUT": str(github_output)}, tmp_path
        )
        assert done.code == 2
        assert github_output.read_text() == ""

    @needs_bash
    def test_no_report_when_one_output_cannot_be_written(self, tmp_path: Path) -> None:
        """A JUnit report that cannot be written leaves the SARIF file unwritten too."""
        github_output = tmp_path / "output.txt"
        github_output.touch()
        step = self.step("Validate")
        env = self.step_env(
            step["name"],
            {"paths": str(EXAMPLE), "junit": "missing-dir/x.xml"},
            runner_temp=str(tmp_path),
        )
        done = run_script(
            step["run"], env | {"GITHUB_OUTPUT": str(github_output)}, tmp_path
        )
        assert done.code == 2
        assert not (tmp_path / "clusterkit.sarif").exists()
        assert github_output.read_text() == ""

    @needs_bash
    def test_paths_are_not_globbed(self, tmp_path: Path) -> None:
        """`data/*` reaches clusterkit as written, not as one path per file."""
        shutil.copytree(EXAMPLE, tmp_path / "data")
        github_output = tmp_path / "output.txt"
        github_output.touch()
        step = self.step("Validate")
        env = self.step_env(
            step["name"], {"paths": "data/*", "junit": ""}, runner_temp=str(tmp_path)
        )
        done = run_script(
            step["run"], env | {"GITHUB_OUTPUT": str(github_output)}, tmp_path
        )
        ((command, *argv),) = done.calls
        assert (command, argv[0], argv[1]) == ("validate", "data/*", "--format")


class TestGitLabTemplate:
    """`ci/gitlab/clusterkit.gitlab-ci.yml`, to include in a `.gitlab-ci.yml`."""

    template = load(GITLAB)
    job: dict[str, Any] = template[".clusterkit-validate"]

    def test_job_extends_the_hidden_job(self) -> None:
        """The job runs the hidden job, which users may extend instead."""
        assert self.template["clusterkit-validate"] == {
            "extends": ".clusterkit-validate"
        }
        assert self.job["image"].startswith("python:3.")

    def test_variables_used_are_declared(self) -> None:
        """Every CLUSTERKIT_ variable the script uses is declared, and no other."""
        used = set(re.findall(r"\bCLUSTERKIT_\w+", "\n".join(self.job["script"])))
        assert used == set(self.template["variables"])

    def test_junit_report_kept_on_failure(self) -> None:
        """The JUnit report is published when the job fails, which is when it matters."""
        artifacts = self.job["artifacts"]
        assert artifacts["when"] == "always"
        assert artifacts["reports"]["junit"] == "clusterkit.junit.xml"

    def run(self, tmp_path: Path, variables: dict[str, str]) -> Run:
        """The job's script, with the template's variables and these."""
        env = {key: str(value) for key, value in self.template["variables"].items()}
        env |= {key: str(value) for key, value in self.job["variables"].items()}
        return run_script("\n".join(self.job["script"]), env | variables, tmp_path)

    @needs_bash
    @pytest.mark.parametrize(
        ("variables", "requirement"),
        [
            ({}, "clusterkit-eu"),
            ({"CLUSTERKIT_VERSION": "0.2.0"}, "clusterkit-eu==0.2.0"),
            (
                {"CLUSTERKIT_VERSION": "0.2.0", "CLUSTERKIT_EXTRAS": "excel"},
                "clusterkit-eu[excel]==0.2.0",
            ),
        ],
    )
    def test_install(
        self, tmp_path: Path, variables: dict[str, str], requirement: str
    ) -> None:
        """The version given, or the latest release, with the extras given."""
        done = self.run(tmp_path, {"CLUSTERKIT_PATHS": str(EXAMPLE), **variables})
        assert done.pip[-1] == requirement

    @needs_bash
    @pytest.mark.parametrize(
        ("paths", "args", "code"),
        [(str(EXAMPLE), "--as-of 2026-01-01", 0), (f"{EXAMPLE} {INVALID}", "", 1)],
    )
    def test_validate(self, tmp_path: Path, paths: str, args: str, code: int) -> None:
        """One run writes the text and the JUnit report, and fails on errors."""
        done = self.run(tmp_path, {"CLUSTERKIT_PATHS": paths, "CLUSTERKIT_ARGS": args})
        assert done.code == code
        (version, (command, *argv)) = done.calls
        assert version == ["--version"]
        assert formats([command, *argv]) == [
            ["text", None],
            ["junit", self.job["artifacts"]["reports"]["junit"]],
        ]
        report = tmp_path / "clusterkit.junit.xml"
        assert report.read_text(encoding="utf-8").startswith("<?xml")

    @needs_bash
    def test_paths_are_not_globbed(self, tmp_path: Path) -> None:
        """`data/*` reaches clusterkit as written, not as one path per file."""
        shutil.copytree(EXAMPLE, tmp_path / "data")
        done = self.run(tmp_path, {"CLUSTERKIT_PATHS": "data/*"})
        (_, (command, path, *_)) = done.calls
        assert (command, path) == ("validate", "data/*")


class TestHowTo:
    """`docs/how-to/validate-in-ci.md` uses the action and the template as they are."""

    page = HOW_TO.read_text(encoding="utf-8")
    blocks: ClassVar[list[Any]] = [
        yaml.safe_load(block)
        for block in re.findall(r"^```yaml\n(.*?)^```", page, re.DOTALL | re.MULTILINE)
    ]

    def table(self, heading: str) -> list[str]:
        """The first column of the table whose header row starts with `heading`."""
        rows = re.search(
            rf"^\| {heading} \|.*\n\|[-| ]+\|\n((?:\|.*\n)+)", self.page, re.MULTILINE
        )
        assert rows is not None
        return [row.split("`")[1] for row in rows[1].splitlines()]

    def test_workflows_give_the_action_its_inputs(self) -> None:
        """Each workflow that uses the action gives it only inputs it declares."""
        declared = load(ACTION)["inputs"]
        uses = [
            step
            for block in self.blocks
            if isinstance(block, dict) and "jobs" in block
            for job in block["jobs"].values()
            for step in job["steps"]
            if step.get("uses", "").startswith("clusterkit/clusterkit@v")
        ]
        assert uses
        for step in uses:
            assert set(step.get("with", {})) <= set(declared)

    def test_tables_list_every_input_and_variable(self) -> None:
        """The page's tables list the action's inputs and the template's variables."""
        assert self.table("input") == list(load(ACTION)["inputs"])
        assert self.table("variable") == list(load(GITLAB)["variables"])

    def test_gitlab_include_points_at_the_template(self) -> None:
        """The include's address names the template's path in the repository."""
        (include,) = [
            block["include"]
            for block in self.blocks
            if isinstance(block, dict) and "include" in block
        ]
        (remote,) = [entry["remote"] for entry in include]
        assert remote.endswith(f"/{GITLAB.relative_to(ROOT).as_posix()}")


@pytest.mark.parametrize("path", [ACTION, GITLAB], ids=lambda path: path.name)
def test_template_names_the_tests_that_check_it(path: Path) -> None:
    """The comment that says which tests check a template names this file."""
    named = re.findall(r"tests/test_\w+\.py", path.read_text(encoding="utf-8"))
    assert named == [Path(__file__).relative_to(ROOT).as_posix()]
