"""The class route, end to end: a real JupyterHub, two students, the README's nbgitpuller link, notebook 01.

What README.md tells a hub admin (an nbgitpuller link, plus the helpers installed in the environment the
students' servers run in) is done here for real, on 127.0.0.1 only:

- a bare clone of this repository's committed HEAD (branch ``main``) stands in for GitHub;
- JupyterHub (from PyPI, the test extra) with configurable-http-proxy (from npm, ``tests/node_modules``; ``make
  test`` installs it), the dummy authenticator and ``SimpleLocalProcessSpawner``: each student's server is a
  local process with its own home folder under a temporary directory, no system users needed. The servers
  run from this environment (``sys.executable``), which has the helpers installed (``make``: ``pip install -e``),
  as a hub's user image would;
- two students, each in their own browser context, open the README's link with the hub's address and the
  local clone in place of GitHub, log in, and nbgitpuller copies the repository into their own home and opens
  the start page; each then runs ``notebooks/01_mechanism_of_action_basics.ipynb`` top to bottom from their
  copy, in headless Chromium, with no error output and the demos drawn;
- the students' kernels import the helpers from the installed package (not from the pulled folder), and a
  Python started in a pulled copy without that install cannot import them: installing the helpers is what
  makes a pulled copy work.

Ports are chosen free, every process (hub, proxy, the students' servers and kernels) is stopped at the end
even when a step fails, and a failure shows the tail of the hub's log. Screenshots go to ``artifacts/hub/``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode, urlparse

import pytest
from browser_support import (
    ARTIFACTS,
    JS_ALL_RUN,
    JS_FIND_DEMOS,
    LabNotebook,
    error_outputs,
    free_port,
    launch_browser,
    require_chromium,
)
from conftest import ROOT

# The two tests that start the hub are marked browser and hub: they run in make test and .ci/run (not in make
# test-fast), and -m hub chooses them alone. The quick checks of the README's link and command run everywhere.

PROXY = ROOT / "tests" / "node_modules" / ".bin" / "configurable-http-proxy"
NOTEBOOK = ROOT / "notebooks" / "01_mechanism_of_action_basics.ipynb"
STUDENTS = ("ada", "ben")
SHOTS = ARTIFACTS.parent / "hub"
VIEWPORT = {"width": 1400, "height": 1000}
# nbgitpuller's link as README.md gives it to hub admins (the one in its "Class on a JupyterHub" item).
PULLER_URL = re.compile(r"https?://HUB/hub/user-redirect/git-pull\?[^\s)\"'<>\]`]+")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def readme_link() -> str:
    links = PULLER_URL.findall((ROOT / "README.md").read_text())
    assert len(links) == 1, f"README.md should give hub admins one nbgitpuller link with HUB in it, found {links}"
    return links[0]


# The install README.md tells the admin to run in the students' environment (the hub's user image): nbgitpuller
# and the helpers from the repository on GitHub.
README_INSTALL = re.compile(r"^\s*pip install ([^\n`]*git\+https://github\.com/[^\n`]*?)\s*$", re.MULTILINE)


def readme_install() -> list[str]:
    """What README.md's install command installs, one item per argument: ['nbgitpuller', 'git+https://...']."""
    found = README_INSTALL.findall((ROOT / "README.md").read_text())
    assert len(found) == 1, ("README.md should give hub admins one install command on a line of its own: "
                             f"pip install nbgitpuller git+https://github.com/OWNER/REPOSITORY (found {found})")
    return found[0].split()


def test_readme_install_names_nbgitpuller_and_the_repository():
    wanted = readme_install()
    assert "nbgitpuller" in wanted, wanted
    assert [w for w in wanted if w.startswith("git+https://github.com/")], wanted


def local_link(link: str, hub: str, remote: Path) -> str:
    """The README's link with the hub's address for HUB and the local clone for the GitHub repository."""
    parts = urlparse(link)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query["repo"] = str(remote)
    return f"{hub}{parts.path}?{urlencode(query, quote_via=quote)}"


