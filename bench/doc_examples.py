"""Run the console examples of a Markdown document and check (or rewrite) their output.

    .venv/bin/python -m bench.doc_examples docs/register-json.md          # check
    .venv/bin/python -m bench.doc_examples docs/register-json.md --write  # refresh outputs

In the document, a ```json block preceded by `<!-- file: NAME -->` is written to NAME in a
fresh temporary working directory; `<!-- env: NAME=VALUE … -->` sets environment variables for
every later command (the document should say so in its text, as it would say `export`); in ```console blocks every line starting with `$ ` is run
there by bash (with `python` being this interpreter), in order, and the lines after it up to
the next `$ ` are its expected output (stdout and stderr together). Matter numbers carry the
day they were registered: the document's day is mapped to today's when running, and clock
times and durations are ignored when comparing.
"""
from __future__ import annotations

import argparse
import difflib
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

FENCE = re.compile(r"^```(\w*)\s*$")
FILE_MARK = re.compile(r"<!--\s*file:\s*(\S+)\s*-->")
ENV_MARK = re.compile(r"<!--\s*env:\s*(.+?)\s*-->")
# The recovery code `init --admin` shows once: random in every run.
RECOVERY_CODE = re.compile(r"\b[A-Z2-9]{5}(-[A-Z2-9]{5}){4}\b")
QUERY_CODE = re.compile(r'("query_code": ")[A-Z2-9]{8}"')  # random per matter
NUMBER_DAY = re.compile(r"\b[A-Za-z0-9]+-(\d{8})-\d{4}\b")
CLOCK = re.compile(r"\b(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}(:\d{2})?\b")
SHOWN_WORKDIR = "/home/desk/examples"  # the temporary working directory, as printed in the document
DURATION = re.compile(r"(用时 )\d+(\.\d+)?( ?(ms|秒))")


def run_document(text: str, workdir: Path) -> tuple[str, list[str]]:
    """The document with every console output replaced by the real one, and the differences found."""
    doc_day = _doc_day(text)
    today = date.today().strftime("%Y%m%d")
    lines = text.splitlines()
    out: list[str] = []
    problems: list[str] = []
    pending_file: str | None = None
    env: dict[str, str] = {}
    i = 0
    while i < len(lines):
        line = lines[i]
        mark = FILE_MARK.search(line)
        if mark:
            pending_file = mark.group(1)
        env_mark = ENV_MARK.search(line)
        if env_mark:
            env.update(part.split("=", 1) for part in env_mark.group(1).split())
        fence = FENCE.match(line)
        if not fence or not fence.group(1):
            out.append(line)
            i += 1
            continue
        end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
        body = lines[i + 1:end]
        if fence.group(1) == "json" and pending_file:
            content = "\n".join(body) + "\n"
            (workdir / pending_file).write_text(content.replace(doc_day, today) if doc_day else content, encoding="utf-8")
            out.extend(lines[i:end + 1])
        elif fence.group(1) == "console":
            out.append(line)
            out.extend(_run_console(body, workdir, doc_day, today, problems, env))
            out.append(lines[end])
        else:
            out.extend(lines[i:end + 1])
        pending_file = None
        i = end + 1
    return "\n".join(out) + "\n", problems


def _run_console(body: list[str], workdir: Path, doc_day: str, today: str, problems: list[str],
                 env: dict[str, str]) -> list[str]:
    out: list[str] = []
    k = 0
    while k < len(body):
        if not body[k].startswith("$ "):
            k += 1
            continue
        command = body[k][2:]
        expected = []
        k += 1
        while k < len(body) and not body[k].startswith("$ "):
            expected.append(body[k])
            k += 1
        actual = _run(command.replace(doc_day, today) if doc_day else command, workdir, env)
        actual = [ln.replace(str(workdir), SHOWN_WORKDIR) for ln in actual]
        actual = [ln.replace(today, doc_day) if doc_day else ln for ln in actual]
        if _normal(expected) != _normal(actual):
            diff = "\n".join(difflib.unified_diff(expected, actual, "document", "actual", lineterm=""))
            problems.append(f"$ {command}\n{diff}")
        out.append(f"$ {command}")
        out.extend(actual)
    return out


def _run(command: str, workdir: Path, extra_env: dict[str, str]) -> list[str]:
    bindir = workdir / ".bin"  # `python` on PATH is this interpreter
    bindir.mkdir(exist_ok=True)
    shim = bindir / "python"
    if not shim.exists():  # a script, not a symlink: a venv is recognised by the interpreter's own path
        shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
        shim.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("XFDESK_")}
    env.update(extra_env, PATH=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}", PYTHONUNBUFFERED="1")
    done = subprocess.run(["bash", "-c", command], cwd=workdir, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=300)
    return done.stdout.decode("utf-8", "replace").rstrip("\n").splitlines()


def _normal(lines: list[str]) -> list[str]:
    out = []
    for ln in lines:
        ln = DURATION.sub(r"\1N\3", CLOCK.sub(r"\1 hh:mm:ss", ln))
        ln = QUERY_CODE.sub(r'\1XXXXXXXX"', RECOVERY_CODE.sub("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX", ln))
        out.append(ln.rstrip())
    return out


def _doc_day(text: str) -> str:
    """The day most matter numbers in the document carry (the day its outputs were made)."""
    days = Counter(NUMBER_DAY.findall(text))
    return days.most_common(1)[0][0] if days else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.doc_examples", description=__doc__.split("\n\n")[0])
    parser.add_argument("document", type=Path)
    parser.add_argument("--write", action="store_true", help="replace the outputs in the document by the real ones")
    args = parser.parse_args(argv)
    text = args.document.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="doc-examples-") as tmp:
        new_text, problems = run_document(text, Path(tmp))
    if args.write:
        args.document.write_text(new_text, encoding="utf-8")
        sys.stdout.write(f"{args.document}: outputs rewritten ({len(problems)} differed)\n")
        return 0
    for p in problems:
        sys.stdout.write(p + "\n\n")
    sys.stdout.write(f"{args.document}: {'OK' if not problems else f'{len(problems)} example(s) differ'}\n")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
