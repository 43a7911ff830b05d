"""CI files (GitHub Actions, GitLab CI, pre-commit): they parse, their commands are the ones
the README documents, and those commands run green here on the sample, as CI would run them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT, SAMPLE_CONTENT

GITHUB = ROOT / ".github" / "workflows" / "site.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
README = (ROOT / "README.md").read_text(encoding="utf-8")
# run by `make` here (the same versions); the tests use the installed package
INSTALL = "pip install -c requirements.lock -e ."
PAGES_URLS = {  # what the hosts put in these variables
    "BASE_URL": "https://owner.github.io/annuaire",
    "CI_PAGES_URL": "https://group.gitlab.io/annuaire",
}


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def github_steps(job: str) -> list[dict]:
    return load(GITHUB)["jobs"][job]["steps"]


def github_commands(job: str) -> list[str]:
    return [step["run"] for step in github_steps(job) if "run" in step]


def gitlab_commands(job: str) -> list[str]:
    config = load(GITLAB)
    return [*config["before_script"], *config[job]["script"]]


ALL_COMMANDS = {
    "github check": github_commands("check"),
    "github deploy": github_commands("deploy"),
    "gitlab check": gitlab_commands("check"),
    "gitlab pages": gitlab_commands("pages"),
}


def test_github_workflow_checks_pull_requests_and_deploys_main_to_pages():
    workflow = load(GITHUB)
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    jobs = workflow["jobs"]
    assert jobs["check"]["if"] == "github.event_name == 'pull_request'"
    assert jobs["deploy"]["if"] == "github.event_name != 'pull_request'"
    assert (
        jobs["deploy"]["permissions"] | {"pages": "write", "id-token": "write"}
        == (jobs["deploy"]["permissions"])
    )
    assert "site-gen check --format github" in github_commands("check")

    steps = github_steps("deploy")
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    configure, build = (
        uses.index("actions/configure-pages"),
        next(i for i, s in enumerate(steps) if "--base-url" in s.get("run", "")),
    )
    assert configure < build < uses.index("actions/upload-pages-artifact")
    assert uses[-1] == "actions/deploy-pages"
    assert steps[configure]["id"] == "pages"
    assert steps[build]["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    uploaded = steps[uses.index("actions/upload-pages-artifact")]["with"]["path"]
    assert f"--output {uploaded} " in steps[build]["run"]


def test_gitlab_ci_checks_merge_requests_and_publishes_public_from_the_default_branch():
    config = load(GITLAB)
    assert config["check"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert config["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert config["pages"]["artifacts"]["paths"] == ["public"]
    assert 'site-gen build --output public --base-url "$CI_PAGES_URL"' in config["pages"]["script"]


@pytest.mark.parametrize("job", ALL_COMMANDS)
def test_ci_commands_are_the_ones_the_readme_documents(job):
    for command in ALL_COMMANDS[job]:
        assert f"\n{command}" in README, f"{job}: `{command}` is not in the README"


@pytest.mark.parametrize("job", ALL_COMMANDS)
def test_ci_commands_run_green_on_the_sample(job, tmp_path):
    shutil.copytree(SAMPLE_CONTENT, tmp_path / "content")
    bin_dir = Path(sys.executable).parent  # where `site-gen` is installed (see INSTALL)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", **PAGES_URLS}
    for command in ALL_COMMANDS[job]:
        if command == INSTALL:
            continue
        done = subprocess.run(
            command, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, f"{command}\n{done.stdout}{done.stderr}"
        assert "::error" not in done.stdout
    site = next(p for p in (tmp_path / "_site", tmp_path / "public") if p.exists())
    home = (site / "index.html").read_text(encoding="utf-8")
    if "--base-url" in " ".join(ALL_COMMANDS[job]):  # published: links under the sub-path
        assert 'href="/annuaire/acteurs/passages/"' in home
        assert '<link rel="canonical" href="https://' in home and '.io/annuaire/">' in home
    assert ALL_COMMANDS[job][0] == INSTALL


def test_pre_commit_hook_runs_check_on_content_changes():
    hooks = load(ROOT / ".pre-commit-hooks.yaml")
    assert len(hooks) == 1
    hook = hooks[0]
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    assert hook["files"] == "^content/"
    script, *args = hook["entry"].split()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts[script] == "site_gen.cli.commands:entry" and args == ["check"]
    assert "id: site-gen-check" in README
