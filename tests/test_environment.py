"""Ranges in pyproject.toml, exact pins in constraints.txt (make) and environment.yml (Binder), and their agreement.

pyproject.toml gives compatible ranges, so that the helpers can be installed into an environment that already
has its own versions (a shared JupyterHub). constraints.txt pins every package `make` installs; environment.yml
repeats those pins for the packages Binder needs. Each check is a function returning what is wrong, shown
failing on a made-up mismatch below.
"""

import json
import re
import tomllib

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT

LAB_PACKAGES = {"jupyterlab", "voila", "jupyter-server-mathjax"}  # not imported by the notebooks: extras only
FOR_CONDA_USERS = {"nbval", "pytest"}  # so that an environment.yml user can validate the notebooks


def exact_pins(lines, source) -> dict[str, str]:
    """``name==version`` lines (comments and blank lines skipped) as {canonical name: version}."""
    pins = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!-]+)", line)
        assert match, f"{source}: '{line}' is not an exact pin (name==version)"
        name = canonicalize_name(match.group(1))
        assert name not in pins, f"{source}: {name} is pinned twice"
        pins[name] = match.group(2)
    return pins


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _project() -> dict:
    return _pyproject()["project"]


def _constraints() -> dict[str, str]:
    return exact_pins((ROOT / "constraints.txt").read_text().splitlines(), "constraints.txt")


def _environment():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_lists = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip_lists) == 1, "environment.yml must have exactly one pip: section"
    return env, exact_pins(pip_lists[0], "environment.yml")


def _all_requirements() -> dict[str, list[Requirement]]:
    """Every dependency of pyproject.toml by where it is listed: runtime, each extra, the build backend."""
    groups = {"dependencies": [Requirement(r) for r in _project()["dependencies"]]}
    for extra, reqs in _project()["optional-dependencies"].items():
        groups[f"extra '{extra}'"] = [Requirement(r) for r in reqs]
    groups["build-system"] = [Requirement(r) for r in _pyproject()["build-system"]["requires"]]
    return groups


# The checks: each returns a list of problems (empty when all is well).

def environment_disagreements(environment: dict[str, str], constraints: dict[str, str]) -> list[str]:
    return [f"environment.yml pins {name}=={version}, constraints.txt "
            + (f"pins {constraints[name]}" if name in constraints else "has no pin")
            for name, version in environment.items() if constraints.get(name) != version]


def unsatisfied_ranges(groups: dict[str, list[Requirement]], constraints: dict[str, str]) -> list[str]:
    problems = []
    for where, reqs in groups.items():
        for req in reqs:
            pin = constraints.get(canonicalize_name(req.name))
            if pin is None:
                problems.append(f"{req} ({where} in pyproject.toml) has no pin in constraints.txt")
            elif not req.specifier.contains(pin, prereleases=True):
                problems.append(f"{req} ({where} in pyproject.toml) does not admit its pin {pin} in constraints.txt")
    return problems


def missing_from_environment(runtime: list[Requirement], environment: dict[str, str]) -> list[str]:
    wanted = {canonicalize_name(r.name) for r in runtime} | FOR_CONDA_USERS
    return [f"environment.yml does not list {name}" for name in sorted(wanted - set(environment))]


# The repository passes them.

def test_environment_yml_pins_are_the_constraints():
    _, environment = _environment()
    assert environment_disagreements(environment, _constraints()) == []


def test_every_pyproject_range_admits_its_pin():
    assert unsatisfied_ranges(_all_requirements(), _constraints()) == []


def test_environment_yml_has_the_runtime_dependencies_nbval_and_pytest():
    _, environment = _environment()
    assert missing_from_environment(_all_requirements()["dependencies"], environment) == []


# And each check fails on a made-up mismatch.

def test_the_checks_catch_made_up_mismatches():
    constraints = {"plotly": "7.1.0", "pandas": "3.1.1", "nbval": "0.11.0", "pytest": "9.2.0"}
    assert environment_disagreements({"plotly": "7.1.0"}, constraints) == []
    assert environment_disagreements({"plotly": "7.2.0"}, constraints) == [
        "environment.yml pins plotly==7.2.0, constraints.txt pins 7.1.0"]
    assert environment_disagreements({"numpy": "2.4.6"}, constraints) == [
        "environment.yml pins numpy==2.4.6, constraints.txt has no pin"]

    runtime = [Requirement("plotly>=7.1.0,<7.2"), Requirement("pandas>=3.1,<4")]
    assert unsatisfied_ranges({"dependencies": runtime}, constraints) == []
    assert unsatisfied_ranges({"dependencies": runtime}, {**constraints, "plotly": "7.2.0"}) == [
        "plotly<7.2,>=7.1.0 (dependencies in pyproject.toml) does not admit its pin 7.2.0 in constraints.txt"]
    assert unsatisfied_ranges({"extra 'lab'": [Requirement("voila>=0.5")]}, constraints) == [
        "voila>=0.5 (extra 'lab' in pyproject.toml) has no pin in constraints.txt"]

    everything = {"plotly": "7.1.0", "pandas": "3.1.1", "nbval": "0.11.0", "pytest": "9.2.0"}
    assert missing_from_environment(runtime, everything) == []
    assert missing_from_environment(runtime, {"plotly": "7.1.0", "pytest": "9.2.0"}) == [
        "environment.yml does not list nbval", "environment.yml does not list pandas"]


