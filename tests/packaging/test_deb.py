"""The Linux package for real: build.spec → bundle → .deb → dpkg -i → self-test → upgrade over an
older database → remove, with the user's data kept throughout (docs/packaging.md).

Needs root and dpkg (it installs the package into this machine and purges it again, also when a
check fails), and Xvfb for the input-method check. The bundle is built once per session into a
temporary folder (about a minute); both packages come from that one bundle, the newer one only
with a higher Version in its control file, and are compressed with gzip -1 (`--fast`) instead of
xz to save a minute: the content is the same.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.schema import DB_FILENAME, HEAD_REVISION
from desk_login import TEST_OPERATOR, TEST_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
OPT = Path("/opt/xfdesk")
LAUNCHER = Path("/usr/bin/xfdesk")
OLDER_REVISION = "0005_stats_caches"  # one revision before head: what the previous release left
STATION = ("--station-code", "360426", "--station-name", "德安县信访局")

pytestmark = [
    pytest.mark.skipif(sys.platform != "linux" or shutil.which("dpkg-deb") is None,
                       reason="Debian packaging: needs Linux with dpkg"),
    pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() != 0,
                       reason="installs a package with dpkg: needs root"),
]


def project_version() -> str:
    from app.version import from_pyproject

    return from_pyproject(ROOT / "pyproject.toml")


def run(argv, *, env=None, timeout=300, check=True, cwd=None) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in argv], capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=cwd)
    if check and done.returncode != 0:
        raise AssertionError(f"{argv[0]} {' '.join(map(str, argv[1:3]))}… exited {done.returncode}\n"
                             f"stdout:\n{done.stdout[-3000:]}\nstderr:\n{done.stderr[-3000:]}")
    return done


# --- building, once per session ------------------------------------------------------------


@pytest.fixture(scope="session")
def bundle(tmp_path_factory) -> Path:
    """dist/xfdesk built by build.spec into a temporary folder (the checkout's dist/ is left alone).

    XFDESK_TEST_BUNDLE=path/to/dist/xfdesk uses a bundle built before instead (when working on
    these tests; the suite itself always builds)."""
    given = os.environ.get("XFDESK_TEST_BUNDLE")
    if given:
        return Path(given).resolve()
    work = tmp_path_factory.mktemp("pyinstaller")
    started = time.monotonic()
    run([ROOT / ".venv" / "bin" / "pyinstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", work / "dist", "--workpath", work / "build", ROOT / "build.spec"],
        cwd=ROOT, timeout=900)
    print(f"bundle built in {time.monotonic() - started:.0f} s")
    folder = work / "dist" / "xfdesk"
    assert (folder / "xfdesk").is_file()
    return folder


@pytest.fixture(scope="session")
def debs(bundle, tmp_path_factory) -> dict[str, Path]:
    """Two packages of the same bundle: the project's version, and a higher one for the upgrade."""
    out = tmp_path_factory.mktemp("debs")
    version = project_version()
    newer = f"{version}+upgradetest1"  # Debian orders it after `version`
    built = {}
    for v in (version, newer):
        done = run(["bash", ROOT / "installer" / "linux" / "build_deb.sh", v, "--bundle", bundle,
                    "--out", out, "--fast"], timeout=600)
        built[v] = Path(done.stdout.strip().splitlines()[-1])
        assert built[v].is_file(), done.stdout
    return built


# --- dpkg helpers ---------------------------------------------------------------------------


@contextlib.contextmanager
def machine_lock():
    """One packaging test at a time on this machine (dpkg has one database)."""
    with open("/tmp/xfdesk-deb-test.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def installed_version() -> str | None:
    done = run(["dpkg-query", "-W", "-f", "${Status} ${Version}", "xfdesk"], check=False)
    if done.returncode != 0 or "install ok installed" not in done.stdout:
        return None
    return done.stdout.split()[-1]


@contextlib.contextmanager
def package_installed_for_the_test():
    """Refuses to replace an xfdesk someone installed; purges ours at the end, failed or not."""
    with machine_lock():
        present = installed_version()
        if present is not None:
            pytest.fail(f"xfdesk {present} is already installed on this machine; the test would replace "
                        f"it. Remove it first: dpkg -r xfdesk")
        try:
            yield
        finally:
            run(["dpkg", "--purge", "xfdesk"], check=False, timeout=300)


def dpkg_install(deb: Path) -> None:
    run(["dpkg", "-i", deb], timeout=600)


def tree_state(root: Path) -> dict[str, tuple]:
    """Every path under root with its size, mtime and mode: what a run must not change."""
    state = {}
    for dirpath, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(dirpath) / name
            st = path.lstat()
            state[str(path.relative_to(root))] = (st.st_size, st.st_mtime_ns, st.st_mode)
    return state


def tree_changes(before: dict, after: dict) -> list[str]:
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(p for p in set(before) & set(after) if before[p] != after[p])
    return [f"+ {p}" for p in added] + [f"- {p}" for p in removed] + [f"~ {p}" for p in changed]


# --- the installed app ---------------------------------------------------------------------


def app_env(tmp_path: Path, data_dir: Path | None = None, **extra: str) -> dict:
    """A desk user's environment: own HOME, the test operator, no Qt/Python variables of the suite."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {
        "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "XFDESK_OPERATOR": TEST_OPERATOR,
        "XFDESK_PASSWORD": TEST_PASSWORD,
    }
    if data_dir is not None:
        env["XFDESK_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


MATTER = {
    "form": "走访",
    "petition_date": "2026-11-20",
    "headcount": 1,
    "matter_class": "申诉求决",
    "content_class": ["劳动和社会保障", "劳动关系", "拖欠农民工工资"],
    "title": "讨要拖欠工资",
    "request": "请求支付拖欠的工资",
    "location_code": "360426100",
    "decision": "转送",
    "decision_detail": "县人力资源和社会保障局",
}


def register(env: dict, folder: Path, name: str, id_number: str) -> str:
    matter = dict(MATTER, petitioners=[{"name": name, "id_type": "居民身份证", "id_number": id_number,
                                        "phone": "13812345678", "address": "德安县蒲亭镇"}])
    path = folder / f"{id_number}.json"
    path.write_text(json.dumps(matter, ensure_ascii=False), encoding="utf-8")
    return run([LAUNCHER, "register", "--json", path], env=env).stdout.strip()


def listed_numbers(env: dict) -> set[str]:
    return {m["number"] for m in json.loads(run([LAUNCHER, "list", "--json"], env=env).stdout)}


def revision(data_dir: Path) -> str:
    with contextlib.closing(sqlite3.connect(data_dir / DB_FILENAME)) as conn:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def downgrade_one_revision(data_dir: Path) -> None:
    """Take the database back to what the previous release (schema OLDER_REVISION) would have left,
    with the source tree's alembic scripts, so the newer package has to migrate it."""
    from alembic import command

    from app.models.db import alembic_config, make_engine

    engine = make_engine(data_dir / DB_FILENAME)
    try:
        command.downgrade(alembic_config(engine), OLDER_REVISION)
    finally:
        engine.dispose()


# --- the tests ------------------------------------------------------------------------------


def test_install_self_test_upgrade_over_older_data_and_remove_keeping_it(debs, tmp_path):
    version = project_version()
    older_deb, newer_deb = debs.values()
    newer_version = list(debs)[1]
    data = tmp_path / "data"
    with package_installed_for_the_test():
        # --- install ---
        dpkg_install(older_deb)
        assert installed_version() == version
        assert os.access(LAUNCHER, os.X_OK) and os.access(OPT / "xfdesk", os.X_OK)
        assert Path("/usr/share/applications/xfdesk.desktop").is_file()
        assert Path("/usr/share/icons/hicolor/256x256/apps/xfdesk.png").is_file()
        opt_before = tree_state(OPT)

        done = run([LAUNCHER, "--version"], env=app_env(tmp_path))
        assert done.stdout.strip() == f"信访接待台 {version}"
        done = run([LAUNCHER, "--self-test"], env=app_env(tmp_path), timeout=180)
        assert "自检通过" in done.stdout, done.stdout + done.stderr

        # --- a desk's data made by this release ---
        env = app_env(tmp_path, data)
        run([LAUNCHER, "init", *STATION, "--admin", TEST_OPERATOR], env=env)
        numbers = {register(env, tmp_path, "𠮷收", "360426199101010071"),
                   register(env, tmp_path, "张三", "360426198502020030")}
        assert listed_numbers(env) == numbers
        run([LAUNCHER, "receipt", sorted(numbers)[0], "--out", tmp_path / "slip.pdf"], env=env)
        assert (tmp_path / "slip.pdf").read_bytes().startswith(b"%PDF")
        # the window too: on a virtual display it starts (login dialog) and is still up 8 s later
        xvfb_run = shutil.which("xvfb-run")
        assert xvfb_run, "xvfb-run is missing: bash scripts/setup.sh installs it (package xvfb)"
        done = run([xvfb_run, "-a", "timeout", "8", LAUNCHER], env=env, check=False, timeout=60)
        assert done.returncode == 124, f"the window exited by itself ({done.returncode}): {done.stderr[-2000:]}"
        assert (data / "logs" / "xfdesk.log").is_file()
        assert tree_changes(opt_before, tree_state(OPT)) == [], "a run wrote into /opt/xfdesk"

        # ...as an older release left it: one schema revision back
        downgrade_one_revision(data)
        assert revision(data) == OLDER_REVISION

        # --- upgrade over it ---
        dpkg_install(newer_deb)
        assert installed_version() == newer_version
        assert data.is_dir() and (data / DB_FILENAME).is_file(), "the upgrade touched the user's data"
        opt_before = tree_state(OPT)

        # The first start of the newer app migrates (after a backup). The older schema had no
        # operators, so the desk then asks for its first administrator, as the window's wizard does.
        done = run([LAUNCHER, "list", "--json"], env=env, check=False)
        assert revision(data) == HEAD_REVISION
        backups = sorted(p.name for p in (data / "backups").iterdir())
        assert any(f"before-{HEAD_REVISION}" in name for name in backups), backups
        assert done.returncode == 3 and "管理员" in done.stderr, done.stdout + done.stderr
        run([LAUNCHER, "init", *STATION, "--admin", TEST_OPERATOR], env=env)
        assert listed_numbers(env) == numbers
        names = set()
        for number in numbers:
            shown = json.loads(run([LAUNCHER, "show", number, "--json"], env=env).stdout)["row"]
            assert shown["number"] == number
            names.add(shown["petitioner_names"])
        assert names == {"𠮷收", "张三"}
        assert tree_changes(opt_before, tree_state(OPT)) == [], "a run wrote into /opt/xfdesk"

        # --- remove, then purge: the program goes, the data stays ---
        run(["dpkg", "-r", "xfdesk"])
        assert installed_version() is None
        assert not LAUNCHER.exists() and not OPT.exists()
        assert not Path("/usr/share/applications/xfdesk.desktop").exists()
        run(["dpkg", "--purge", "xfdesk"])
        with contextlib.closing(sqlite3.connect(data / DB_FILENAME)) as conn:
            kept = {r[0] for r in conn.execute("SELECT number FROM matter")}
        assert kept == numbers
        assert revision(data) == HEAD_REVISION


def test_launcher_chooses_ibus_on_fcitx_and_ibus_desktops(debs, tmp_path):
    """/usr/bin/xfdesk as installed: QT_IM_MODULE=ibus where fcitx or ibus runs, the user's own
    choice kept otherwise; the ibus portal where no ibus-daemon program exists (fcitx5 serves it)."""
    portal = "" if shutil.which("ibus-daemon") else "1"
    cases = [
        ({"XMODIFIERS": "@im=fcitx"}, "ibus", portal),
        ({"QT_IM_MODULE": "fcitx", "GTK_IM_MODULE": "fcitx", "XMODIFIERS": "@im=fcitx"}, "ibus", portal),
        ({"XMODIFIERS": "@im=ibus", "GTK_IM_MODULE": "ibus"}, "ibus", portal),
        ({"XMODIFIERS": "@im=ibus", "IBUS_USE_PORTAL": "0"}, "ibus", "0"),
        ({"QT_IM_MODULE": "compose", "XMODIFIERS": "@im=fcitx"}, "compose", ""),
        ({}, "", ""),
    ]
    with package_installed_for_the_test():
        dpkg_install(next(iter(debs.values())))
        for extra, im_module, use_portal in cases:
            env = app_env(tmp_path, QT_QPA_PLATFORM="offscreen", **extra)
            report = json.loads(run([LAUNCHER, "--qt-probe"], env=env).stdout)
            assert (report["qt_im_module"], report["ibus_use_portal"]) == (im_module, use_portal), extra
            assert report["ibus_plugin_loaded"], report


FCITX5_SESSION = r"""
set -u
fcitx5 --disable=wayland,waylandim > "$WORK/fcitx5.log" 2>&1 &
# fcitx5's ibus frontend owns the ibus portal name once it is ready
for _ in $(seq 100); do
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.portal.IBus 2>/dev/null | grep -q true && break
  sleep 0.1
done
XMODIFIERS=@im=fcitx /usr/bin/xfdesk --qt-probe --type-seconds 40 > "$WORK/probe.out" 2> "$WORK/probe.err" &
probe=$!
window=$(xdotool search --sync --name "xfdesk 输入法检查" | head -n 1)
xdotool windowfocus "$window" 2>/dev/null || true
sleep 1
xdotool type --delay 100 nihao
sleep 0.5
xdotool key space
sleep 0.5
xdotool key Return
wait "$probe"
"""


def test_pinyin_typed_through_fcitx5_reaches_the_installed_window(debs, tmp_path):
    """The whole chain on a virtual X display: fcitx5 (pinyin, active from the start) in its own
    D-Bus session, the installed /usr/bin/xfdesk started as from an fcitx desktop
    (XMODIFIERS=@im=fcitx only), xdotool types n-i-h-a-o and space: the bundled Qt's text field
    must hold 你好 (what the launcher's QT_IM_MODULE=ibus + IBUS_USE_PORTAL=1 make possible)."""
    missing = [tool for tool in ("xvfb-run", "dbus-run-session", "dbus-send", "fcitx5", "xdotool")
               if shutil.which(tool) is None]
    if not Path("/usr/lib/x86_64-linux-gnu/fcitx5/libpinyin.so").exists():
        missing.append("fcitx5-pinyin")
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (apt install fcitx5 fcitx5-pinyin xdotool xvfb dbus)")
    home = tmp_path / "home"
    (home / ".config" / "fcitx5").mkdir(parents=True)
    (home / ".config" / "fcitx5" / "profile").write_text(
        "[Groups/0]\nName=Default\nDefault Layout=us\nDefaultIM=pinyin\n\n"
        "[Groups/0/Items/0]\nName=keyboard-us\nLayout=\n\n[Groups/0/Items/1]\nName=pinyin\nLayout=\n\n"
        "[GroupOrder]\n0=Default\n", encoding="utf-8")
    (home / ".config" / "fcitx5" / "config").write_text("[Behavior]\nActiveByDefault=True\n", encoding="utf-8")
    env = app_env(tmp_path, WORK=str(tmp_path))
    with package_installed_for_the_test():
        dpkg_install(next(iter(debs.values())))
        run(["xvfb-run", "-a", "-s", "-screen 0 1024x768x24", "dbus-run-session", "--",
             "bash", "-c", FCITX5_SESSION], env=env, timeout=120)
    out = (tmp_path / "probe.out").read_text(encoding="utf-8")
    report = json.loads(out.strip().splitlines()[-1])
    log = (tmp_path / "fcitx5.log").read_text(encoding="utf-8", errors="replace")[-2000:]
    assert (report["qt_im_module"], report["ibus_use_portal"]) == ("ibus", "1"), report
    assert report["typed"] == "你好", f"{report}\nfcitx5 log:\n{log}"


def test_bundled_qt_loads_the_ibus_plugin_on_x11(bundle, tmp_path):
    """Under Xvfb with QT_IM_MODULE=ibus, Qt itself picks the bundled ibus plugin (QT_DEBUG_PLUGINS
    shows it loaded, no symbol errors), and the probe loads it and Qt's Chinese translation."""
    xvfb_run = shutil.which("xvfb-run")
    assert xvfb_run, "xvfb-run is missing: bash scripts/setup.sh installs it (package xvfb)"
    env = app_env(tmp_path, QT_IM_MODULE="ibus", QT_DEBUG_PLUGINS="1")
    done = run([xvfb_run, "-a", "-s", "-screen 0 1024x768x24", bundle / "xfdesk", "--qt-probe"],
               env=env, timeout=120)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["platform"] == "xcb", report
    assert report["ibus_plugin_loaded"] and report["ibus_plugin_keys"] == ["ibus"], report
    assert report["qtbase_zh_CN_loaded"], report
    plugin = "platforminputcontexts/libibusplatforminputcontextplugin.so"
    assert re.search(re.escape(plugin) + r'" loaded library', done.stderr), done.stderr[-3000:]
    assert "undefined symbol" not in done.stderr and "Cannot load library" not in done.stderr, done.stderr[-3000:]
    assert Path(report["plugins_path"]).is_relative_to(bundle), "Qt plugins came from outside the bundle"


def test_bundle_window_starts_offscreen(bundle, tmp_path):
    """The bundle's window (no arguments) on Qt's offscreen platform, in a fresh data folder: the
    first-run wizard is up and the process still running 6 s later, and it logged its start."""
    data = tmp_path / "data"
    env = app_env(tmp_path, data, QT_QPA_PLATFORM="offscreen")
    done = run(["timeout", "6", bundle / "xfdesk"], env=env, check=False, timeout=60)
    assert done.returncode == 124, f"the window exited by itself ({done.returncode}): {done.stderr[-2000:]}"
    assert (data / "logs" / "xfdesk.log").is_file()
    assert (data / DB_FILENAME).is_file()


def test_bundle_prints_chinese_whatever_the_locale(bundle, tmp_path):
    """build.spec turns on Python's UTF-8 mode: under LC_ALL=C with PYTHONUTF8=0 a plain Python
    writes ASCII to a pipe and fails on 信访接待台 (the control), the bundle prints it."""
    env = {**app_env(tmp_path), "LC_ALL": "C", "PYTHONUTF8": "0"}
    control = run([sys.executable, "-c", r"print('\u4fe1\u8bbf')"], env=env, check=False)
    assert control.returncode != 0 and "UnicodeEncodeError" in control.stderr
    done = run([bundle / "xfdesk", "--version"], env=env)
    assert done.stdout.strip() == f"信访接待台 {project_version()}"


def test_bundle_holds_what_the_app_loads_at_run_time_and_nothing_of_the_server(bundle):
    internal = bundle / "_internal"
    source_versions = {p.name for p in (ROOT / "app/models/migrations/versions").glob("*.py")}
    bundled_versions = {p.name for p in (internal / "app/models/migrations/versions").glob("*.py")}
    assert bundled_versions == source_versions
    for name in ("env.py", "script.py.mako"):
        assert (internal / "app/models/migrations" / name).is_file()
    assert (internal / "resources/content_classes/gdxf.tsv").is_file()
    assert (internal / "resources/icons/xfdesk-256.png").is_file()
    assert (internal / "app/_version.txt").read_text(encoding="utf-8").strip() == project_version()
    assert (internal / "PySide6/Qt/translations/qtbase_zh_CN.qm").is_file()
    assert not list(bundle.rglob("__pycache__")) and not list(bundle.rglob("*.pyc"))

    from PyInstaller.archive.readers import CArchiveReader

    modules = set(CArchiveReader(str(bundle / "xfdesk")).open_embedded_archive("PYZ.pyz").toc)
    for needed in ("app.models.matter", "app.services.lifecycle.service", "app.ui.main_window",
                   "alembic.ddl.sqlite", "sqlalchemy.dialects.sqlite.pysqlite",
                   "reportlab.graphics.barcode.qr", "reportlab.graphics.barcode.code128"):
        assert needed in modules, needed
    unwanted = [m for m in modules if m.split(".")[0] in
                {"county_server", "tests", "pytest", "_pytest", "fastapi", "uvicorn", "psycopg", "hypothesis"}]
    assert unwanted == []
    names = {p.name for p in internal.rglob("*")}
    for lib in ("libQt6Quick.so.6", "libQt6Qml.so.6", "libQt6WebEngineCore.so.6", "libQt63DCore.so.6",
                "libqtvirtualkeyboardplugin.so", "libqgtk3.so"):
        assert lib not in names, lib
    assert "libibusplatforminputcontextplugin.so" in names


def _control_field(deb: Path, field: str) -> list[str]:
    value = run(["dpkg-deb", "-f", deb, field]).stdout
    return [re.split(r"[\s(]", alt.strip())[0] for part in value.split(",") for alt in part.split("|")]


def _with_their_dependencies(packages: set[str]) -> set[str]:
    """The packages and, recursively, what they depend on as installed here (dpkg-query)."""
    seen, todo = set(), list(packages)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        done = run(["dpkg-query", "-W", "-f", "${Depends}, ${Pre-Depends}", name], check=False)
        todo += [re.split(r"[\s(:]", alt.strip())[0] for part in done.stdout.split(",")
                 for alt in part.split("|") if alt.strip()]
    return seen


def test_every_library_taken_from_the_system_is_a_dependency(bundle, debs):
    """ldd over every ELF file of the bundle: what resolves outside it must come from a package in
    Depends or one they pull in (Recommends for the Wayland platform plugin, which Qt may fail to
    load and then uses X11)."""
    internal = bundle / "_internal"
    deb = next(iter(debs.values()))
    depends = _with_their_dependencies(set(_control_field(deb, "Depends")))
    recommends = _with_their_dependencies(set(_control_field(deb, "Recommends")))
    env = {"PATH": os.environ["PATH"], "LD_LIBRARY_PATH": f"{internal}:{internal / 'PySide6/Qt/lib'}"}
    wayland = re.compile(r"wayland|libqwayland|WlShell|WaylandClient", re.IGNORECASE)
    problems, owners = [], {}
    for path in sorted(bundle.rglob("*")):
        if path.is_symlink() or not path.is_file() or path.open("rb").read(4) != b"\x7fELF":
            continue
        out = run(["ldd", path], env=env, check=False).stdout
        for name, target in re.findall(r"^\s*(\S+) => (\S+)", out, re.MULTILINE):
            if target.startswith(str(bundle)):
                continue
            if target == "not":  # "not found"
                if not wayland.search(str(path)):
                    problems.append(f"{path.relative_to(bundle)} needs {name}, which this machine lacks")
                continue
            if name not in owners:
                found = run(["dpkg", "-S", f"*/{name}"], check=False).stdout.splitlines()
                owners[name] = found[0].split(":")[0] if found else None
            package = owners[name]
            allowed = depends | (recommends if wayland.search(str(path)) else set())
            if package not in allowed:
                problems.append(f"{path.relative_to(bundle)} loads {name} from package {package}, "
                                f"not in Depends")
    assert problems == []
