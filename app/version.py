"""The app's one version number, defined once: `version` in pyproject.toml.

Where it is read from, the first source that answers wins:

1. the installed package's metadata, `importlib.metadata.version("xfdesk")` (pip install,
   including `pip install -e .`, which scripts/setup.sh redoes whenever pyproject.toml changes);
2. `pyproject.toml` beside the `app/` folder: a source tree run without installing it;
3. `app/_version.txt` (`VERSION_FILE_NAME`, beside this module): the PyInstaller bundle, which
   has neither metadata nor pyproject.toml. build.spec writes it at build time (one line, the
   version; `write_version_file` writes the same thing);
4. `UNKNOWN` ("0+unknown").

Importing this module costs nothing measurable: no SQLAlchemy, no Qt, and nothing is looked up
until `VERSION` (or `version()`) is first used (importlib.metadata alone takes ~25 ms to import,
too much for the command line's quick path).
"""
from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Sequence

APP_NAME = "信访接待台"
DIST_NAME = "xfdesk"
VERSION_FILE_NAME = "_version.txt"  # inside the package folder: app/_version.txt
UNKNOWN = "0+unknown"

PACKAGE_DIR = Path(__file__).resolve().parent


def from_metadata(dist_name: str = DIST_NAME, search_path: Sequence[Path | str] | None = None) -> str | None:
    """The installed distribution's version (searching `search_path` instead of sys.path if given)."""
    try:
        import importlib.metadata as metadata

        if search_path is None:
            return _clean(metadata.version(dist_name))
        dist = next(iter(metadata.distributions(name=dist_name, path=[str(p) for p in search_path])), None)
        return _clean(dist.version) if dist is not None else None
    except Exception:  # not installed, or unreadable metadata
        return None


def from_pyproject(path: Path, dist_name: str = DIST_NAME) -> str | None:
    """`[project] version` of `path`, when it is this project's pyproject.toml."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    try:
        import tomllib
    except ImportError:  # Python 3.10: read the two keys of the [project] table by hand
        return _from_pyproject_text(text, dist_name)
    try:
        project = tomllib.loads(text).get("project", {})
    except tomllib.TOMLDecodeError:
        return None
    if not isinstance(project, dict) or project.get("name") != dist_name:
        return None
    value = project.get("version")
    return _clean(value) if isinstance(value, str) else None


def _from_pyproject_text(text: str, dist_name: str) -> str | None:
    section = re.search(r"(?ms)^\[project\][ \t]*$(.*?)(?=^\[|\Z)", text)
    if section is None:
        return None
    body = section.group(1)
    name = re.search(r'(?m)^name\s*=\s*["\']([^"\']*)["\']', body)
    value = re.search(r'(?m)^version\s*=\s*["\']([^"\']*)["\']', body)
    if name is None or name.group(1) != dist_name or value is None:
        return None
    return _clean(value.group(1))


def from_version_file(path: Path) -> str | None:
    """The first line of a version file written at build time."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    return _clean(text.splitlines()[0] if text.strip() else "")


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _version_files(package_dir: Path) -> list[Path]:
    files = [package_dir / VERSION_FILE_NAME]
    frozen_root = getattr(sys, "_MEIPASS", None)  # PyInstaller: datas land under here
    if frozen_root and package_dir == PACKAGE_DIR:
        bundled = Path(frozen_root) / "app" / VERSION_FILE_NAME
        if bundled not in files:
            files.append(bundled)
    return files


def find_version(
    package_dir: Path | None = None,
    *,
    dist_name: str = DIST_NAME,
    metadata_path: Sequence[Path | str] | None = None,
) -> str:
    """The version by the order in this module's docstring. The arguments exist for tests: the
    package folder (its parent holds pyproject.toml) and where to look for installed metadata
    (default sys.path)."""
    package_dir = Path(package_dir) if package_dir is not None else PACKAGE_DIR
    found = from_metadata(dist_name, metadata_path) or from_pyproject(package_dir.parent / "pyproject.toml", dist_name)
    if found:
        return found
    for path in _version_files(package_dir):
        found = from_version_file(path)
        if found:
            return found
    return UNKNOWN


@lru_cache(maxsize=None)
def version() -> str:
    """This program's version, looked up once per process."""
    return find_version()


def version_line() -> str:
    """What `python -m app --version` prints: 信访接待台 0.2.0."""
    return f"{APP_NAME} {version()}"


def write_version_file(path: Path | str, value: str | None = None) -> Path:
    """Write the version file a bundle reads (`app/_version.txt` inside it): `value`, or this
    source tree's version. Returns the path written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((value or version()) + "\n", encoding="utf-8")
    return path


def __getattr__(name: str) -> str:  # PEP 562: `VERSION` is computed on first use
    if name == "VERSION":
        return version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
