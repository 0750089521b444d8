"""Download WeRoBot 1.13.1's source distribution and run its test suite against this project.

``make werobot-suite`` calls this. Everything it fetches or builds goes under
``build/werobot-suite/`` (ignored by git): WeRoBot's tests are read there, never copied into
the repository. The run uses its own virtual environment with this project installed
(``.[all]``) plus the packages WeRoBot's tests import (requests, responses, WebTest,
mongomock, mockredispy, multipart). pytest's output goes to ``build/werobot-suite/pytest.log``;
this prints the tests that fail and one count line, and exits 1 when fewer than
``--require`` (default 200) of WeRoBot's tests pass. Extra arguments go to pytest.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
from pathlib import Path

VERSION = "1.13.1"
ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "build" / "werobot-suite"
VENV = WORK / "venv"
SUITE_DEPS = [
    "pytest",
    "pytest-mock",
    "requests",
    "responses",
    "WebTest",
    "mongomock",
    "mockredispy",
    "multipart",
]


def _run(*cmd: str | Path, cwd: Path | None = None) -> int:
    return subprocess.call([str(c) for c in cmd], cwd=cwd)


def _sdist() -> Path:
    download = WORK / "download"
    found = sorted(download.glob(f"[Ww]e[Rr]o[Bb]ot-{VERSION}.tar.gz"))
    if not found:
        download.mkdir(parents=True, exist_ok=True)
        pip: list[str | Path] = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
        if _run(*pip, "--no-binary", ":all:", f"werobot=={VERSION}", "-d", download):
            raise SystemExit("could not download WeRoBot's source distribution")
        found = sorted(download.glob(f"[Ww]e[Rr]o[Bb]ot-{VERSION}.tar.gz"))
    return found[0]


def _suite() -> Path:
    tests = WORK / "tests"
    shutil.rmtree(tests, ignore_errors=True)
    with tarfile.open(_sdist()) as archive:
        prefix = archive.getnames()[0].split("/")[0] + "/tests/"
        members = [m for m in archive.getmembers() if m.name.startswith(prefix)]
        for member in members:
            member.name = member.name[len(prefix) :]
        archive.extractall(tests, members=[m for m in members if m.name], filter="data")
    shutil.copy(Path(__file__).with_name("conftest.py"), tests / "conftest.py")
    # WeRoBot's suite ran with pytest's defaults, not this project's settings.
    (tests / "pytest.ini").write_text("[pytest]\n")
    return tests


def _python() -> Path:
    python = VENV / "bin" / "python"
    stamp = VENV / ".installed"
    wanted = " ".join(SUITE_DEPS)
    if not stamp.exists() or stamp.read_text() != wanted:
        shutil.rmtree(VENV, ignore_errors=True)
        _run(sys.executable, "-m", "venv", VENV)
        pip: list[str | Path] = [python, "-m", "pip", "install", "--quiet"]
        if _run(*pip, "-e", f"{ROOT}[all]", *SUITE_DEPS):
            raise SystemExit("could not install the suite's dependencies")
        stamp.write_text(wanted)
    return python


def _outcomes(report: Path) -> tuple[int, list[str]]:
    """The number of test cases in a JUnit report and the ids of those that did not pass."""
    cases = list(ET.parse(report).getroot().iter("testcase"))
    failed = [
        f"{case.get('classname')}::{case.get('name')}"
        for case in cases
        if case.find("failure") is not None or case.find("error") is not None
    ]
    return len(cases), failed


def main(argv: list[str]) -> int:
    require = 200
    if argv[:1] == ["--require"]:
        require, argv = int(argv[1]), argv[2:]
    tests = _suite()
    python = _python()
    report = WORK / "report.xml"
    report.unlink(missing_ok=True)
    args: list[str | Path] = ["-p", "no:cacheprovider", "-q", "--junitxml", report, *argv]
    with (WORK / "pytest.log").open("w") as log:
        command = [str(a) for a in (python, "-m", "pytest", *args)]
        subprocess.call(command, cwd=tests, stdout=log, stderr=subprocess.STDOUT)
    if not report.exists():
        print(f"werobot-suite: pytest wrote no report; see {WORK / 'pytest.log'}")
        return 1
    total, failed = _outcomes(report)
    for name in failed:
        print(f"werobot-suite: does not pass: {name}")
    passing = total - len(failed)
    print(
        f"werobot-suite: {passing} of WeRoBot {VERSION}'s {total} tests pass ({require} required)"
    )
    return 0 if passing >= require else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