def test_local_link_keeps_the_readme_link_but_for_hub_and_repository():
    # (Each URL split before its "?", so that tests/test_binder.py, which checks every nbgitpuller link in the
    # repository, does not take these made-up ones for links to check.)
    link = ("https://HUB/hub/user-redirect/git-pull" "?repo=https%3A%2F%2Fgithub.com%2FOWNER%2FREPOSITORY"
            "&urlpath=lab%2Ftree%2FREPOSITORY%2Fnotebooks%2F00_start_here.ipynb&branch=main")
    assert local_link(link, "http://127.0.0.1:9", Path("/tmp/x/REPOSITORY")) == (
        "http://127.0.0.1:9/hub/user-redirect/git-pull" "?repo=%2Ftmp%2Fx%2FREPOSITORY"
        "&urlpath=lab%2Ftree%2FREPOSITORY%2Fnotebooks%2F00_start_here.ipynb&branch=main")
    assert PULLER_URL.findall(f"see `{link}`.") == [link]


# --- The hub ----------------------------------------------------------------------------------------

HUB_CONFIG = """
c = get_config()  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.pid_file = {tmp!r} + "/proxy.pid"
c.JupyterHub.db_url = "sqlite:///" + {tmp!r} + "/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = {tmp!r} + "/cookie_secret"
c.JupyterHub.pid_file = {tmp!r} + "/jupyterhub.pid"
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allowed_users = {students!r}
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = {tmp!r} + "/home/{{username}}"
# The students' servers run from this environment, which has the helpers installed (the hub's user image).
c.Spawner.cmd = [{python!r}, "-m", "jupyterhub.singleuser"]
c.Spawner.args = {args!r}
c.Spawner.default_url = "/lab"
c.Spawner.environment = {{"PYTHONPATH": {image!r}}}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
"""

