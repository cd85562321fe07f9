"""How fast gunstats starts and how it scales, every command and format, in one run.

Usage: python3 benchmarks/run.py [--quick] [--no-write]

It builds a virtual environment in benchmarks/.venv with a regular (not editable) install of
this checkout plus pandas and tabulate for the comparison script, then measures:

- start-up: ``report`` in each format, ``summary``, ``validate`` and ``metrics`` against
  the floor ``python -c "import click, yaml"`` (the table against
  ``python -c "import click, yaml, rich.console, rich.table"``), and the pandas script
  benchmarks/pandas_report.py printing the same year-on-year table;
- scale: generated (synthetic) files of 5,000, 50,000 and 500,000 values in two shapes,
  many metrics of 25 financial years each (``report`` in every format) and a few metrics
  of 2,500 months each (``summary`` and ``report`` in every format), against loading the
  same file with ``yaml.load(..., CSafeLoader)`` alone: wall time and peak memory (the
  child's maximum resident set size, from ``wait4``);
- areas: ``areas`` in every format on 500 synthetic areas, with a whole of 5,000 and of
  500,000 events a year, against issue 12's "well under a second" (``--areas-only`` runs
  this part alone). The files come from benchmarks/synthetic.py.

Every group of commands runs round-robin, in a new random order each round, so a busy
moment of the machine falls on all of them alike; times are medians, peaks the highest seen,
and every ratio is of processor times (user and system) from this one run, which a shared
machine's other tenants disturb far less than wall time. Each target is printed with "met"
or "NOT met", and the results and the machine go to docs/performance.md (unless --no-write).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import venv
from pathlib import Path

from page import instruction_counts, write_page
from synthetic import synthetic_areas, synthetic_figures, synthetic_months

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "benchmarks" / ".venv"
FORMATS = ("table", "markdown", "json", "csv")
START_UP_ROUNDS, QUICK_START_UP_ROUNDS = 41, 5
GROUPS = (((5_000, 50_000), 7), ((500_000,), 3))
"""Sizes measured together (interleaved in the same rounds, so that their ratio is fair), and
how many rounds: fewer for the largest files, to keep the whole run near 20 minutes."""
QUICK_GROUPS = (((5_000, 50_000), 2),)
SCALE_ENVIRONMENT = {"COLUMNS": "100"}  # the table's width, as in issue 16's measurements
AREAS, AREA_WHOLES = 500, (5_000, 500_000)
"""``gunstats areas`` on 500 areas (wards, say), with a whole of 5,000 events a year (a
handful an area) and of 500,000 (about a thousand an area: the heaviest case for its tests)."""
AREA_ROUNDS, QUICK_AREA_ROUNDS = 7, 2
AREA_LIMIT = 0.5  # seconds of processor time: issue 12's "well under a second"
TIMEOUT = 900  # seconds for one run: a regression to the old quadratic table stops here

LATER_COMMANDS: list[tuple[str, list[str]]] = []
"""Commands still to land, each (name, arguments after ``gunstats``), measured at start-up
against the floor with the same target as ``validate``: e.g. ``("areas", ["areas"])`` or
``("import", ["import", "--help"])``."""


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


def run(command: list[str], cwd: Path, environment: dict[str, str]) -> tuple[float, float, int]:
    """Wall time, processor time (user and system, s) and peak resident memory (KiB) of one
    child, its output thrown away."""
    start = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=cwd, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    timer = threading.Timer(TIMEOUT, child.kill)
    timer.start()
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    timer.cancel()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, command)
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


class Result:
    """One command's samples: median processor and wall time (s), highest peak (MB)."""

    def __init__(self) -> None:
        self.walls: list[float] = []
        self.cpus: list[float] = []
        self.peaks: list[int] = []

    @property
    def wall(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus)

    @property
    def memory(self) -> float:
        return max(self.peaks) / 1024


def interleave(
    commands: dict[str, list[str]],
    rounds: int,
    cwd: Path,
    environment: dict[str, str],
    progress: bool = False,
) -> dict[str, Result]:
    """``rounds`` runs of each command, in a fresh random order every round.

    The shuffle keeps a command from always following the same neighbour (the pandas script,
    say), whose after-effects on caches would otherwise fall on it alone.
    """
    results = {name: Result() for name in commands}
    if rounds > 3:  # warm the file cache and .pyc files first (the median absorbs one cold run)
        for command in commands.values():
            run(command, cwd, environment)
    order = list(commands)
    shuffler = random.Random(2026)
    for number in range(rounds):
        shuffler.shuffle(order)
        for name in order:
            wall, cpu, peak = run(commands[name], cwd, environment)
            results[name].walls.append(wall)
            results[name].cpus.append(cpu)
            results[name].peaks.append(peak)
        if progress:
            print(f"  round {number + 1} of {rounds} done", flush=True)
    return results


SHAPES = {
    "years": (synthetic_figures, ["report"]),
    "months": (synthetic_months, ["summary", "report"]),
}
"""Each file shape: how it is made and the commands run over it, in every format."""


# -- measuring ---------------------------------------------------------------------------------


