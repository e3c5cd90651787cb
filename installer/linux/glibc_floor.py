"""The oldest glibc a bundle can run on: the newest GLIBC_x.y symbol version any of its ELF files needs.

    python3 installer/linux/glibc_floor.py dist/xfdesk [--json] [--top N]

Runs `objdump -T` (binutils) over every ELF file under the folder and reads the versions of the
symbols each file imports from glibc (`GLIBC_2.34` …; the private `GLIBC_PRIVATE` is ignored).
Prints the floor, the files that set it and, per glibc version, how many files need at least that.
Exit 0; exit 2 when objdump is missing or the folder has no ELF file. Standard library only, so
it runs with any python3, on the build machine or on a target machine.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

_GLIBC = re.compile(r"\bGLIBC_(\d+)\.(\d+)(?:\.(\d+))?\b")


def is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def elf_files(root: Path) -> list[Path]:
    out = []
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = Path(dirpath) / name
            if not path.is_symlink() and is_elf(path):
                out.append(path)
    return sorted(out)


def required_glibc(path: Path) -> tuple[int, ...] | None:
    """The newest GLIBC_ version among the symbols `path` imports (undefined, *UND*), or None."""
    done = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True, check=False)
    newest: tuple[int, ...] | None = None
    for line in done.stdout.splitlines():
        if "*UND*" not in line:  # a file's own definitions (libc itself) do not count
            continue
        m = _GLIBC.search(line)
        if m:
            version = tuple(int(x) for x in m.groups() if x is not None)
            newest = version if newest is None or version > newest else newest
    return newest


def fmt(version: tuple[int, ...]) -> str:
    return ".".join(str(x) for x in version)


def analyse(root: Path) -> dict:
    files = elf_files(root)
    per_file = {}
    for path in files:
        version = required_glibc(path)
        if version is not None:
            per_file[str(path.relative_to(root))] = version
    floor = max(per_file.values()) if per_file else None
    histogram: dict[str, int] = {}
    for version in sorted(set(per_file.values())):
        histogram[fmt(version)] = sum(1 for v in per_file.values() if v >= version)
    return {
        "folder": str(root),
        "elf_files": len(files),
        "glibc_floor": fmt(floor) if floor else None,
        "set_by": sorted(name for name, v in per_file.items() if v == floor),
        "files_needing_at_least": histogram,
        "per_file": {name: fmt(v) for name, v in sorted(per_file.items())},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--json", action="store_true", help="everything as JSON, per file too")
    parser.add_argument("--top", type=int, default=15, help="list this many files needing the newest glibc")
    args = parser.parse_args(argv)
    if shutil.which("objdump") is None:
        sys.stderr.write("objdump not found (apt install binutils)\n")
        return 2
    result = analyse(args.folder.resolve())
    if not result["elf_files"]:
        sys.stderr.write(f"no ELF file under {args.folder}\n")
        return 2
    if args.json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return 0
    print(f"{result['elf_files']} ELF files under {result['folder']}")
    print(f"glibc floor: {result['glibc_floor']}")
    print(f"set by ({len(result['set_by'])}):")
    for name in result["set_by"][: args.top]:
        print(f"  {name}")
    if len(result["set_by"]) > args.top:
        print(f"  … and {len(result['set_by']) - args.top} more")
    print("files needing at least glibc …:")
    for version, count in sorted(result["files_needing_at_least"].items(),
                                 key=lambda kv: tuple(int(x) for x in kv[0].split("."))):
        print(f"  {version:>6}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