# Each student's JupyterLab settings, in their home: no news pop-up, no autosave, and every cell kept
# rendered (windowing "none", as in tests/test_browser.py) so that every output can be read from the page.
STUDENT_SETTINGS = {
    "apputils-extension/notification.jupyterlab-settings": {"checkForUpdates": False, "fetchNews": "false"},
    "docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


class Hub:
    """JupyterHub on free 127.0.0.1 ports, everything in a temporary folder; a context manager."""

    def __init__(self, students=STUDENTS, startup_timeout: float = 60):
        self.students, self.startup_timeout = students, startup_timeout
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.tmp = Path(tempfile.mkdtemp(prefix="psychmeds-hub-"))
        self.log_path = self.tmp / "jupyterhub.log"
        self.remote: Path | None = None
        self.image = self.tmp / "image" / "site-packages"  # the README's install of the helpers goes here

    def home(self, student: str) -> Path:
        return self.tmp / "home" / student

    # set-up ----------------------------------------------------------------------------------------
    def _make_remote(self, name: str, branch: str) -> Path:
        """A bare clone of the committed HEAD, with ``branch`` as its default branch (what GitHub would serve)."""
        remote = self.tmp / "remote" / name
        for command in (["git", "init", "--quiet", "--bare", str(remote)],
                        # CI often checks out a shallow clone; the bare clone accepts its history anyway.
                        ["git", "-C", str(remote), "config", "receive.shallowUpdate", "true"],
                        ["git", "-C", str(ROOT), "push", "--quiet", str(remote), f"HEAD:refs/heads/{branch}"],
                        ["git", "-C", str(remote), "symbolic-ref", "HEAD", f"refs/heads/{branch}"]):
            run = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
            assert run.returncode == 0, f"{' '.join(command)} failed:\n{run.stdout}{run.stderr}"
        return remote

    def publish(self, relative: str, text: str, branch: str) -> str:
        """A new commit on the class repository (the maintainers publish an update); returns its id."""
        work = self.tmp / "maintainer"
        git = ["git", "-c", "user.name=Maintainer", "-c", "user.email=maintainer@example.org"]
        if not work.exists():
            subprocess.run(["git", "clone", "--quiet", str(self.remote), str(work)], check=True, capture_output=True)
        (work / relative).write_text(text)
        for command in (["add", relative], ["commit", "--quiet", "-m", f"add {relative}"],
                        ["push", "--quiet", "origin", f"HEAD:{branch}"]):
            subprocess.run([*git, "-C", str(work), *command], check=True, capture_output=True)
        return subprocess.run(["git", "-C", str(work), "rev-parse", "HEAD"], check=True, capture_output=True,
                              text=True).stdout.strip()

    def _install_helpers(self, branch: str) -> None:
        """README.md's install command, with the local clone for GitHub, into the folder the servers import from.

        Offline and into a folder of its own: no dependencies (this environment has them), the build backend
        of this environment (--no-build-isolation), no index. The servers get the folder on PYTHONPATH, ahead
        of this environment's editable install of the working tree: the helpers and their data tables come
        from the same commit as the notebooks the students pull, as on a hub.
        """
        wanted = readme_install()
        sources = [w for w in wanted if w.startswith("git+https://github.com/")]
        others = [w for w in wanted if w not in sources and not w.startswith("-")]
        assert len(sources) == 1, wanted
        missing = [name for name in others if importlib.util.find_spec(name) is None]
        assert not missing, f"README.md's install names {missing}, which this environment (the 'image') lacks"
        command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                   "--no-index", "--disable-pip-version-check", "--target", str(self.image),
                   f"git+file://{self.remote}@{branch}"]
        run = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=self.tmp, check=False)
        assert run.returncode == 0, (f"installing the helpers as README.md says failed:\n"
                                     f"{run.stdout[-3000:]}{run.stderr[-3000:]}")

    def _write_settings(self) -> None:
        for student in self.students:
            settings = self.home(student) / ".jupyter" / "lab" / "user-settings" / "@jupyterlab"
            for relative, value in STUDENT_SETTINGS.items():
                (settings / relative).parent.mkdir(parents=True, exist_ok=True)
                (settings / relative).write_text(json.dumps(value))

    def _config(self) -> Path:
        config = self.tmp / "jupyterhub_config.py"
        config.write_text(HUB_CONFIG.format(
            port=self.port, hub_port=free_port(), api_port=free_port(), proxy=str(PROXY), tmp=str(self.tmp),
            students=set(self.students), python=sys.executable, image=str(self.image),
            # expose_app_in_browser: window.jupyterapp, through which the test drives JupyterLab (not a student).
            args=["--LabApp.expose_app_in_browser=True", *(["--allow-root"] if IS_ROOT else [])]))
        return config

    def start(self, remote_name: str, branch: str) -> None:
        self.remote = self._make_remote(remote_name, branch)
        self._write_settings()
        config = self._config()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_"))}
        env["CONFIGPROXY_AUTH_TOKEN"] = secrets.token_hex(16)
        env["PYTHONUNBUFFERED"] = "1"
        log = open(self.log_path, "w")  # noqa: SIM115 - the hub writes to it until it stops
        self.process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=self.tmp,
                                        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self._install_helpers(branch)  # while the hub starts (no server is spawned before a student logs in)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"JupyterHub exited with code {self.process.returncode}:\n{self.log()}")
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{self.base}/hub/api/", timeout=2) as response:
                if response.status == 200:
                    return
            time.sleep(0.3)
        raise AssertionError(f"JupyterHub did not answer at {self.base} within {self.startup_timeout:.0f} s:\n"
                             f"{self.log()}")

    def log(self, chars: int = 3000) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else "(no log)"
        return f"--- last {chars} characters of the hub's log ({self.log_path.name}) ---\n{text[-chars:]}"

    # tear-down -------------------------------------------------------------------------------------
    def _ours(self) -> list:
        """The hub's processes: its children (proxy, students' servers, kernels), and any process whose working
        folder is inside this hub's temporary folder (a server or kernel left behind if the hub died)."""
        import psutil

        found = {}
        if self.process:
            with contextlib.suppress(psutil.Error):
                hub = psutil.Process(self.process.pid)
                found.update({p.pid: p for p in hub.children(recursive=True)})
        for p in psutil.process_iter(["cwd"]):
            cwd = p.info.get("cwd")
            if cwd and p.pid != os.getpid() and Path(cwd).is_relative_to(self.tmp):
                found[p.pid] = p
        return list(found.values())

    def stop(self) -> None:
        """Stop the hub and everything it started, all at once (a graceful hub shutdown stops the servers one
        after the other: 10 s more), then kill what is left after 3 s: all of it is thrown away."""
        try:
            self._stop_processes()
        finally:
            SHOTS.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(OSError):
                shutil.copy(self.log_path, SHOTS / "jupyterhub.log")
            shutil.rmtree(self.tmp, ignore_errors=True)

    def _stop_processes(self) -> None:
        import psutil

        ours = {p.pid: p for p in self._ours()}
        if self.process and self.process.poll() is None:
            with contextlib.suppress(psutil.Error):
                ours[self.process.pid] = psutil.Process(self.process.pid)
        ours = list(ours.values())
        for p in ours:
            with contextlib.suppress(psutil.Error):
                p.terminate()
        _, alive = psutil.wait_procs(ours, timeout=3)
        for p in alive + self._ours():
            with contextlib.suppress(psutil.Error):
                p.kill()
        if self.process:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)


