"""The Windows installer's files, checked on Linux (nothing here runs Windows or Inno Setup).

installer/windows/xfdesk.iss is read the way Inno Setup reads it (sections, `Key=Value`
directives, `Name: "value"; Flags: …` entries, ISPP `#define`s) and must keep what the installer
promises: a fixed AppId (upgrade in place), per-machine install, the Chinese wizard, the desktop
shortcut as a task, the PyInstaller bundle as its source, and no deletion of user data on
uninstall. .github/workflows/windows-installer.yml must be valid YAML (PyYAML when installed,
a structural check otherwise) and build, self-test, package, install, self-test again and
uninstall, in that order, with the executables build.spec really makes.
"""
from __future__ import annotations

import re
import tomllib
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ISS = ROOT / "installer" / "windows" / "xfdesk.iss"
WORKFLOW = ROOT / ".github" / "workflows" / "windows-installer.yml"
SPEC = ROOT / "build.spec"
CJK = re.compile(r"[\u4e00-\u9fff]")


# --------------------------------------------------------------------------------------------
# A small reader for Inno Setup scripts
# --------------------------------------------------------------------------------------------


def _split_params(line: str) -> dict[str, str]:
    """`Name: "a; b"; Flags: x y` -> {"name": "a; b", "flags": "x y"} ("" inside quotes is ")."""
    params: dict[str, str] = {}
    i, n = 0, len(line)
    while i < n:
        while i < n and line[i] in " \t;":
            i += 1
        if i >= n:
            break
        colon = line.index(":", i)
        key = line[i:colon].strip().lower()
        i = colon + 1
        while i < n and line[i] == " ":
            i += 1
        if i < n and line[i] == '"':
            i += 1
            value = []
            while True:
                if i >= n:
                    raise AssertionError(f"unterminated quote in: {line}")
                if line[i] == '"':
                    if i + 1 < n and line[i + 1] == '"':
                        value.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                value.append(line[i])
                i += 1
            params[key] = "".join(value)
        else:
            end = line.find(";", i)
            end = n if end < 0 else end
            params[key] = line[i:end].strip()
            i = end
    return params


class Iss:
    def __init__(self, text: str):
        self.text = text
        self.defines: dict[str, str] = {}
        self.sections: dict[str, list[str]] = {}
        section = None
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line.startswith(";"):
                continue
            if line.startswith("#"):
                m = re.match(r'#define\s+(\w+)\s+"([^"]*)"', line)
                if m:
                    self.defines.setdefault(m.group(1), m.group(2))  # the default branch first
                continue
            m = re.fullmatch(r"\[(\w+)\]", line)
            if m:
                section = m.group(1).lower()
                assert section not in self.sections, f"[{m.group(1)}] twice"
                self.sections[section] = []
                continue
            assert section is not None, f"text before the first section: {line}"
            self.sections[section].append(line)

    def expand(self, value: str) -> str:
        return re.sub(r"\{#(\w+)\}", lambda m: self.defines[m.group(1)], value)

    def setup(self) -> dict[str, str]:
        out = {}
        for line in self.sections["setup"]:
            key, sep, value = line.partition("=")
            assert sep, f"not a directive: {line}"
            assert key.strip().lower() not in out, f"{key} set twice"
            out[key.strip().lower()] = value.strip()
        return out

    def entries(self, section: str) -> list[dict[str, str]]:
        return [_split_params(line) for line in self.sections.get(section, [])]


@pytest.fixture(scope="module")
def iss() -> Iss:
    data = ISS.read_bytes()
    # UTF-8 without a BOM: Inno Setup 6.3+ reads it so; a BOM would be harmless but is not used.
    assert not data.startswith(b"\xef\xbb\xbf")
    return Iss(data.decode("utf-8"))


@pytest.fixture(scope="module")
def spec_exe_names() -> set[str]:
    return set(re.findall(r'\bEXE\(.*?\bname="([\w-]+)"', SPEC.read_text(encoding="utf-8"), re.S))


def test_script_has_the_sections_an_installer_needs(iss):
    assert {"setup", "languages", "tasks", "files", "icons", "run"} <= set(iss.sections)


