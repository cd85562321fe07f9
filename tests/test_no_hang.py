"""No hang, no traceback: every corpus file and hostile input through every command.

The README promises that bad input gets a one-line message and an exit code, never a
traceback, and that no input makes gunstats run for minutes. This runs each figures file of
``tests/data`` (broken, hostile and odd-but-valid), the examples, the shipped figures and a
few generated files that once took minutes, through every command and output format, each
run limited to :data:`HANG_SECONDS`; then hostile environments and standard streams through
the installed command. A new command or corpus file is covered without a new test.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from gunstats.cli import cli

from .conftest import ROOT, SHIPPED
from .test_hostile import DATA, HANG_SECONDS, commands_reading_figures, no_hang
from .test_subprocess import GUNSTATS, bare_env

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
TEMPLATE = ROOT / "examples" / "press-release.md.j2"
HAS_CHARTS = importlib.util.find_spec("matplotlib") is not None
HAS_TEMPLATES = importlib.util.find_spec("jinja2") is not None

_METRIC = "  {id}:\n    label: {label}\n    unit: count\n    better: up\n    values: {values}\n"


def _figures(*metrics: tuple[str, str, str]) -> str:
    head = "title: Synthetic hostile input for gunstats' tests (not real data)\nmetrics:\n"
    return head + "".join(_METRIC.format(id=i, label=lab, values=v) for i, lab, v in metrics)


def _long_ids() -> str:
    ids = [f"{n:04d}" + "abcdefghij" * 100 for n in range(60)]
    text = "title: Synthetic (not real data)\nsources:\n"
    text += "".join(f"  s{i}:\n    title: S\n" for i in ids) + "metrics:\n"
    for n, i in enumerate(ids):
        text += _METRIC.format(id=f"m{n}", label="L", values="{2019/20: 1}")
        text += f"    source: x{i[::-1]}\n"
    return text


GENERATED = {
    # Issue 14, item 6: Markdown cell escaping was quadratic in a label of shorthand.
    "label_of_brackets": _figures(("a", '"' + "[x]" * 8000 + '!"', "{2019/20: 1, 2020/21: 2}")),
    # Item 7: 60 long undefined ids, each error once ran difflib over all and listed all.
    "long_undefined_ids": _long_ids(),
    # Item 8: the table measured itself once per year dropped, 300 years apart.
    "years_far_apart": _figures(("a", "A", "{1900/01: 1}"), ("b", "B", "{2199/00: 2}")),
    # Item 14: a '$' is mathtext to matplotlib.
    "dollars_in_a_label": _figures(("a", '"$5m to $10m"', "{2019/20: 1, 2020/21: 2}")),
    # Every year gunstats accepts, and a label of one 50,000-letter word.
    "every_year": _figures(
        (
            "a",
            "A" * 50_000,
            "{" + ", ".join(f"{y}/{(y + 1) % 100:02d}: {y}" for y in range(1900, 2199)) + "}",
        )
    ),
    # Many lone dashes: each once a YAML error that hid the rest.
    "many_lone_dashes": _figures(("a", "A", "{2019/20: 1}"))
    + "    months:\n"
    + "".join(f"      {y}-{m:02d}: -\n" for y in range(2000, 2010) for m in range(1, 13)),
}

CORPUS = (
    sorted((DATA / "invalid").glob("*.yaml"))
    + sorted((DATA / "valid").glob("*.yaml"))
    + [DATA / "briefing.yaml", DATA / "readme-invalid.yaml", SHIPPED, *EXAMPLES]
)


def runs(charts: str) -> list[tuple[str, ...]]:
    """Every command reading figures, in every output format it has."""
    found: list[tuple[str, ...]] = []
    for name in commands_reading_figures():
        if name == "chart":
            if HAS_CHARTS:
                found += [("chart", "-d", charts), ("chart", "--monthly", "-d", charts)]
                found.append(("chart", "--areas", "-d", charts))
        elif name == "report":
            found += [("report", "--format", f) for f in ("table", "markdown", "json", "csv")]
            found += [
                ("report", "--format", "table", "--period-style", "gov-uk", "--from", "2019/20")
            ]
            if HAS_TEMPLATES:
                found.append(("report", "--template", str(TEMPLATE)))
            if HAS_CHARTS:
                found.append(("report", "--format", "markdown", "--charts", charts))
        elif name == "summary":
            found += [("summary", "--format", f) for f in ("table", "markdown", "json", "csv")]
            found.append(("summary", "--month", "previous", "--date", "2023-03-15", "--strict"))
        elif name == "areas":
            found += [("areas", "--format", f) for f in ("table", "markdown", "json", "csv")]
        else:
            found.append((name,))
    return found


def check(result, args) -> None:
    """The promise: an exit code gunstats documents, and no traceback."""
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args,
        repr(result.exception),
    )
    assert "Traceback" not in result.stderr, (args, result.stderr[-2000:])


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("GUNSTATS_FIGURES", "GUNSTATS_FORMAT", "GUNSTATS_MAX_BYTES", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def _run_all(path: Path, folder: Path) -> None:
    """Every run, then every broken promise at once (not only the first)."""
    broken = []
    for args in runs(str(folder / "charts")):
        with no_hang(HANG_SECONDS):
            result = CliRunner().invoke(cli, [*args, "-f", str(path)])
        try:
            check(result, args)
        except AssertionError as error:
            broken.append(str(error).splitlines()[0][:300])
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_every_corpus_file_through_every_command(path, tmp_path, monkeypatch, clean_env):
    monkeypatch.chdir(tmp_path)
    _run_all(path, tmp_path)


@pytest.mark.parametrize("name", GENERATED)
def test_every_generated_hostile_file_through_every_command(name, tmp_path, monkeypatch, clean_env):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / f"{name}.yaml"
    path.write_text(GENERATED[name], encoding="utf-8")
    _run_all(path, tmp_path)


HOSTILE_ARGUMENTS = [
    ("report", "-o", ""),
    ("report", "-f", "\x1b]0;title\x07.yaml"),
    ("report", "--from", "\u0662\u0660\u0661\u0669/\u0662\u0660"),
    ("report", "--metric", "m" * 100_000),
    ("report", "--baseline", "1066/67"),
    ("report", "--date", "\u00b2\u00b2\u00b2\u00b2-01-01"),
    ("report", "--precision", "9" * 5000),
    ("report", "-o", "x" * 5000 + ".md"),
    ("summary", "--month", "\u00b2"),
    ("summary", "-f", str(ROOT / "examples" / "monthly.yaml"), "--month", "9999-99"),
    ("chart", "-o", "chart.gif"),
    ("validate", "-f", "/dev/null"),
    ("validate", "-f", "."),
]


@pytest.mark.parametrize(
    "args", HOSTILE_ARGUMENTS, ids=[str(i) for i in range(len(HOSTILE_ARGUMENTS))]
)
def test_hostile_arguments(args, tmp_path, monkeypatch, clean_env):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "figures.yaml").write_bytes(SHIPPED.read_bytes())
    with no_hang(HANG_SECONDS):
        result = CliRunner().invoke(cli, list(args))
    check(result, args)
    assert result.exit_code != 0
    assert "\x1b" not in result.stderr


# -- the installed command in hostile environments -------------------------------------------

MONTHLY = str(ROOT / "examples" / "monthly.yaml")
TABLES = [("report", "--format", "table"), ("summary", "-f", MONTHLY, "--format", "table")]
ENVIRONMENTS = [
    *[({"COLUMNS": v, "LINES": v}, TABLES) for v in ("\u00b2", "0", "-1", "99999999999")],
    *[
        (
            {"SOURCE_DATE_EPOCH": v},
            [("report", "--format", "markdown"), ("summary", "-f", MONTHLY), ("validate",)],
        )
        for v in ("abc", "253402300800", "\u00b2")
    ],
    *[
        ({"GUNSTATS_MAX_BYTES": v}, [("validate",), ("report", "--format", "csv")])
        for v in ("100000000000", "99999999999999999999", "\u00b2", "abc", "-1", "")
    ],
    *[
        ({"GUNSTATS_FORMAT": v}, [("report",), ("summary", "-f", MONTHLY)])
        for v in ("\u00b2", "yaml", "")
    ],
    ({"PYTHONIOENCODING": "ascii", "LANG": "C"}, TABLES),
    ({"TERM": "dumb", "NO_COLOR": "1"}, TABLES),
    ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, TABLES),
]
CASES = [(env, args) for env, commands in ENVIRONMENTS for args in commands]


@pytest.mark.parametrize(("env", "args"), CASES, ids=[f"{e}-{a[0]}" for e, a in CASES])
def test_hostile_environment(env, args, tmp_path):
    (tmp_path / "figures.yaml").write_bytes(SHIPPED.read_bytes())
    result = subprocess.run(
        [str(GUNSTATS), *args],
        cwd=tmp_path,
        env=bare_env(**env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=HANG_SECONDS,
    )
    assert result.returncode in (0, 1, 2), result.stderr
    assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")


@pytest.mark.parametrize("stream", ["closed", "full", "closed-stderr"])
@pytest.mark.parametrize(
    "args",
    [
        ("report",),
        ("report", "-o", "r.md"),
        ("validate",),
        ("metrics",),
        ("summary", "-f", MONTHLY),
    ],
    ids=["report", "report-o", "validate", "metrics", "summary"],
)
def test_hostile_standard_streams(stream, args, tmp_path):
    (tmp_path / "figures.yaml").write_bytes(SHIPPED.read_bytes())
    if stream == "full" and not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full")
    descriptor = 2 if stream == "closed-stderr" else 1
    with open("/dev/full" if stream == "full" else os.devnull, "wb") as sink:
        result = subprocess.run(
            [str(GUNSTATS), *args],
            cwd=tmp_path,
            env=bare_env(),
            stdin=subprocess.DEVNULL,
            stdout=sink if stream == "full" else subprocess.DEVNULL,
            stderr=subprocess.PIPE if descriptor == 1 else subprocess.DEVNULL,
            timeout=HANG_SECONDS,
            preexec_fn=None if stream == "full" else (lambda: os.close(descriptor)),
        )
    assert result.returncode in (0, 1), result.stderr
    if result.stderr is not None:
        assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")