def _require_hub_tools() -> None:
    missing = [name for name in ("jupyterhub", "nbgitpuller") if importlib.util.find_spec(name) is None]
    if missing:
        pytest.fail(f"{' and '.join(missing)} not installed: they are in the test extra (make, or "
                    "pip install -c constraints.txt -e '.[lab,test]')", pytrace=False)
    if not PROXY.exists():
        pytest.fail("configurable-http-proxy (JupyterHub's proxy) is missing from tests/node_modules: `make test` "
                    "installs it; by hand, `npm ci --prefix tests` (the version is pinned in tests/package-lock.json)",
                    pytrace=False)
    if not (ROOT / ".git").exists():
        pytest.fail("the hub test pulls the repository with git: run it in a git clone", pytrace=False)


@pytest.fixture(scope="module")
def chromium() -> str:
    return require_chromium()


@pytest.fixture(scope="module")
def hub(chromium):
    _require_hub_tools()
    query = parse_qs(urlparse(readme_link()).query)
    name = query["repo"][0].rstrip("/").removesuffix(".git").split("/")[-1]
    server = Hub()
    try:
        server.start(name, query.get("branch", ["main"])[0])
        yield server
    finally:
        server.stop()


# --- A student's session ----------------------------------------------------------------------------

class StudentServer:
    """What LabNotebook needs of a server: the JupyterLab address of a notebook, here in the student's copy."""

    def __init__(self, hub: Hub, student: str, folder: str):
        self.hub, self.student, self.folder = hub, student, folder

    def lab_url(self, notebook: Path) -> str:
        relative = notebook.relative_to(ROOT).as_posix()
        return f"{self.hub.base}/user/{self.student}/lab/tree/{self.folder}/{relative}?reset"


# (JS_ALL_RUN, from browser_support, is what LabNotebook.run_all waits for; here the two students' runs are
# started first, then waited for.)
# Runs code in the notebook's own kernel (not in a cell) and returns what it printed.
JS_KERNEL_PRINT = """
async (code) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  let out = '';
  const future = kernel.requestExecute({code, silent: false, store_history: false});
  future.onIOPub = (msg) => {
    if (msg.header.msg_type === 'stream') out += msg.content.text;
    if (msg.header.msg_type === 'error') out += msg.content.ename + ': ' + msg.content.evalue;
  };
  await future.done;
  return out;
}
"""

KERNEL_PROBE = """
import json, os, sys, helpers
from helpers.core.data import find_data_dir
print(json.dumps({"cwd": os.getcwd(), "home": os.environ.get("HOME"), "helpers": helpers.__file__,
                  "data": str(find_data_dir()), "python": sys.executable}))
"""


def log_in_through_the_link(page, student: str, link: str) -> None:
    """Open the nbgitpuller link as a student who is not logged in, and log in on the page the hub shows."""
    page.goto(link)
    page.wait_for_selector("#username_input", timeout=30_000)
    page.fill("#username_input", student)
    page.fill("#password_input", "any password: the dummy authenticator")
    page.click("#login_submit")


def wait_for_start_page(page, student: str, folder: str, start_page: str) -> None:
    """Wait through the server's start and nbgitpuller's pull until JupyterLab shows the start page of the copy."""
    page.wait_for_url(re.compile(rf"/user/{student}/lab/tree/{re.escape(folder)}/{re.escape(start_page)}"),
                      timeout=120_000)
    page.wait_for_function("""(path) => {
        const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
        return !!w && !!w.context && w.context.path === path && w.context.isReady &&
               !!w.node.querySelector('.jp-MarkdownOutput h1, .jp-MarkdownOutput h2'); }""",
                           arg=f"{folder}/{start_page}", timeout=60_000)