def test_setup_directives(iss):
    setup = iss.setup()
    m = re.fullmatch(r"\{\{([0-9A-Fa-f-]{36})\}", setup["appid"])
    assert m, "AppId must be a fixed GUID written {{GUID} (not a constant or a define)"
    uuid.UUID(m.group(1))
    assert iss.expand(setup["appname"]) == "信访接待台"
    assert setup["appversion"] == "{#AppVersion}"
    assert setup["privilegesrequired"] == "admin"
    assert "privilegesrequiredoverridesallowed" not in setup  # no per-user install choice
    assert setup["defaultdirname"] == r"{autopf}\Xfdesk"
    assert iss.expand(setup["defaultgroupname"]) == "信访接待台"
    assert setup["architecturesallowed"] == "x64compatible"
    assert setup["architecturesinstallin64bitmode"] == "x64compatible"
    assert setup["closeapplications"] == "yes"
    assert setup["versioninfoversion"] == "{#AppVersionNumeric}"
    assert setup["outputbasefilename"] == "xfdesk-setup-{#AppVersion}"
    assert setup["compression"] == "lzma2"
    assert setup["solidcompression"] == "yes"


def test_default_version_is_pyproject_version(iss):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert iss.defines["AppVersion"] == project["version"], (
        "installer/windows/xfdesk.iss: update `#define AppVersion` to pyproject.toml's version")
    assert "#ifndef AppVersion" in iss.text  # /DAppVersion= from the build wins over the default


def test_setup_icon_is_an_ico_file(iss):
    icon = iss.setup().get("setupiconfile")
    assert icon, "the installer should carry the app icon"
    path = (ISS.parent / icon.replace("\\", "/")).resolve()
    assert path.read_bytes()[:4] == b"\x00\x00\x01\x00", f"{path} is not an .ico"
    assert f'#ifexist AddBackslash(SourcePath) + "{icon}"' in iss.text  # optional, as documented


def test_wizard_is_simplified_chinese(iss):
    languages = iss.entries("languages")
    assert [entry["name"] for entry in languages] == ["chinesesimplified"]
    assert iss.expand(languages[0]["messagesfile"]) == r"compiler:Languages\ChineseSimplified.isl"


def test_desktop_shortcut_is_an_optional_task_and_start_menu_has_one(iss, spec_exe_names):
    tasks = {entry["name"]: entry for entry in iss.entries("tasks")}
    assert "desktopicon" in tasks
    assert CJK.search(tasks["desktopicon"]["description"])
    icons = iss.entries("icons")
    by_place = {iss.expand(entry["name"]).split("\\")[0]: entry for entry in icons}
    assert set(by_place) == {"{group}", "{autodesktop}"}
    assert by_place["{autodesktop}"].get("tasks") == "desktopicon"
    assert "tasks" not in by_place["{group}"]
    for entry in icons:
        target = iss.expand(entry["filename"])
        assert target.startswith("{app}\\") and target.endswith(".exe")
        # the shortcut starts the windowed executable build.spec makes
        assert target.removeprefix("{app}\\").removesuffix(".exe") in spec_exe_names


def test_files_are_the_pyinstaller_bundle(iss):
    (entry,) = iss.entries("files")
    source = iss.expand(entry["source"])
    assert source.endswith("\\*")
    bundle = (ISS.parent / source[:-2].replace("\\", "/")).resolve()
    assert bundle == ROOT / "dist" / "xfdesk"
    flags = entry["flags"].split()
    assert "recursesubdirs" in flags and "ignoreversion" in flags
    assert entry["destdir"] == "{app}"


def test_launch_after_install_is_optional(iss):
    (entry,) = iss.entries("run")
    flags = entry["flags"].split()
    assert "postinstall" in flags and "skipifsilent" in flags and "nowait" in flags
    assert "runascurrentuser" not in flags  # would start it as the elevated admin account


def test_uninstall_and_upgrade_never_touch_user_data(iss):
    assert "uninstalldelete" not in iss.sections
    assert "uninstallrun" not in iss.sections
    body = "\n".join(line for lines in iss.sections.values() for line in lines)
    for constant in ("{localappdata}", "{userappdata}", "{commonappdata}", "{userdocs}", "{%"):
        assert constant not in body.lower()
    for entry in iss.entries("installdelete"):
        assert entry["name"].startswith("{app}\\"), entry


# --------------------------------------------------------------------------------------------
# The workflow
# --------------------------------------------------------------------------------------------


def _workflow_steps_with_yaml(text: str) -> tuple[dict, list[str]]:
    import yaml

    data = yaml.safe_load(text)
    triggers = data.get("on", data.get(True))  # YAML 1.1 reads a bare `on` as true
    (job,) = data["jobs"].values()
    steps = []
    for step in job["steps"]:
        steps.append("\n".join(str(step.get(key, "")) for key in ("uses", "run", "with", "env")))
    return {"triggers": triggers, "runs_on": job["runs-on"], "env": job.get("env", {})}, steps


