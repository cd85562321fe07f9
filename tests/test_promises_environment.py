"""The environment a run starts in (issue 14, items 10-13): closed standard streams,
``GUNSTATS_MAX_BYTES``, ``SOURCE_DATE_EPOCH`` and ``COLUMNS``. A bad value is a usage error
naming the variable, or is ignored where a default is harmless; never a traceback.
"""

from __future__ import annotations

import os
import subprocess

import pytest
from click.testing import CliRunner

from gunstats.cli import cli

from .conftest import ROOT, SYNTHETIC
from .test_subprocess import GUNSTATS, bare_env

MONTHLY = ROOT / "examples" / "monthly.yaml"
TEMPLATE = ROOT / "examples" / "press-release.md.j2"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("GUNSTATS_FIGURES", "GUNSTATS_FORMAT", "GUNSTATS_MAX_BYTES", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "figures.yaml").write_text(SYNTHETIC, encoding="utf-8")
    return tmp_path


def invoke(*args, env=None):
    return CliRunner().invoke(cli, list(args), env=env)


def run(args, cwd, **kwargs):
    return subprocess.run(
        [str(GUNSTATS), *args],
        cwd=cwd,
        env=kwargs.pop("env", bare_env()),
        capture_output=True,
        timeout=30,
        **kwargs,
    )


# -- item 10: closed standard streams --------------------------------------------------------


def test_closed_stdout_with_an_output_file_succeeds(folder):
    result = run(["report", "-o", "report.md"], folder, stdout=None, pass_fds=(), **_closed(1))
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    assert (folder / "report.md").read_text().startswith("# Synthetic")


@pytest.mark.parametrize(
    "args",
    [
        ("report", "--format", "json"),
        ("validate",),
        ("metrics",),
        ("summary", "-f", str(MONTHLY), "-q"),
        ("--help",),
    ],
)
def test_closed_stdout_is_a_message_not_a_traceback(folder, args):
    result = run(list(args), folder, stdout=None, **_closed(1))
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    assert b"standard output is closed" in result.stderr


def test_closed_stderr_and_stdin_change_nothing(folder):
    result = subprocess.run(
        [str(GUNSTATS), "report", "--format", "csv"],
        cwd=folder,
        env=bare_env(),
        stdout=subprocess.PIPE,
        timeout=30,
        **_closed(0, 2),
    )
    assert result.returncode == 0
    assert result.stdout.startswith(b"metric,label,")


def _closed(*descriptors: int) -> dict:
    """subprocess arguments that start the child with these descriptors closed."""

    def close() -> None:
        for descriptor in descriptors:
            os.close(descriptor)

    return {"preexec_fn": close}


# -- item 11: GUNSTATS_MAX_BYTES -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "GUNSTATS_MAX_BYTES='abc' is not a number of bytes"),
        ("-1", "GUNSTATS_MAX_BYTES='-1' is not a number of bytes"),
        ("\u00b2", "GUNSTATS_MAX_BYTES='\u00b2' is not a number of bytes"),
        ("1e6", "GUNSTATS_MAX_BYTES='1e6' is not a number of bytes"),
        ("99999999999999999999", "GUNSTATS_MAX_BYTES='99999999999999999999' is too large"),
        ("9" * 5000, "is too large"),
    ],
)
def test_a_bad_size_limit_is_a_usage_error_naming_the_variable(folder, value, message):
    result = invoke("validate", env={"GUNSTATS_MAX_BYTES": value})
    assert result.exit_code == 2, (result.stderr, result.exception)
    assert message in result.stderr


def test_a_large_size_limit_reserves_no_memory(folder):
    """read(limit) once reserved the whole limit: 100 GB was a MemoryError."""
    for value in ("100000000000", str(output_limit := 2**62), " 2000 ", ""):
        result = invoke("validate", env={"GUNSTATS_MAX_BYTES": value})
        assert result.exit_code == 0, (value, result.stderr, result.exception)
    assert output_limit == 2**62


# -- items 12 and 13: SOURCE_DATE_EPOCH and COLUMNS ------------------------------------------


@pytest.mark.parametrize("value", ["abc", "253402300800", "\u00b2", "-1", "1" * 400])
@pytest.mark.parametrize(
    "args",
    [
        ("report", "--format", "markdown"),
        ("report", "--template", str(TEMPLATE)),
        ("summary", "-f", str(MONTHLY), "--month", "previous"),
        ("summary", "-f", str(MONTHLY), "--format", "markdown", "-q"),
        ("chart", "-o", "c.svg"),
    ],
)
def test_a_bad_source_date_epoch_is_the_same_usage_error_in_every_command(folder, value, args):
    if args[0] == "chart":
        pytest.importorskip("matplotlib")
    if "--template" in args:
        pytest.importorskip("jinja2")
    result = invoke(*args, env={"SOURCE_DATE_EPOCH": value})
    assert result.exit_code == 2, (result.stderr, result.exception)
    assert "Invalid value for SOURCE_DATE_EPOCH: SOURCE_DATE_EPOCH=" in result.stderr
    assert "is not a whole number" in result.stderr or "is out of range" in result.stderr
    if value == "\u00b2":
        assert "is not a whole number" in result.stderr


@pytest.mark.parametrize(
    "value", ["\u00b2", "\u0668\u0660", "-1", "0", "99999999999", " 100 ", "x"]
)
def test_any_columns_value_draws_the_table(folder, value):
    for args in (("report",), ("summary", "-f", str(MONTHLY), "-q")):
        result = invoke(*args, "--format", "table", env={"COLUMNS": value, "LINES": value})
        assert result.exit_code == 0, (value, args, result.exception)
        assert max(len(line) for line in result.stdout.splitlines()) <= 10_000
