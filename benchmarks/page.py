"""What benchmarks/run.py writes besides its timings: instruction counts (callgrind), the
machine, and the page docs/performance.md."""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def instruction_counts(commands: dict[str, list[str]], cwd: Path) -> list[str]:
    """Start-up in instructions, which unlike time do not depend on what else the machine
    is doing: ``valgrind --tool=callgrind``, where it is installed."""
    if shutil.which("valgrind") is None:
        return ["", "Instruction counts: not measured (valgrind is not installed)."]
    counts = {}
    for name, command in commands.items():
        if name == "pandas":
            continue
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
            cwd=cwd,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        found = re.search(r"Collected : (\d+)", result.stderr)
        if not found:
            return ["", "Instruction counts: valgrind did not report them."]
        counts[name] = int(found.group(1))
    lines = [
        "",
        "Start-up in instructions (callgrind, one run each):",
        "",
        "| command | instructions | ratio to its floor |",
        "|---|---:|---:|",
    ]
    for name, count in counts.items():
        floor = "table floor" if name == "report table" else "floor"
        shown = "" if "floor" in name else f"{count / counts[floor]:.3f}"
        lines.append(f"| {name} | {count:,} | {shown} |")
    return lines


def machine() -> str:
    model = "unknown processor"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.system()} {platform.machine()}, {model}, {os.cpu_count()} cores; "
        f"Python {platform.python_version()}"
    )


def write_page(report_text: str, quick: bool, groups, minutes: float) -> None:
    page = ROOT / "docs" / "performance.md"
    rounds = "; ".join(
        f"{' and '.join(f'{size:,}' for size in sizes)} values: {n} rounds" for sizes, n in groups
    )
    page.write_text(
        "# Performance\n\n"
        "Measured by `python3 benchmarks/run.py`"
        + (" --quick" if quick else "")
        + f" on {machine()}, {time.strftime('%Y-%m-%d')}, in {minutes:.0f} minutes. "
        "Scale files are synthetic (made up by the script); the table is drawn at "
        "`COLUMNS=100`.\n\n"
        "How to read it. Each group of commands ran interleaved, in a new random order each "
        "round, and every ratio is of medians from this one run. Ratios are of processor "
        "time (user and system, from `wait4`), not wall time: on a shared 2-core virtual "
        "machine whose other tenants come and go, wall time measures them as much as "
        "gunstats (both are shown). Start-up ratios still move by a few hundredths from run "
        "to run, so one within 0.03 of its target is a tie, not a verdict; the instruction "
        "counts at the end (callgrind) do not move. The floor imports Click and PyYAML but "
        "runs nothing; gunstats also parses its options, reads and checks the figures and "
        "writes the report. 5,000 and 50,000 values run in the same rounds, so that the "
        f"growth from one to the other is fairly measured; rounds: {rounds}. Peak memory is "
        "the highest of a command's rounds.\n\n" + report_text + "\n",
        encoding="utf-8",
    )
    print(f"\nwritten to {page.relative_to(ROOT)}")
