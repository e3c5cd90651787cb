"""The part of the older-systems build (scripts/build_legacy_packages.sh) that this machine can
check in seconds: installer/linux/legacy/glibc_2_28.h keeps C code compiled against a newer
glibc from needing glibc 2.29's libm symbols (docs/packaging.md, "Older systems"). The whole
build, in a Debian 11 root, takes minutes and a mirror, so it is run by hand, not here."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEADER = ROOT / "installer" / "linux" / "legacy" / "glibc_2_28.h"
FLOOR = ROOT / "installer" / "linux" / "glibc_floor.py"
SOURCE = """#include <math.h>
double f(double x) { return exp(x) + exp2(x) + log(x) + log2(x) + pow(x, 2.5); }
"""

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or os.uname().machine != "x86_64"
    or not (shutil.which("gcc") and shutil.which("objdump")),
    reason="x86-64 Linux with gcc and objdump (binutils)")


def build(folder: Path, *flags: str) -> dict:
    """Compile SOURCE into a shared library in `folder`; glibc_floor.py's report on it."""
    folder.mkdir()
    (folder / "f.c").write_text(SOURCE)
    subprocess.run(["gcc", "-O2", "-shared", "-fPIC", *flags, "f.c", "-o", "libf.so", "-lm"],
                   cwd=folder, check=True, capture_output=True)
    (folder / "f.c").unlink()
    done = subprocess.run([sys.executable, FLOOR, "--json", folder], capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout)


def glibc() -> tuple[int, ...]:
    return tuple(int(p) for p in os.confstr("CS_GNU_LIBC_VERSION").split()[1].split(".")[:2])


@pytest.mark.skipif(glibc() < (2, 29), reason="the control needs glibc 2.29 or later to build on")
def test_the_header_keeps_libm_calls_at_versions_glibc_2_28_has(tmp_path):
    plain = build(tmp_path / "plain")
    assert plain["glibc_floor"] == "2.29"  # the control: what the new libm symbols cost

    bound = build(tmp_path / "bound", "-include", str(HEADER))
    floor = tuple(int(p) for p in bound["glibc_floor"].split("."))
    assert floor <= (2, 28), bound
    imports = subprocess.run(["objdump", "-T", tmp_path / "bound" / "libf.so"],
                             capture_output=True, text=True, check=True).stdout
    for name in ("exp", "exp2", "log", "log2", "pow"):
        assert any(line.split()[-1] == name and "GLIBC_2.2.5" in line
                   for line in imports.splitlines() if line.strip()), (name, imports)
