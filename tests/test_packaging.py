"""An installed site-gen (a pre-commit hook in another repository) carries its templates."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import site_gen
from site_gen.build import options

from .conftest import ROOT


def test_every_template_file_ships_inside_the_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert config["package-dir"]["site_gen.templates"] == "templates"
    patterns = config["package-data"]
    missing = []
    for path in (ROOT / "templates").rglob("*"):
        if path.is_dir():
            continue
        relative = path.relative_to(ROOT / "templates")
        package = ".".join(("site_gen", "templates", *relative.parent.parts))
        shipped = package in config["packages"] and any(
            fnmatch.fnmatch(relative.name, pattern) for pattern in patterns.get(package, [])
        )
        if not shipped:
            missing.append(str(relative))
    assert missing == [], f"not in the wheel: {missing} (see [tool.setuptools] in pyproject)"


def test_installed_package_uses_its_own_copy_of_the_templates(monkeypatch, tmp_path):
    monkeypatch.setattr(options, "PROJECT_ROOT", tmp_path)  # no checkout around the package
    assert options.default_templates_dir() == Path(site_gen.__file__).resolve().parent / "templates"
    monkeypatch.setattr(options, "PROJECT_ROOT", ROOT)
    assert options.default_templates_dir() == ROOT / "templates"


def test_every_subpackage_of_site_gen_is_in_the_wheel():
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    code = ROOT / "site_gen"
    found = {
        ".".join(("site_gen", *init.parent.relative_to(code).parts))
        for init in code.rglob("__init__.py")
    }
    found |= {"site_gen.preview.devserver"}  # data only: the live-reload script and overlay
    assert found <= set(packages["packages"]), "list every subpackage in [tool.setuptools]"
