"""Where data lives: --data-dir, then XFDESK_DATA_DIR, then the OS's per-user data folder."""
from __future__ import annotations

from pathlib import Path

from app.paths import ENV_DATA_DIR, default_data_dir, resolve_data_dir


def test_command_line_beats_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "env"))
    assert resolve_data_dir(str(tmp_path / "cli")) == tmp_path / "cli"
    assert resolve_data_dir(None) == tmp_path / "env"


def test_default_is_the_per_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(ENV_DATA_DIR, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_data_dir() == Path(tmp_path / "xdg" / "xfdesk")
    assert resolve_data_dir(None) == default_data_dir()
