"""Install anywhere: the wheel (what ``pip install .`` and ``pip install git+...`` build) carries the data.

A wheel is built from a clean copy of the repository, offline (``--no-build-isolation`` with the setuptools of
the test extra), and installed into a throwaway folder. A fresh Python started elsewhere, with neither the
repository nor this environment's editable install on its path, then imports the helpers from that folder and
reads the tables from the copy inside the package (``helpers/_data``).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from conftest import ROOT
from helpers.core.data import DATA_ENV, DataError, find_data_dir

# Not copied into the build folder: version control, environments, caches and build output.
SKIP_ANYWHERE = {".git", ".venv", "_build", "artifacts", "node_modules", ".pytest_cache", "__pycache__",
                 ".ruff_cache", ".ipynb_checkpoints", ".benchmarks"}
SKIP_AT_TOP = {"build", "dist"}  # setuptools' and pip's output folders (helpers/build/ is a package: keep it)


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _ignore(folder, names):
    skipped = {n for n in names if n in SKIP_ANYWHERE or n.endswith(".egg-info")}
    if Path(folder) == ROOT:
        skipped |= SKIP_AT_TOP & set(names)
    return skipped


def _run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, timeout=180, **kwargs)


def _package_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).parts)


def test_every_helpers_package_is_listed_in_pyproject():
    """pyproject.toml lists the packages one by one (data/ is mapped into one of them), so a new folder must be added."""
    on_disk = {_package_of(init.parent) for init in (ROOT / "helpers").rglob("__init__.py")
               if "__pycache__" not in init.parts}
    listed = set(_pyproject()["tool"]["setuptools"]["packages"])
    missing = sorted(on_disk - listed)
    assert not missing, f"add {missing} to [tool.setuptools] packages in pyproject.toml, or the wheel leaves them out"
    assert listed - on_disk == {"helpers._data"}, f"pyproject.toml lists packages that do not exist: {listed - on_disk}"
    assert _pyproject()["tool"]["setuptools"]["package-dir"] == {"helpers._data": "data"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    backend = [Requirement(r) for r in _pyproject()["build-system"]["requires"]]
    for req in backend:
        try:
            found = metadata.version(req.name)
        except metadata.PackageNotFoundError:
            found = None
        if found is None or not req.specifier.contains(found, prereleases=True):
            pytest.fail(f"the build backend {req} is needed to build the wheel offline, found {found}: it is in the "
                        "test extra (make, or pip install -c constraints.txt -e '.[test]')")
    work = tmp_path_factory.mktemp("wheel")
    src = work / "repo"
    shutil.copytree(ROOT, src, ignore=_ignore)
    run = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                "--disable-pip-version-check", "--quiet", "-w", str(work / "dist"), str(src)])
    assert run.returncode == 0, f"building the wheel failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    wheels = list((work / "dist").glob("psychmeds_helpers-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_carries_every_module_and_the_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    dist_info = {n for n in names if n.split("/")[0].endswith(".dist-info")}
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "helpers").rglob("*.py")
               if "__pycache__" not in p.parts}
    data = {"helpers/_data/" + p.relative_to(ROOT / "data").as_posix()
            for p in [*(ROOT / "data").glob("*/*.csv"), ROOT / "data" / "README.md"]}
    assert len(data) > 20, data
    missing = sorted((modules | data) - names)
    assert not missing, f"the wheel leaves out {missing[:10]} ({len(missing)} files)"
    extra = sorted(names - modules - data - dist_info)
    assert not extra, f"the wheel carries files that are not the helpers or the data: {extra[:10]}"


def test_wheel_does_not_pull_in_jupyterlab(wheel):
    """Installed on a JupyterHub, the helpers must not replace the hub's JupyterLab, Voila or nbconvert."""
    meta = zipfile.ZipFile(wheel).read("psychmeds_helpers-0.1.0.dist-info/METADATA").decode()
    required = [Requirement(line.removeprefix("Requires-Dist:").strip()) for line in meta.splitlines()
                if line.startswith("Requires-Dist:")]
    always = {r.name.lower() for r in required if r.marker is None}
    assert always == {"ipywidgets", "pandas", "plotly", "anywidget", "numpy"}, always
    assert all(r.specifier and "==" not in str(r.specifier) for r in required if r.marker is None), required


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("installed") / "site"
    run = _run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--disable-pip-version-check",
                "--quiet", "--target", str(target), str(wheel)])
    assert run.returncode == 0, f"installing the wheel failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    return target