class Targets:
    """Every target with its measured ratio, printed with met or NOT met."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, float, str, bool]] = []

    def check(self, what: str, ratio_of: str, ratio: float, limit: float, most: bool = True):
        met = ratio <= limit if most else ratio >= limit
        self.rows.append((what, ratio_of, ratio, f"{'≤' if most else '≥'} {limit:g}", met))

    def table(self) -> list[str]:
        lines = ["| target | ratio of | measured | target | verdict |", "|---|---|---:|---|---|"]
        for what, ratio_of, ratio, target, met in self.rows:
            verdict = "met" if met else "**NOT met**"
            lines.append(f"| {what} | {ratio_of} | {ratio:.2f} | {target} | {verdict} |")
        return lines

    def all_met(self) -> bool:
        return all(met for *_, met in self.rows)


def start_up(python: Path, gunstats: str, work: Path, rounds: int, targets: Targets):
    monthly, shipped = str(ROOT / "examples" / "monthly.yaml"), str(ROOT / "figures.yaml")
    commands = {
        "floor": [str(python), "-c", "import click, yaml"],
        "table floor": [str(python), "-c", "import click, yaml, rich.console, rich.table"],
        **{f"report {f}": [gunstats, "report", "--format", f] for f in FORMATS},
        "summary": [gunstats, "summary", "-f", monthly],
        "validate": [gunstats, "validate"],
        "metrics": [gunstats, "metrics"],
        **{name: [gunstats, *arguments] for name, arguments in LATER_COMMANDS},
        "pandas": [str(python), str(ROOT / "benchmarks" / "pandas_report.py"), str(shipped)],
    }
    print(f"start-up: {len(commands)} commands, {rounds} rounds")
    results = interleave(commands, rounds, work, dict(os.environ))
    lines = [
        f"Start-up, medians of {rounds} interleaved runs (`report` on the shipped figures, "
        "`summary` on examples/monthly.yaml, output to a pipe):",
        "",
        "| command | processor (ms) | wall (ms) | ratio to its floor (processor) |",
        "|---|---:|---:|---:|",
    ]
    for name, result in results.items():
        floor = "table floor" if name == "report table" else "floor"
        ratio = result.cpu / results[floor].cpu
        shown = "" if "floor" in name or name == "pandas" else f"{ratio:.3f}"
        lines.append(f"| {name} | {result.cpu * 1000:.1f} | {result.wall * 1000:.1f} | {shown} |")
        if name.startswith("report"):
            targets.check(f"{name} start-up", f"`{floor}`", ratio, 1.2)
        elif name not in ("floor", "table floor", "pandas"):
            targets.check(f"{name} start-up", f"`{floor}`", ratio, 1.25)
    speed_up = results["pandas"].cpu / results["report markdown"].cpu
    targets.check("against pandas", "pandas script / report markdown", speed_up, 5, most=False)
    return lines, commands


def scale(python: Path, gunstats: str, work: Path, groups, targets: Targets):
    """Every size of a group in the same rounds; each size's commands, and the load, alike."""
    environment = {**os.environ, **SCALE_ENVIRONMENT}
    found: dict[tuple[str, int], dict[str, Result]] = {}
    rounds: dict[int, int] = {}
    for sizes, group_rounds in groups:
        commands = {}
        for size in sizes:
            rounds[size] = group_rounds
            for shape, (make, verbs) in SHAPES.items():
                path = work / f"synthetic-{shape}-{size}.yaml"
                make(size, path)
                commands[f"{size} {shape} yaml.load"] = [
                    str(python),
                    "-c",
                    "import sys, yaml; yaml.load(open(sys.argv[1], encoding='utf-8'), "
                    "Loader=yaml.CSafeLoader)",
                    str(path),
                ]
                for verb in verbs:
                    for f in FORMATS:
                        command = [gunstats, verb, "-f", str(path), "--format", f]
                        commands[f"{size} {shape} {verb} {f}"] = command
        listed = " and ".join(f"{size:,}" for size in sizes)
        print(f"scale: {listed} values, {len(commands)} commands, {group_rounds} rounds")
        results = interleave(commands, group_rounds, work, environment, progress=True)
        for size in sizes:
            for shape in SHAPES:
                prefix = f"{size} {shape} "
                found[shape, size] = {
                    name.removeprefix(prefix): result
                    for name, result in results.items()
                    if name.startswith(prefix)
                }
    lines = []
    for shape, (_, verbs) in SHAPES.items():
        for verb in verbs:
            lines += scale_table(shape, verb, found, rounds)
            scale_targets(shape, verb, found, targets)
    return lines


