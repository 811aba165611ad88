"""Binder's environment.yml and the pip pins in pyproject.toml must list the same packages and versions."""

import json
import re
import tomllib

import yaml

from conftest import ROOT


def _pins(lines):
    pins = {}
    for line in lines:
        name, _, version = line.partition("==")
        assert version, f"'{line}' is not pinned with == (every dependency must be)"
        pins[re.sub(r"[-_.]+", "-", name.strip().lower())] = version.strip()
    return pins


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _environment():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_lists = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip_lists) == 1, "environment.yml must have exactly one pip: section"
    return env, pip_lists[0]


def test_runtime_pins_match_environment_yml():
    _, pip_list = _environment()
    assert _pins(pip_list) == _pins(_pyproject()["dependencies"])


def test_named_packages_are_pinned():
    pins = _pins(_pyproject()["dependencies"])
    for name in ("jupyterlab", "ipywidgets", "pandas", "plotly", "anywidget", "numpy"):
        assert name in pins, f"{name} must be a pinned dependency"
    test_pins = _pins(_pyproject()["optional-dependencies"]["test"])
    assert {"pytest", "nbval"} <= set(test_pins)


def test_python_version_agrees():
    env, _ = _environment()
    conda_python = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert conda_python, "environment.yml must pin python"
    version = conda_python[0].split("=")[-1]
    minimum = _pyproject()["requires-python"].removeprefix(">=")
    assert tuple(map(int, version.split("."))) >= tuple(map(int, minimum.split("."))), (version, minimum)


def test_postbuild_installs_helpers():
    script = (ROOT / "postBuild").read_text()
    assert "pip install" in script and "-e ." in script


def test_lab_settings_reach_the_venv_and_binder():
    """One file of JupyterLab defaults, copied by the Makefile (make lab / test / bench) and by Binder's postBuild."""
    settings = json.loads((ROOT / "lab-overrides.json").read_text())
    status = settings["@jupyterlab/notebook-extension:tracker"]["kernelStatus"]
    assert status["showOnStatusBar"] is True and status["showProgress"] is True
    assert settings["@jupyterlab/apputils-extension:notification"]["checkForUpdates"] is False
    assert "cp lab-overrides.json $@" in (ROOT / "Makefile").read_text()
    assert re.search(r'cp lab-overrides\.json "\$settings/overrides\.json"', (ROOT / "postBuild").read_text())
