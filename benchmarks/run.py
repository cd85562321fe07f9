"""How fast gunstats starts and how it scales, measured in one run, interleaved.

Usage: python3 benchmarks/run.py [--quick] [--no-write]

It builds a virtual environment in benchmarks/.venv with a regular (not editable) install of
this checkout plus pandas and tabulate for the comparison script, then measures:

- start-up: ``gunstats report`` in Markdown and JSON against the floor
  ``python -c "import click, yaml"``, and the table against
  ``python -c "import click, yaml, rich.console, rich.table"``;
- the alternative: benchmarks/pandas_report.py printing the same year-on-year table;
- scale: generated (synthetic) files of 1,000 to 500,000 values, ``report --format json``
  against loading the same file with ``yaml.load(..., CSafeLoader)`` alone: wall time and
  peak memory (the child's maximum resident set size).

Commands are run round-robin, in a new random order each round, so a busy moment of the
machine falls on all of them alike;
medians are reported, and ratios are of medians from this one run. The results and the
machine they were taken on go to docs/performance.md (unless --no-write).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "benchmarks" / ".venv"
SIZES = (1_000, 10_000, 100_000, 500_000)
YEARS_PER_METRIC = 20


def python_in(environment: Path) -> Path:
    return environment / "bin" / "python"


def prepare_environment() -> Path:
    if not python_in(VENV).exists():
        print(f"creating {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    pip = [str(python_in(VENV)), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    print("installing gunstats (regular install), pandas and tabulate ...", flush=True)
    subprocess.run([*pip, "--force-reinstall", "--no-deps", str(ROOT)], check=True)
    subprocess.run([*pip, str(ROOT), "pandas", "tabulate"], check=True)
    return python_in(VENV)


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
    )
    return time.perf_counter() - start


MEASURE_MEMORY = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)\n"
    "elapsed = time.perf_counter() - start\n"
    "print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def timed_with_memory(python: Path, command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of one child, measured by a wrapper of its own."""
    out = subprocess.run(
        [str(python), "-c", MEASURE_MEMORY, *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), int(out[1])


def interleave(commands: dict[str, list[str]], rounds: int, cwd: Path) -> dict[str, float]:
    """Medians of ``rounds`` runs each, in a fresh random order every round.

    The shuffle keeps a command from always following the same neighbour (the pandas script,
    say), whose after-effects on caches would otherwise fall on it alone.
    """
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():  # warm the file cache and .pyc files first
        timed(command, cwd)
    order = list(commands)
    shuffler = random.Random(2026)
    for _ in range(rounds):
        shuffler.shuffle(order)
        for name in order:
            samples[name].append(timed(commands[name], cwd))
    return {name: statistics.median(values) for name, values in samples.items()}


def synthetic_figures(values: int, path: Path) -> None:
    """Synthetic (not real) figures: many metrics of 20 financial years each."""
    generator = random.Random(values)
    lines = [
        "# Synthetic benchmark data: made up by benchmarks/run.py, not real figures.",
        "title: Synthetic national collection (not real data)",
        "metrics:",
    ]
    for number in range(values // YEARS_PER_METRIC):
        percent = number % 5 == 4
        lines += [
            f"  measure_{number}:",
            f"    label: Synthetic measure {number}",
            f"    unit: {'percent' if percent else 'count'}",
            f"    better: {'up' if number % 2 else 'down'}",
            "    values:",
        ]
        for year in range(2003, 2003 + YEARS_PER_METRIC):
            value = round(generator.uniform(0, 100), 1) if percent else generator.randint(0, 5000)
            lines.append(f"      {year}/{(year + 1) % 100:02d}: {value}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def instruction_counts(commands: dict[str, list[str]], cwd: Path) -> list[str]:
    """Start-up in instructions, which unlike time do not depend on what else the machine
    is doing: ``valgrind --tool=callgrind``, where it is installed."""
    if shutil.which("valgrind") is None:
        return ["", "Instruction counts: not measured (valgrind is not installed)."]
    counts = {}
    for name in ("floor", "markdown", "json", "table floor", "table"):
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *commands[name]],
            cwd=cwd,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        found = re.search(r"Collected : (\d+)", result.stderr)
        if not found:
            return ["", "Instruction counts: valgrind did not report them."]
        counts[name] = int(found.group(1))
    return [
        "",
        "Start-up in instructions (callgrind, one run each):",
        "",
        "| command | instructions | ratio to its floor |",
        "|---|---:|---:|",
        *(
            f"| {name} | {counts[name]:,} | {counts[name] / counts[floor]:.3f} |"
            for name, floor in (("markdown", "floor"), ("json", "floor"), ("table", "table floor"))
        ),
        f"| floor | {counts['floor']:,} | |",
        f"| table floor | {counts['table floor']:,} | |",
    ]


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, smaller files")
    parser.add_argument("--no-write", action="store_true", help="do not write the docs page")
    args = parser.parse_args()
    rounds = 5 if args.quick else 41
    sizes = SIZES[:3] if args.quick else SIZES

    python = prepare_environment()
    gunstats = str(python.parent / "gunstats")
    results: list[tuple[str, str, float, str]] = []  # (measurement, detail, ratio, verdict)
    lines: list[str] = []

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)  # no figures.yaml here: gunstats uses the shipped figures
        shipped = ROOT / "figures.yaml"
        start_up_commands = {
            "floor": [str(python), "-c", "import click, yaml"],
            "markdown": [gunstats, "report", "--format", "markdown"],
            "json": [gunstats, "report", "--format", "json"],
            "table floor": [str(python), "-c", "import click, yaml, rich.console, rich.table"],
            "table": [gunstats, "report", "--format", "table"],
            "pandas": [str(python), str(ROOT / "benchmarks" / "pandas_report.py"), str(shipped)],
        }
        start_up = interleave(start_up_commands, rounds, work)
        lines.append(f"Start-up, median of {rounds} interleaved runs:")
        lines.append("")
        lines.append("| command | median (ms) |")
        lines.append("|---|---:|")
        for name, seconds in start_up.items():
            lines.append(f"| {name} | {seconds * 1000:.1f} |")
        for name, floor in (("markdown", "floor"), ("json", "floor"), ("table", "table floor")):
            ratio = start_up[name] / start_up[floor]
            results.append(
                (f"{name} start-up", f"gunstats / `{floor}`", ratio, _verdict(ratio <= 1.2))
            )
        speed_up = start_up["pandas"] / start_up["markdown"]
        results.append(
            ("against pandas", "pandas script / gunstats", speed_up, _verdict(speed_up >= 5))
        )

        lines += ["", "Scale, `report --format json` against `yaml.load(..., CSafeLoader)`:", ""]
        lines.append(
            "| values | file (MB) | gunstats (s) | yaml.load (s) | time ratio | "
            "gunstats peak (MB) | yaml.load peak (MB) | memory ratio | gunstats µs/value |"
        )
        lines.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        repeats = 1 if args.quick else 3
        for size in sizes:
            path = work / f"synthetic-{size}.yaml"
            synthetic_figures(size, path)
            load = [
                str(python),
                "-c",
                "import sys, yaml; yaml.load(open(sys.argv[1], encoding='utf-8'), "
                "Loader=yaml.CSafeLoader)",
                str(path),
            ]
            report = [gunstats, "report", "-f", str(path), "--format", "json"]
            ours, theirs = [], []
            for _ in range(repeats):
                ours.append(timed_with_memory(python, report, work))
                theirs.append(timed_with_memory(python, load, work))
            our_time = statistics.median(t for t, _ in ours)
            their_time = statistics.median(t for t, _ in theirs)
            our_memory = max(m for _, m in ours) / 1024
            their_memory = max(m for _, m in theirs) / 1024
            time_ratio, memory_ratio = our_time / their_time, our_memory / their_memory
            lines.append(
                f"| {size:,} | {path.stat().st_size / 1e6:.1f} | {our_time:.2f} | "
                f"{their_time:.2f} | {time_ratio:.2f} | {our_memory:.0f} | {their_memory:.0f} | "
                f"{memory_ratio:.2f} | {our_time / size * 1e6:.1f} |"
            )
            if size >= 100_000:
                results.append(
                    (f"time at {size:,} values", "gunstats / yaml.load", time_ratio,
                     _verdict(time_ratio <= 1.1))
                )  # fmt: skip
                results.append(
                    (f"memory at {size:,} values", "gunstats / yaml.load", memory_ratio,
                     _verdict(memory_ratio <= 2.0))
                )  # fmt: skip

        lines += instruction_counts(start_up_commands, work)

    summary = ["| measurement | ratio | value | target |", "|---|---|---:|---|"]
    targets = {
        "start-up": "≤ 1.2",
        "against pandas": "≥ 5",
        "time at": "≤ 1.1",
        "memory at": "≤ 2",
    }
    for measurement, detail, ratio, verdict in results:
        target = next(t for prefix, t in targets.items() if prefix in measurement)
        summary.append(f"| {measurement} | {detail} | {ratio:.2f} | {target}: {verdict} |")
    report_text = "\n".join([*summary, "", *lines])
    print()
    print(report_text)
    if not args.no_write:
        page = ROOT / "docs" / "performance.md"
        page.write_text(
            "# Performance\n\n"
            "Measured by `python3 benchmarks/run.py`"
            + (" --quick" if args.quick else "")
            + f" on {machine()}, {time.strftime('%Y-%m-%d')}. Ratios are of medians from this "
            "one run; the commands ran interleaved, so load on the machine fell on all alike. "
            "Scale files are synthetic (made up by the script).\n\n"
            "Reading these numbers: on a shared 2-core virtual machine the start-up ratios move "
            "by a few hundredths from one run to the next, so a ratio within 0.03 of its target "
            "is a tie, not a verdict; the instruction counts below (where valgrind is "
            "installed) do not move. The floor imports Click and PyYAML but runs nothing; "
            "gunstats also parses its options, reads and checks the figures and writes the "
            "report. The scale ratios are steady to within a few per cent.\n\n"
            + report_text
            + "\n",
            encoding="utf-8",
        )
        print(f"\nwritten to {page.relative_to(ROOT)}")
    return 0 if all(verdict == "met" for *_, verdict in results) else 1


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


if __name__ == "__main__":
    sys.exit(main())