def scale_table(shape: str, verb: str, found, rounds: dict[int, int]) -> list[str]:
    described = {
        "years": "many metrics by 25 financial years",
        "months": "a few metrics by 2,500 months",
    }[shape]
    lines = [
        "",
        f"`{verb}` on {described}: median processor time in seconds (wall time), peak "
        "memory in MB, and each format's processor time against the load's:",
        "",
        "| values | rounds | " + " | ".join(FORMATS) + " | yaml.load | peak MB: "
        + ", ".join([*FORMATS, "load"]) + " | " + " | ".join(f"{f} / load" for f in FORMATS)
        + " |",
        "|---:|---:|" + "---:|" * (2 * len(FORMATS) + 2),
    ]  # fmt: skip
    for size in rounds:
        results = found[shape, size]
        load = results["yaml.load"]
        ours = [results[f"{verb} {f}"] for f in FORMATS]
        cells = [f"{r.cpu:.2f} ({r.wall:.2f})" for r in [*ours, load]]
        cells.append(", ".join(f"{r.memory:.0f}" for r in [*ours, load]))
        cells += [f"{r.cpu / load.cpu:.2f}" for r in ours]
        lines.append(f"| {size:,} | {rounds[size]} | " + " | ".join(cells) + " |")
    return lines


def scale_targets(shape: str, verb: str, found, targets: Targets) -> None:
    name = f"`{verb}`, {shape}"
    sizes = sorted(size for found_shape, size in found if found_shape == shape)
    for size in sizes:
        results = found[shape, size]
        if size <= 50_000:
            for slower, faster in (("table", "markdown"), ("markdown", "json")):
                ratio = results[f"{verb} {slower}"].cpu / results[f"{verb} {faster}"].cpu
                targets.check(f"{name}: {slower} at {size:,}", faster, ratio, 1.5)
        if size == 500_000:
            load = results["yaml.load"]
            for f in FORMATS:
                mine = results[f"{verb} {f}"]
                what = f"{name}: {f} at 500,000"
                targets.check(f"{what}, time", "yaml.load", mine.cpu / load.cpu, 1.5)
                targets.check(f"{what}, memory", "yaml.load", mine.memory / load.memory, 2)
    if 5_000 in sizes and 50_000 in sizes:
        for f in FORMATS:
            small, large = (found[shape, size][f"{verb} {f}"].cpu for size in (5_000, 50_000))
            targets.check(f"{name}: {f}, 50,000 values", "its time at 5,000", large / small, 11)


def areas_at_scale(gunstats: str, work: Path, rounds: int, targets: Targets) -> list[str]:
    """``gunstats areas`` in every format on synthetic areas: each area's change on the year
    before and its rate against the rest's are both tested (the Poisson E-test)."""
    commands = {}
    for whole in AREA_WHOLES:
        path = work / f"synthetic-areas-{whole}.yaml"
        path.write_text(synthetic_areas(AREAS, whole), encoding="utf-8")
        for f in FORMATS:
            arguments = ["areas", "-f", str(path), "--metric", "synthetic_offences", "--format", f]
            commands[f"{whole} {f}"] = [gunstats, *arguments]
    print(f"areas: {AREAS} areas, {len(commands)} commands, {rounds} rounds")
    results = interleave(commands, rounds, work, {**os.environ, **SCALE_ENVIRONMENT})
    lines = [
        "",
        f"`areas` on {AREAS} synthetic areas, both tests on every area: median processor "
        f"time in seconds (wall time) of {rounds} rounds, by the whole's count a year:",
        "",
        "| whole's count | " + " | ".join(FORMATS) + " |",
        "|---:|" + "---:|" * len(FORMATS),
    ]
    for whole in AREA_WHOLES:
        found = [results[f"{whole} {f}"] for f in FORMATS]
        lines.append(
            f"| {whole:,} | " + " | ".join(f"{r.cpu:.2f} ({r.wall:.2f})" for r in found) + " |"
        )
        for f, result in zip(FORMATS, found, strict=True):
            what = f"`areas`, {AREAS} areas of {whole:,}: {f}"
            targets.check(what, "seconds (processor)", result.cpu, AREA_LIMIT)
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, no 500,000-value files")
    parser.add_argument("--no-write", action="store_true", help="do not write the docs page")
    parser.add_argument(
        "--areas-only", action="store_true", help="only `gunstats areas` (writes no page)"
    )
    args = parser.parse_args()
    start_up_rounds = QUICK_START_UP_ROUNDS if args.quick else START_UP_ROUNDS
    groups = QUICK_GROUPS if args.quick else GROUPS

    python = prepare_environment()
    gunstats = str(python.parent / "gunstats")
    targets = Targets()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)  # no figures.yaml here: gunstats uses the shipped figures
        area_rounds = QUICK_AREA_ROUNDS if args.quick else AREA_ROUNDS
        if args.areas_only:
            lines = areas_at_scale(gunstats, work, area_rounds, targets)
        else:
            lines, commands = start_up(python, gunstats, work, start_up_rounds, targets)
            lines += scale(python, gunstats, work, groups, targets)
            lines += areas_at_scale(gunstats, work, area_rounds, targets)
            lines += instruction_counts(commands, work)
    minutes = (time.perf_counter() - started) / 60
    report_text = "\n".join([*targets.table(), "", *lines])
    print()
    print(report_text)
    print(f"\n{minutes:.0f} minutes")
    if not (args.no_write or args.areas_only):
        write_page(report_text, args.quick, groups, minutes)
    return 0 if targets.all_met() else 1


if __name__ == "__main__":
    sys.exit(main())