def test_exact_pins_rejects_ranges_and_duplicates():
    assert exact_pins(["# comment", "", "Jupyter_Server==2.21.1  # why"], "x") == {"jupyter-server": "2.21.1"}
    with pytest.raises(AssertionError, match="not an exact pin"):
        exact_pins(["plotly>=7.1"], "x")
    with pytest.raises(AssertionError, match="pinned twice"):
        exact_pins(["plotly==7.1.0", "Plotly==7.1.0"], "x")


def test_dependencies_are_ranges_and_lab_is_an_extra():
    """Installing the helpers on a JupyterHub must not force the hub's JupyterLab, Voila or any exact version."""
    runtime = _all_requirements()["dependencies"]
    names = {canonicalize_name(r.name) for r in runtime}
    assert {"ipywidgets", "pandas", "plotly", "anywidget", "numpy"} <= names, names
    assert not names & LAB_PACKAGES, f"{names & LAB_PACKAGES} belong in an extra (the notebooks do not import them)"
    for req in runtime:
        assert req.specifier and not any(s.operator in ("==", "===") for s in req.specifier), (
            f"{req}: give a compatible range, the exact pin goes in constraints.txt")
        assert any(s.operator in ("<", "~=") for s in req.specifier), f"{req}: give an upper bound"
    extras = {canonicalize_name(r.name) for reqs in _project()["optional-dependencies"].values()
              for r in map(Requirement, reqs)}
    assert LAB_PACKAGES <= extras and FOR_CONDA_USERS <= extras


def test_plotly_is_held_to_the_tested_minor_release():
    """helpers/view/figure_widget.py uses plotly's private FigureWidget members: no new minor release unchecked."""
    plotly = next(r for r in _all_requirements()["dependencies"] if r.name == "plotly")
    pin = _constraints()["plotly"]
    major, minor = map(int, pin.split(".")[:2])
    assert plotly.specifier.contains(pin)
    assert not plotly.specifier.contains(f"{major}.{minor + 1}.0"), f"{plotly} admits the next minor release"


def test_make_installs_with_the_constraints_and_every_extra():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r'pip install .*-c constraints\.txt -e "\.\[lab,site,test\]"', makefile), (
        'the Makefile must install with: pip install -c constraints.txt -e ".[lab,site,test]"')
    assert set(_project()["optional-dependencies"]) == {"lab", "site", "test"}


def test_the_test_extra_holds_the_build_backend():
    """tests/test_install.py builds the wheel offline (--no-build-isolation), with the backend the test extra installs."""
    test_extra = {canonicalize_name(r.name): r for r in _all_requirements()["extra 'test'"]}
    for req in _all_requirements()["build-system"]:
        assert canonicalize_name(req.name) in test_extra, f"{req} (build-system) is missing from the test extra"
        assert str(test_extra[canonicalize_name(req.name)].specifier) == str(req.specifier)


def test_python_version_agrees():
    env, _ = _environment()
    conda_python = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert conda_python, "environment.yml must pin python"
    version = conda_python[0].split("=")[-1]
    minimum = _project()["requires-python"].removeprefix(">=")
    assert tuple(map(int, version.split("."))) >= tuple(map(int, minimum.split("."))), (version, minimum)


def test_postbuild_installs_helpers_without_dependencies():
    """Binder's packages come from environment.yml only; postBuild adds the helpers package itself."""
    script = (ROOT / "postBuild").read_text()
    assert re.search(r"pip install --no-deps -e \.", script)


def test_lab_settings_reach_the_venv_and_binder():
    """One file of JupyterLab defaults, copied by the Makefile (make lab / test / bench) and by Binder's postBuild."""
    settings = json.loads((ROOT / "lab-overrides.json").read_text())
    status = settings["@jupyterlab/notebook-extension:tracker"]["kernelStatus"]
    assert status["showOnStatusBar"] is True and status["showProgress"] is True
    assert settings["@jupyterlab/apputils-extension:notification"]["checkForUpdates"] is False
    assert "cp lab-overrides.json $@" in (ROOT / "Makefile").read_text()
    assert re.search(r'cp lab-overrides\.json "\$settings/overrides\.json"', (ROOT / "postBuild").read_text())
