"""`--version` and `--self-test` in real processes, and where the version number comes from.

The version is defined once, in pyproject.toml; app/version.py reads the installed metadata, else
pyproject.toml beside app/, else app/_version.txt (written into the PyInstaller bundle), else
"0+unknown".
"""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from app import self_test
from app.services.registration import RegistrationInput
from app.version import (
    UNKNOWN,
    VERSION_FILE_NAME,
    find_version,
    from_version_file,
    version,
    write_version_file,
)

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT_VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
STEPS = ("迁移数据库", "创建管理员", "初始化接待站", "登记信访件", "读取信访件", "生成回执 PDF")


def bare_env(tmp_path: Path) -> dict[str, str]:
    """No operator, no password, and a data folder that does not exist (and must not appear)."""
    env = {k: v for k, v in os.environ.items() if k not in {"XFDESK_OPERATOR", "XFDESK_PASSWORD"}}
    env["XFDESK_DATA_DIR"] = str(tmp_path / "no-such-data-dir")
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run_app(*args: str, env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, encoding="utf-8",
                          env=env, cwd=cwd or ROOT, timeout=300)


# --------------------------------------------------------------------------------------------
# --version
# --------------------------------------------------------------------------------------------


def test_version_prints_pyprojects_version_without_data_or_login(tmp_path):
    done = run_app("--version", env=bare_env(tmp_path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"信访接待台 {PYPROJECT_VERSION}\n"
    assert done.stderr == ""
    assert not (tmp_path / "no-such-data-dir").exists()


def test_version_stays_on_the_quick_path(tmp_path):
    """Neither SQLAlchemy nor Qt is imported to answer --version, and `import app.version` does
    not even look the version up."""
    script = (
        "import json, sys\n"
        "import app.version, app.cli\n"
        "looked_up = app.version.version.cache_info().currsize\n"
        "try:\n"
        "    app.cli.main(['--version'])\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'PySide6', 'alembic'))\n"
        "print(json.dumps({'code': code, 'looked_up_at_import': looked_up, 'heavy': heavy}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8",
                          env=bare_env(tmp_path), cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    *shown, report = done.stdout.splitlines()
    assert shown == [f"信访接待台 {PYPROJECT_VERSION}"]
    assert json.loads(report) == {"code": 0, "looked_up_at_import": 0, "heavy": []}


def test_the_running_version_is_pyprojects():
    assert version() == find_version() == PYPROJECT_VERSION


# --------------------------------------------------------------------------------------------
# Where the version comes from: metadata, pyproject.toml, app/_version.txt, "0+unknown"
# --------------------------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path):
    """A source tree `src/` (pyproject.toml + app/_version.txt) and a site folder with metadata."""
    src, site, empty = tmp_path / "src", tmp_path / "site", tmp_path / "empty"
    (src / "app").mkdir(parents=True)
    empty.mkdir()
    (src / "pyproject.toml").write_text('[project]\nname = "xfdesk"\nversion = "7.0.0"\n', encoding="utf-8")
    write_version_file(src / "app" / VERSION_FILE_NAME, "8.0.0")
    dist_info = site / "xfdesk-9.0.0.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: xfdesk\nVersion: 9.0.0\n", encoding="utf-8")
    return src, site, empty


def test_the_fallback_order(tree):
    src, site, empty = tree
    package = src / "app"
    assert find_version(package, metadata_path=[site]) == "9.0.0"  # 1. installed metadata
    assert find_version(package, metadata_path=[empty]) == "7.0.0"  # 2. pyproject.toml beside app/
    (src / "pyproject.toml").unlink()
    assert find_version(package, metadata_path=[site]) == "9.0.0"
    assert find_version(package, metadata_path=[empty]) == "8.0.0"  # 3. app/_version.txt (a bundle)
    (package / VERSION_FILE_NAME).unlink()
    assert find_version(package, metadata_path=[empty]) == UNKNOWN == "0+unknown"  # 4.


def test_another_projects_pyproject_or_an_empty_file_is_not_a_version(tree):
    src, _site, empty = tree
    package = src / "app"
    (src / "pyproject.toml").write_text('[project]\nname = "other"\nversion = "1.0"\n', encoding="utf-8")
    assert find_version(package, metadata_path=[empty]) == "8.0.0"
    (src / "pyproject.toml").write_text("[project\nnot toml", encoding="utf-8")
    assert find_version(package, metadata_path=[empty]) == "8.0.0"
    (package / VERSION_FILE_NAME).write_text("\n", encoding="utf-8")
    assert find_version(package, metadata_path=[empty]) == UNKNOWN


def test_write_version_file_writes_what_the_bundle_reads(tmp_path):
    path = write_version_file(tmp_path / "build" / "app" / VERSION_FILE_NAME)
    assert path.read_text(encoding="utf-8") == f"{PYPROJECT_VERSION}\n"
    assert from_version_file(path) == PYPROJECT_VERSION


def test_a_bundle_without_metadata_or_pyproject_reads_app_version_txt(tmp_path):
    """Like the PyInstaller bundle: app/ with its version file, no pyproject.toml, and no installed
    metadata (`-S`: no site-packages, so neither the editable install nor its metadata)."""
    bundle = tmp_path / "bundle"
    (bundle / "app").mkdir(parents=True)
    (bundle / "app" / "__init__.py").write_text("", encoding="utf-8")
    shutil.copy(ROOT / "app" / "version.py", bundle / "app" / "version.py")
    write_version_file(bundle / "app" / VERSION_FILE_NAME, "0.2.0.post1")
    script = f"import sys; sys.path.insert(0, {str(bundle)!r}); import app.version as v; print(v.VERSION, v.version_line())"
    done = subprocess.run([sys.executable, "-S", "-c", script], capture_output=True, text=True, encoding="utf-8",
                          cwd=tmp_path, env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0.2.0.post1", "信访接待台", "0.2.0.post1"]
    (bundle / "app" / VERSION_FILE_NAME).unlink()
    done = subprocess.run([sys.executable, "-S", "-c", script], capture_output=True, text=True, encoding="utf-8",
                          cwd=tmp_path, env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=60)
    assert done.stdout.split()[0] == UNKNOWN


# --------------------------------------------------------------------------------------------
# --self-test
# --------------------------------------------------------------------------------------------


def test_self_test_passes_and_leaves_the_data_folder_alone(tmp_path):
    env = bare_env(tmp_path)
    data_dir = tmp_path / "user-data"
    data_dir.mkdir()
    env["XFDESK_DATA_DIR"] = str(data_dir)
    temp_root = tmp_path / "tmp"
    temp_root.mkdir()
    env["TMPDIR"] = env["TEMP"] = env["TMP"] = str(temp_root)
    done = run_app("--self-test", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"信访接待台 {PYPROJECT_VERSION} 自检")
    for step in STEPS:
        assert any(line.startswith(f"自检：{step}…通过") for line in lines), (step, lines)
    assert lines[-1].startswith("自检通过")
    assert list(data_dir.iterdir()) == []  # nothing created in the user's data folder
    assert list(temp_root.iterdir()) == []  # and its temporary folder is gone


def test_self_test_also_ignores_data_dir_and_needs_no_qt(tmp_path):
    """--data-dir is not used either, and no Qt module is imported (no display needed)."""
    data_dir = tmp_path / "given"
    script = (
        "import json, sys\n"
        "from app.cli import main\n"
        f"code = main(['--data-dir', {str(data_dir)!r}, '--self-test'])\n"
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(json.dumps({'code': code, 'qt': qt}))\n"
    )
    env = bare_env(tmp_path)
    env.pop("DISPLAY", None)
    env.pop("QT_QPA_PLATFORM", None)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8",
                          env=env, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    *_report, last = done.stdout.splitlines()
    assert json.loads(last) == {"code": 0, "qt": []}
    assert "自检通过" in done.stdout
    assert not data_dir.exists()


def test_self_test_with_a_subcommand_is_refused(tmp_path):
    done = run_app("--self-test", "list", env=bare_env(tmp_path), cwd=tmp_path)
    assert done.returncode == 2
    assert "--self-test 不能与子命令同时使用" in done.stderr


def test_a_failing_step_is_named_and_exits_1(monkeypatch):
    monkeypatch.setattr(self_test, "_registration_input", lambda: RegistrationInput(title=""))
    out, err = io.StringIO(), io.StringIO()
    assert self_test.run(out, err) == 1
    lines = out.getvalue().splitlines()
    assert "自检：初始化接待站…通过" in lines
    assert "自检：登记信访件…失败" in lines
    assert lines[-1].startswith("自检失败：登记信访件：")
    assert "title：" in lines[-1]  # the validation errors, field by field
    assert "自检通过" not in out.getvalue()
    assert "Traceback" in err.getvalue()


def test_a_wrong_pdf_is_a_failure(monkeypatch):
    import app.receipts.render as render

    monkeypatch.setattr(render, "render", lambda content, **kw: b"")
    out, err = io.StringIO(), io.StringIO()
    assert self_test.run(out, err) == 1
    assert out.getvalue().splitlines()[-1] == "自检失败：生成回执 PDF：回执不是 PDF 文件（0 字节）"