def label(page, student: str) -> None:
    """Write whose page this is (the address it is at) into the empty right end of JupyterLab's menu bar, for
    the screenshots; added by the test, not part of JupyterLab."""
    page.evaluate("""(text) => {
        let tag = document.getElementById('hub-test-label');
        if (!tag) { tag = document.createElement('div'); tag.id = 'hub-test-label'; document.body.appendChild(tag); }
        tag.textContent = text;
        tag.style.cssText = 'position:fixed;top:4px;right:12px;z-index:10000;font:13px sans-serif;' +
                            'background:#fff3c4;color:#000;padding:2px 8px;border:1px solid #b08800;';
    }""", f"screenshot label (added by the test): {student} at {urlparse(page.url).path}")


@pytest.mark.browser
@pytest.mark.hub
def test_two_students_pull_the_collection_and_run_01(hub, chromium):
    from playwright.sync_api import sync_playwright

    link = local_link(readme_link(), hub.base, hub.remote)
    urlpath = parse_qs(urlparse(link).query)["urlpath"][0]
    folder = hub.remote.name
    start_page = urlpath.removeprefix(f"lab/tree/{folder}/")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()
    started = time.perf_counter()
    timings = {}
    with sync_playwright() as playwright:
        browser = launch_browser(playwright, chromium)
        try:
            sessions = {}
            for student in STUDENTS:  # both log in, then both wait: their servers start and pull side by side
                context = browser.new_context(viewport=VIEWPORT)  # own cookies: a separate login
                sessions[student] = (context, context.new_page())
                log_in_through_the_link(sessions[student][1], student, link)
            for student, (_, page) in sessions.items():
                try:
                    wait_for_start_page(page, student, folder, start_page)
                except Exception as error:
                    page.screenshot(path=str(SHOTS / f"{student}_failed_pull.png"))
                    raise AssertionError(f"{student} did not reach {start_page} in their copy through {link} "
                                         f"(the page is at {page.url}): {error}\n{hub.log()}") from error
                label(page, student)
                page.screenshot(path=str(SHOTS / f"{student}_00_after_the_link.png"))
                timings[f"{student}: log in, spawn, pull"] = time.perf_counter() - started

            # Each has a copy of their own, a git clone of the class repository, in their own home.
            head = subprocess.run(["git", "-C", str(hub.remote), "rev-parse", "HEAD"], capture_output=True,
                                  text=True, check=True).stdout.strip()
            for student in STUDENTS:
                copy = hub.home(student) / folder
                assert (copy / start_page).is_file() and (copy / "notebooks" / NOTEBOOK.name).is_file(), (
                    f"{student}'s home has no copy of the collection at {copy}: "
                    f"{sorted(os.listdir(hub.home(student)))}")
                commit = subprocess.run(["git", "-C", str(copy), "rev-parse", "HEAD"], capture_output=True,
                                        text=True, check=False)
                assert commit.stdout.strip() == head, (
                    f"{student}'s copy is not at the class repository's HEAD ({head}): {commit}")
            assert hub.home(STUDENTS[0]) / folder != hub.home(STUDENTS[1]) / folder

            # Both run 01 from their own copy: open both, start both, then wait for each.
            labs = {}
            for student, (_, page) in sessions.items():
                labs[student] = LabNotebook(page, StudentServer(hub, student, folder), NOTEBOOK)
                labs[student].open()
                page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
            for student, lab in labs.items():
                page = sessions[student][1]
                page.wait_for_function(JS_ALL_RUN, timeout=300_000, polling=200)
                lab.wait_for_widgets()
                label(page, student)
                timings[f"{student}: 01 run"] = time.perf_counter() - started
                page.screenshot(path=str(SHOTS / f"{student}_01_end.png"))
                errors = error_outputs(page)
                assert not errors, f"{student}: notebook 01 produced error output on the hub: {errors}\n{hub.log(2000)}"
                demos = page.evaluate(JS_FIND_DEMOS)
                assert len(demos) >= 3, f"{student}: only {len(demos)} interactive demos were drawn in 01"
                page.locator('[data-demo-box="0"]').scroll_into_view_if_needed()
                page.wait_for_timeout(300)
                page.screenshot(path=str(SHOTS / f"{student}_01_demo.png"))

                # The kernel runs in the student's copy and imports the installed helpers.
                probe = json.loads(page.evaluate(JS_KERNEL_PRINT, KERNEL_PROBE).strip().splitlines()[-1])
                copy = hub.home(student) / folder
                assert Path(probe["cwd"]) == copy / "notebooks", probe
                assert Path(probe["home"]) == hub.home(student), probe
                assert Path(probe["helpers"]) == hub.image / "helpers" / "__init__.py", (
                    f"{student}'s kernel did not import the installed helpers: {probe}")
                assert Path(probe["data"]) == hub.image / "helpers" / "_data", probe

            # Next week: the class repository has moved on and the first student clicks the same link again.
            # nbgitpuller brings the new commit into their copy and keeps what they changed (01, saved with
            # its outputs); the second student's copy is untouched until they click.
            student, other = STUDENTS
            page = sessions[student][1]
            page.evaluate("async () => { await window.jupyterapp.commands.execute('docmanager:save'); }")
            mine = hub.home(student) / folder / "notebooks" / NOTEBOOK.name
            assert _has_outputs(mine), f"{student}'s saved 01 has no outputs: the save did not reach their copy"
            branch = parse_qs(urlparse(link).query).get("branch", ["main"])[0]
            update = hub.publish("notebooks/NEXT_WEEK.md", "# Next week\n", branch)
            page.goto(link)  # nbgitpuller's page pulls, then opens urlpath: the pull is done once it is there
            page.wait_for_url(re.compile(rf"/user/{student}/lab/tree/{re.escape(folder)}/{re.escape(start_page)}"),
                              timeout=120_000, wait_until="commit")
            timings[f"{student}: the link again, pulling an update"] = time.perf_counter() - started
            copy = hub.home(student) / folder
            assert (copy / "notebooks" / "NEXT_WEEK.md").is_file(), f"the update did not reach {student}'s copy"
            ancestor = subprocess.run(["git", "-C", str(copy), "merge-base", "--is-ancestor", update, "HEAD"],
                                      capture_output=True, text=True, check=False)
            assert ancestor.returncode == 0, f"{student}'s copy does not contain the update {update}: {ancestor}"
            assert _has_outputs(mine), f"pulling the update lost {student}'s own changes to 01"
            assert not (hub.home(other) / folder / "notebooks" / "NEXT_WEEK.md").exists()
        finally:
            browser.close()
    timings["total"] = time.perf_counter() - started
    print("hub timings (s from the first student's visit): "
          + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))


