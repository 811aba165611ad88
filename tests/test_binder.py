"""Binder and JupyterHub links: repo2docker builds what we expect, every link uses the one repository slug.

The repository slug (``owner/name`` on GitHub) is written once in README.md, on the line
``Repository slug: `owner/name` ``. Every Binder (mybinder.org) and nbgitpuller link anywhere in the
repository must be built from exactly that value; this test finds them all.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import pytest

from conftest import ROOT

SLUG_LINE = re.compile(r"^Repository slug: `([^`/\s]+/[^`/\s]+)`", re.MULTILINE)
BINDER_URL = re.compile(r"https://mybinder\.org/v2/gh/[^\s)\"'<>\]]+")
PULLER_URL = re.compile(r"https?://[^\s)\"'<>\]]*git-pull\?[^\s)\"'<>\]]+")
START_PAGE = "notebooks/00_start_here.ipynb"
TEXT_SUFFIXES = {".md", ".ipynb", ".txt", ".html", ".yml", ".yaml", ".toml", ".py", ".cfg", ".rst"}
SKIP_DIRS = {".git", ".venv", "_build", "artifacts", "node_modules", ".pytest_cache", "__pycache__"}


def repository_slug() -> str:
    found = SLUG_LINE.findall((ROOT / "README.md").read_text())
    assert len(found) == 1, "README.md must state the repository slug exactly once, as: Repository slug: `owner/name`"
    return found[0]


def _text_files():
    for path in ROOT.rglob("*"):
        if path.is_file() and path.suffix in TEXT_SUFFIXES and not SKIP_DIRS & set(path.relative_to(ROOT).parts):
            yield path


def _links(pattern):
    for path in _text_files():
        if path == Path(__file__):
            continue
        for url in pattern.findall(path.read_text(errors="replace")):
            yield path.relative_to(ROOT), url.rstrip(".,;")


def test_readme_has_binder_badge_opening_start_page_in_lab():
    readme = (ROOT / "README.md").read_text()
    slug = repository_slug()
    link = f"https://mybinder.org/v2/gh/{slug}/HEAD?urlpath=lab/tree/{START_PAGE}"
    badge = re.search(r"\[!\[[^\]]*\]\(https://mybinder\.org/badge_logo\.svg\)\]\(([^)]+)\)", readme)
    assert badge, "README.md needs a Binder badge: [![Binder](https://mybinder.org/badge_logo.svg)](<link>)"
    assert badge.group(1) == link, f"the Binder badge must open {START_PAGE} in JupyterLab: {link}"
    assert (ROOT / START_PAGE).exists()


def test_every_binder_link_uses_the_one_slug():
    slug = repository_slug()
    links = list(_links(BINDER_URL))
    assert links, "no Binder link found (README.md should have one)"
    for where, url in links:
        path = urlparse(url).path  # /v2/gh/<owner>/<name>/<ref>
        parts = path.split("/")
        assert "/".join(parts[3:5]) == slug, f"{where}: Binder link {url} does not use the slug {slug}"
        target = parse_qs(urlparse(url).query).get("urlpath", [""])[0]
        file = re.sub(r"^(lab/tree|tree|voila/render|notebooks)/", "", unquote(target))
        if file:
            assert (ROOT / file).exists(), f"{where}: Binder link {url} opens {file}, which does not exist"


def test_every_nbgitpuller_link_uses_the_one_slug():
    slug = repository_slug()
    for where, url in _links(PULLER_URL):
        query = parse_qs(urlparse(url).query)
        repo = query.get("repo", [""])[0]
        assert repo == f"https://github.com/{slug}", f"{where}: nbgitpuller link {url} must pull {slug}"
        name = slug.split("/")[1]
        urlpath = query.get("urlpath", [""])[0]
        assert urlpath.startswith(f"lab/tree/{name}/"), f"{where}: nbgitpuller urlpath must open lab/tree/{name}/..."
        assert (ROOT / urlpath.removeprefix(f"lab/tree/{name}/")).exists(), f"{where}: {urlpath} does not exist"


def _repo2docker() -> list[str]:
    try:
        import repo2docker  # noqa: F401
    except ImportError:
        pytest.fail("jupyter-repo2docker is not installed: it is in the test extra (pip install -e '.[test]')")
    return [sys.executable, "-m", "repo2docker"]


@pytest.fixture(scope="module")
def dockerfile(tmp_path_factory) -> str:
    # A clean copy of what Binder would clone (no .venv, no build output), so the answer does not depend
    # on what happens to be lying around in the working tree.
    src = tmp_path_factory.mktemp("binder") / "repo"
    ignore = shutil.ignore_patterns(*SKIP_DIRS, "*.egg-info")
    shutil.copytree(ROOT, src, ignore=ignore)
    run = subprocess.run([*_repo2docker(), "--no-build", "--debug", str(src)], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, f"repo2docker --no-build failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    text = run.stdout + run.stderr
    assert "FROM " in text, f"repo2docker printed no Dockerfile:\n{text[-3000:]}"
    return text


def test_repo2docker_installs_environment_yml(dockerfile):
    assert re.search(r"COPY .*src/environment\.yml", dockerfile), "environment.yml is not copied into the image"
    assert re.search(r"env update .*--file \"?environment\.yml", dockerfile), "environment.yml is not installed"
    assert "python=3.11" in (ROOT / "environment.yml").read_text()
    assert "Building conda environment for python=3.11" in dockerfile


def test_repo2docker_installs_the_helpers_package(dockerfile):
    assert "RUN ./postBuild" in dockerfile, "postBuild (which installs the helpers package) is not run"
    post_build = (ROOT / "postBuild").read_text()
    assert re.search(r"pip install .*-e \.", post_build), "postBuild must pip-install the helpers package (-e .)"
    # postBuild runs after the repository is copied in, so `-e .` sees pyproject.toml and helpers/.
    assert dockerfile.index("COPY --chown=0:0 src/ ${REPO_DIR}/") < dockerfile.index("RUN ./postBuild")
