"""The GitHub Action's install, run by the Python that actions/setup-python provides, before
tokenreach is installed: standard library only, and the same on Linux, macOS and Windows runners
(a venv's interpreter is ``Scripts/python.exe`` on Windows, ``bin/python`` elsewhere).

    python action_setup.py where     GITHUB_OUTPUT: venv, python, key (for actions/cache)
    python action_setup.py install   the venv holds this tokenreach (a restored one is kept if it works)

The cache key names the runner's OS and architecture, the exact Python, and a hash of the action's
own source, so a moving tag (``v1``) that now points at other code never reuses an older install.
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2]  # the action's checkout: pyproject.toml is here
INSTALLED = ("pyproject.toml", "scanner", "detectors", "reports")  # what `pip install SOURCE` takes


def venv_dir(environ: Mapping[str, str]) -> Path:
    return Path(environ.get("RUNNER_TEMP") or ".") / "tokenreach-venv"


def venv_python(venv: Path, windows: bool = os.name == "nt") -> Path:
    return venv / ("Scripts/python.exe" if windows else "bin/python")


def source_hash(source: Path = SOURCE) -> str:
    digest = hashlib.sha256()
    files = []
    for name in INSTALLED:
        top = source / name
        files += [top] if top.is_file() else [p for p in top.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    for path in sorted(files, key=lambda p: p.relative_to(source).as_posix()):
        digest.update(path.relative_to(source).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def cache_key(environ: Mapping[str, str], source: Path = SOURCE) -> str:
    return "-".join(("tokenreach", environ.get("RUNNER_OS", platform.system()),
                     environ.get("RUNNER_ARCH", platform.machine()), "py" + platform.python_version(),
                     source_hash(source)[:24]))


def where(environ: Mapping[str, str]) -> dict[str, str]:
    venv = venv_dir(environ)
    # Forward slashes: bash on a Windows runner (Git Bash) and actions/cache read D:/a/_temp/... as is.
    return {"venv": venv.as_posix(), "python": venv_python(venv).as_posix(), "key": cache_key(environ)}


def works(python: Path) -> bool:
    """A restored install is used only if it imports (and so matches this runner's Python)."""
    if not python.exists():
        return False
    try:
        check = subprocess.run([str(python), "-c", "import tokenreach.scanner.cli.ci"], capture_output=True)
    except OSError:  # not executable, not a program for this system
        return False
    return check.returncode == 0


def install(environ: Mapping[str, str], source: Path = SOURCE) -> int:
    venv = venv_dir(environ)
    python = venv_python(venv)
    if works(python):
        print(f"tokenreach: using the cached install in {venv}")
        return 0
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(source)]
    return subprocess.run(pip).returncode


def main(argv: list[str]) -> int:
    if argv == ["where"]:
        lines = "".join(f"{k}={v}\n" for k, v in where(os.environ).items())
        output = os.environ.get("GITHUB_OUTPUT")
        if output:
            with open(output, "a", encoding="utf-8") as fh:
                fh.write(lines)
        sys.stdout.write(lines)
        return 0
    if argv == ["install"]:
        return install(os.environ)
    print("usage: action_setup.py where|install", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
