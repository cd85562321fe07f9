"""The alternative gunstats is measured against: a short pandas + tabulate script.

It prints the same year-on-year table as ``gunstats report`` (measure, periods, change,
relative change) from the same figures file, the way an analyst might in a notebook.
tests/test_benchmarks.py checks its numbers against gunstats, so the race is fair.

Usage: python benchmarks/pandas_report.py FIGURES.yaml
"""

import re
import sys

import pandas as pd
import yaml


def financial_year_start(text: str) -> int:
    return int(re.match(r"\d{4}", str(text)).group(0))


def main(path: str) -> None:
    with open(path, encoding="utf-8") as handle:
        figures = yaml.load(handle, Loader=yaml.CSafeLoader)
    rows = [
        {
            "label": metric["label"],
            "unit": metric["unit"],
            "year": financial_year_start(period),
            "value": value["value"] if isinstance(value, dict) else value,
        }
        for metric in figures["metrics"].values()
        for period, value in (metric.get("values") or {}).items()
    ]
    frame = pd.DataFrame(rows).sort_values(["label", "year"])
    previous = frame.groupby("label").shift(1)
    frame["previous_year"] = previous["year"]
    frame["change"] = frame["value"] - previous["value"]
    frame["relative"] = frame["change"] / previous["value"] * 100
    changes = frame[frame["previous_year"] == frame["year"] - 1].copy()
    changes["Measure"] = changes["label"]
    changes["Periods"] = [
        f"{y - 1}/{(y) % 100:02d} to {y}/{(y + 1) % 100:02d}" for y in changes["year"]
    ]
    changes["Change"] = [
        f"{change:+,.1f} pp" if unit == "percent" else f"{change:+,.0f}"
        for change, unit in zip(changes["change"], changes["unit"], strict=True)
    ]
    changes["Relative change (%)"] = changes["relative"].map(lambda r: f"{r:+.1f}")
    table = changes[["Measure", "Periods", "Change", "Relative change (%)"]]
    print(
        table.to_markdown(
            index=False, colalign=("left", "left", "right", "right"), disable_numparse=True
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