PROBE = """
import json, sys
import helpers
from helpers import dose_occupancy
from helpers.core.data import find_data_dir
print(json.dumps({"helpers": helpers.__file__, "data": str(find_data_dir()), "path": sys.path,
                  "finders": [repr(finder) for finder in sys.meta_path],
                  "occupancy": float(dose_occupancy("risperidone", "D2", 2))}))
"""


def _published_fit(drug: str, target: str) -> tuple[float, float]:
    with (ROOT / "data" / "occupancy_fits" / "basics.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            if (row["drug"], row["target"], row["basis"]) == (drug, target, "dose"):
                assert row["ed50_unit"] == "mg/day"
                return float(row["emax"]), float(row["ed50"])
    raise AssertionError(f"no dose fit for {drug} at {target} in data/occupancy_fits/basics.csv")


def test_installed_wheel_reads_the_data_inside_the_package(installed, tmp_path):
    # -S: no site-packages processing, so no .pth file runs and the editable install's finder (which maps
    # `helpers` to this repository) never loads; the environment's site-packages is then put on the path as a
    # plain folder, after the install folder, for numpy, pandas and the rest. -P: the current folder is not
    # put on the path either; it is an empty folder anyway, not the repository.
    dependencies = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    env = {k: v for k, v in os.environ.items() if k != DATA_ENV and not k.startswith("PYTHON")}
    env["PYTHONPATH"] = os.pathsep.join([str(installed), *dependencies])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = _run([sys.executable, "-S", "-P", "-c", PROBE], cwd=elsewhere, env=env)
    assert run.returncode == 0, f"the installed package failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    probe = json.loads(run.stdout.strip().splitlines()[-1])
    assert Path(probe["helpers"]).is_relative_to(installed), f"helpers was imported from {probe['helpers']}"
    assert str(ROOT) not in probe["path"] and "" not in probe["path"], probe["path"]
    assert not [f for f in probe["finders"] if "editable" in f.lower()], probe["finders"]
    assert Path(probe["data"]) == installed / "helpers" / "_data", probe["data"]
    emax, ed50 = _published_fit("risperidone", "D2")
    assert (emax, ed50) == (0.91, 0.8)
    assert probe["occupancy"] == pytest.approx(emax * 2 / (ed50 + 2))
    assert round(100 * probe["occupancy"]) == 65


def test_editable_install_reads_the_repository_data(monkeypatch):
    """make, Binder's postBuild and pip install -e . use the repository's data/, so edits to it show at once."""
    monkeypatch.delenv(DATA_ENV, raising=False)
    assert find_data_dir() == ROOT / "data"


@pytest.mark.parametrize("state", ["empty", "missing"])
def test_data_folder_that_is_empty_or_missing_is_named(state, tmp_path, monkeypatch):
    folder = tmp_path / f"tables_{state}"
    if state == "empty":
        folder.mkdir()
        (folder / "occupancy_fits").mkdir()  # a table folder with no CSV in it still counts as empty
    monkeypatch.setenv(DATA_ENV, str(folder))
    with pytest.raises(DataError) as raised:
        find_data_dir()
    message = str(raised.value)
    assert f"{folder} ({state}" in message, message
    assert str(ROOT / "data") not in message, "a named folder must be the only place looked"
    assert DATA_ENV in message
