"""Synthetic (made-up, seeded) figures files for the benchmarks; each file says it is not real.

Usage: python3 benchmarks/synthetic.py years|months|areas SIZE OUTPUT [--whole N]

- years: SIZE values, many metrics of 25 financial years each (``report`` at scale);
- months: SIZE values, pairs of counts of 2,500 months each with their rate (``summary``);
- areas: SIZE areas, each with a population and a count in two financial years, the whole
  the sum of the areas' counts, so that ``gunstats areas`` runs both of its tests on every
  area (the change on the previous year, and the area against the rest of the whole).
  ``--whole`` sets the whole's count a year: about 5,000 is ward-like (a handful of events
  an area); 500,000 gives each of 500 areas about a thousand, the heaviest case for the
  tests.

benchmarks/run.py makes its files with these functions.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

YEARS_PER_METRIC = 25
MONTHS_PER_METRIC = 2_500
AREA_YEARS = ("2022/23", "2023/24")


def synthetic_figures(values: int, path: Path) -> None:
    """Synthetic (not real) figures: many metrics of 25 financial years each."""
    generator = random.Random(values)
    lines = [
        "# Synthetic benchmark data: made up by benchmarks/synthetic.py, not real figures.",
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
        for year in range(2000, 2000 + YEARS_PER_METRIC):
            value = round(generator.uniform(0, 100), 1) if percent else generator.randint(0, 5000)
            lines.append(f"      {year}/{(year + 1) % 100:02d}: {value}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def synthetic_months(values: int, path: Path) -> None:
    """Synthetic (not real) monthly figures: pairs of counts of 2,500 months each (1950-01
    to 2158-04), all and solved, and for each pair the rate worked out from them, as a
    force's monthly file has."""
    generator = random.Random(values)
    lines = [
        "# Synthetic benchmark data: made up by benchmarks/synthetic.py, not real figures.",
        "title: Synthetic monthly collection (not real data)",
        "metrics:",
    ]
    months = [f"{1950 + m // 12}-{m % 12 + 1:02d}" for m in range(MONTHS_PER_METRIC)]
    totals: list[int] = []
    for number in range(values // MONTHS_PER_METRIC):
        solved = number % 2 == 1
        lines += [
            f"  count_{number}:",
            f"    label: Synthetic {'solved' if solved else 'count'} {number}",
            "    unit: count",
            f"    better: {'up' if solved else 'down'}",
            "    months:",
        ]
        if solved:  # never more solved than happened
            counts = [generator.randint(0, total) for total in totals]
        else:
            counts = totals = [generator.randint(50, 500) for _ in months]
        lines += [f"      {month}: {count}" for month, count in zip(months, counts, strict=True)]
        if solved:
            lines += [
                f"  rate_{number}:",
                f"    label: Synthetic rate {number}",
                "    unit: percent",
                "    better: up",
                f"    ratio_of: {{numerator: count_{number}, denominator: count_{number - 1}}}",
            ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def synthetic_areas(areas: int, whole: int, seed: int = 12) -> str:
    """The YAML text: ``areas`` areas whose counts add up to about ``whole`` a year."""
    rng = random.Random(seed)
    populations = [rng.randint(4_000, 40_000) for _ in range(areas)]
    people = sum(populations)
    lines = [
        "# Synthetic benchmark data: made up by benchmarks/synthetic.py, not real figures.",
        f"title: Synthetic areas ({areas} areas; not real data)",
        "areas:",
    ]
    for number, population in enumerate(populations):
        lines += [
            f"  area_{number}:",
            f"    name: Synthetic area {number}",
            f"    population: {{{AREA_YEARS[0]}: {population}}}",
        ]
    counts: dict[str, list[int]] = {}
    for year in AREA_YEARS:
        # Each area's rate varies by up to a third either side of the whole's.
        counts[year] = [
            max(0, round(whole * population / people * rng.uniform(0.67, 1.33)))
            for population in populations
        ]
    lines += [
        "metrics:",
        "  synthetic_offences:",
        "    label: Synthetic offences",
        "    unit: count",
        "    better: down",
        "    values: {" + ", ".join(f"{year}: {sum(counts[year])}" for year in AREA_YEARS) + "}",
        "    areas:",
    ]
    for number in range(areas):
        values = ", ".join(f"{year}: {counts[year][number]}" for year in AREA_YEARS)
        lines.append(f"      area_{number}: {{values: {{{values}}}}}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shape", choices=("years", "months", "areas"))
    parser.add_argument("size", type=int, help="values (years, months) or areas (areas)")
    parser.add_argument("output", type=Path)
    parser.add_argument("--whole", type=int, default=5_000, help="areas: the whole's count")
    args = parser.parse_args()
    if args.shape == "areas":
        args.output.write_text(synthetic_areas(args.size, args.whole), encoding="utf-8")
    else:
        make = synthetic_figures if args.shape == "years" else synthetic_months
        make(args.size, args.output)


if __name__ == "__main__":
    main()