def _has_outputs(notebook: Path) -> bool:
    """Every code cell has run (the repository's copy is committed with one cell's output, nbval's check)."""
    cells = [c for c in json.loads(notebook.read_text())["cells"] if c["cell_type"] == "code"]
    return bool(cells) and all(c.get("execution_count") for c in cells)


@pytest.mark.browser
@pytest.mark.hub
def test_a_pulled_copy_needs_the_helpers_installed(hub, tmp_path):
    """Without the install, a kernel in the pulled copy's notebooks/ folder cannot import the helpers.

    The pulled folder has helpers/ at its top, but a notebook's kernel starts in notebooks/ and the notebooks
    do not change sys.path: ``import helpers`` works only because the package is installed. Shown by a Python
    started in a pulled copy's notebooks/ folder with this environment's packages as plain folders (``-S``: no
    .pth file, so not this environment's editable install of the repository), first without and then with
    the folder the README's install went into.
    """
    copy = tmp_path / hub.remote.name
    run = subprocess.run(["git", "clone", "--quiet", str(hub.remote), str(copy)], capture_output=True, text=True,
                         check=False)
    assert run.returncode == 0, run.stderr
    packages = list(dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") and k != "PSYCHMEDS_DATA"}
    probe = ("import pandas, plotly, ipywidgets, anywidget\nimport helpers\n"
             "from helpers.core.data import find_data_dir\nprint(helpers.__file__); print(find_data_dir())")

    def python_in_the_copy(path: list[str]) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-S", "-c", probe], cwd=copy / "notebooks",
                              env={**env, "PYTHONPATH": os.pathsep.join(path)}, capture_output=True, text=True,
                              timeout=120, check=False)

    without = python_in_the_copy(packages)
    assert without.returncode != 0 and "No module named 'helpers'" in without.stderr, (
        f"the pulled copy imported helpers without an install:\n{without.stdout}{without.stderr}")
    installed = python_in_the_copy([str(hub.image), *packages])
    assert installed.returncode == 0, installed.stderr
    assert installed.stdout.split() == [str(hub.image / "helpers" / "__init__.py"),
                                        str(hub.image / "helpers" / "_data")]