def _workflow_steps_by_structure(text: str) -> tuple[dict, list[str]]:
    lines = text.splitlines()
    assert not any("\t" in line for line in lines), "tabs are not allowed in YAML indentation"
    for line in lines:
        if line.strip() and not line.lstrip().startswith("#"):
            assert (len(line) - len(line.lstrip(" "))) % 2 == 0, f"odd indentation: {line!r}"
    top = [line.split(":")[0] for line in lines if re.match(r"[a-z-]+:", line)]
    assert top == ["name", "on", "permissions", "jobs"], top
    on_block = text.split("\non:\n", 1)[1].split("\npermissions:", 1)[0]
    triggers = {
        "push": {"tags": re.findall(r'tags: \["([^"]+)"\]', on_block)} if "push:" in on_block else None,
    }
    if "workflow_dispatch:" in on_block:
        triggers["workflow_dispatch"] = None
    runs_on = re.search(r"^    runs-on: (\S+)$", text, re.M).group(1)
    env = dict(re.findall(r'^      ([A-Z_]+): "([^"]*)"$', text.split("\n    steps:\n", 1)[0], re.M))
    steps_text = text.split("\n    steps:\n", 1)[1]
    steps = re.split(r"^      - ", steps_text, flags=re.M)[1:]
    return {"triggers": triggers, "runs_on": runs_on, "env": env}, steps


@pytest.fixture(scope="module")
def workflow() -> tuple[dict, list[str]]:
    text = WORKFLOW.read_text(encoding="utf-8")
    try:
        import yaml  # noqa: F401
    except ImportError:
        return _workflow_steps_by_structure(text)
    return _workflow_steps_with_yaml(text)


def test_workflow_runs_on_windows_for_tags_and_by_hand(workflow):
    info, _ = workflow
    assert info["runs_on"] == "windows-latest"
    assert info["triggers"]["push"]["tags"] == ["v*"]
    assert "workflow_dispatch" in info["triggers"]


# the console executable started with --self-test (bundle: `.\dist\xfdesk\xfdesk-cli.exe --self-test`,
# installed copy: `& (Join-Path $app 'xfdesk-cli.exe') --self-test`)
SELF_TEST = re.compile(r"xfdesk-cli\.exe'?\)? --self-test")


def _first(steps: list[str], needle: str, after: int = -1) -> int:
    for i, step in enumerate(steps):
        if i > after and needle in step:
            return i
    raise AssertionError(f"no step after #{after} contains {needle!r}")


def test_workflow_builds_checks_packages_installs_and_uninstalls_in_order(workflow):
    _, steps = workflow
    python = _first(steps, "actions/setup-python")
    install = _first(steps, 'pip install ".[test]"', python)
    bundle = _first(steps, "pyinstaller build.spec --noconfirm", install)
    checked = _first(steps, "--self-test", bundle)
    assert SELF_TEST.search(steps[checked]) and "--version" in steps[checked]
    package = _first(steps, "/DAppVersion=", checked)
    assert r"installer\windows\xfdesk.iss" in steps[package]
    installed = _first(steps, "/VERYSILENT", package)
    run = SELF_TEST.search(steps[installed])
    assert run, "the installed copy must run its self-test"
    assert run.start() < steps[installed].index("unins000.exe")
    upload = _first(steps, "actions/upload-artifact", installed)
    assert "xfdesk-setup-" in steps[upload]


def test_workflow_fetches_the_chinese_messages_pinned(workflow):
    _, steps = workflow
    step = steps[_first(steps, "ChineseSimplified.isl")]
    url = re.search(r"https://raw\.githubusercontent\.com/jrsoftware/issrc/(\w+)/(\S+?)'", step)
    assert url and re.fullmatch(r"[0-9a-f]{40}", url.group(1)), "pin the translation to a commit"
    assert url.group(2) == "Files/Languages/Unofficial/ChineseSimplified.isl"
    assert re.search(r"'[0-9A-F]{64}'", step) and "Get-FileHash" in step
    assert r"Languages\ChineseSimplified.isl" in step  # where compiler:Languages\… looks


def test_workflow_uses_executables_and_app_id_of_the_build(workflow, iss, spec_exe_names):
    info, steps = workflow
    text = "\n".join(steps)
    used = set(re.findall(r"(xfdesk(?:-[a-z]+)?)\.exe", text))
    assert used and used <= spec_exe_names, (used, spec_exe_names)
    # The console twin runs the checks: a windowed .exe has no stdout and is not waited for.
    assert "xfdesk-cli" in used
    app_id = iss.setup()["appid"]
    assert info["env"]["APP_ID"] == app_id[1:], "the registry check must use the script's AppId"
