"""The installed command as users and cron run it: real pipes, a bare environment, head."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

BIN = Path(sys.executable).parent
GUNSTATS = BIN / "gunstats"


@pytest.fixture(scope="module", autouse=True)
def installed():
    assert GUNSTATS.exists(), f"gunstats is not installed in {BIN}: pip install -e '.[test]'"


def bare_env(**extra):
    """What cron gives a job: no HOME, no LANG, no TERM."""
    return {"PATH": f"{BIN}:/usr/bin:/bin", **extra}


def run(args, cwd, env=None, **kwargs):
    return subprocess.run(
        [str(GUNSTATS), *args],
        cwd=cwd,
        env=env if env is not None else bare_env(),
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        **kwargs,
    )


def test_python_dash_m(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "gunstats", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and "gunstats, version" in result.stdout


def test_piped_default_is_markdown_without_escape_codes(tmp_path):
    result = run(["report"], tmp_path, env=bare_env(TERM="xterm-256color"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"# Gun crime in London\n")
    assert b"\x1b" not in result.stdout


@pytest.mark.parametrize("fmt", ["table", "markdown", "json", "csv"])
def test_bare_environment(tmp_path, fmt):
    (tmp_path / "figures.yaml").write_bytes((ROOT / "figures.yaml").read_bytes())
    result = run(["report", "--format", fmt], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    assert b"Lethal firearms seized" in result.stdout


def test_non_utf8_output_gets_the_ascii_table(tmp_path):
    result = run(["report", "--format", "table"], tmp_path, env=bare_env(PYTHONIOENCODING="ascii"))
    assert result.returncode == 0, result.stderr
    result.stdout.decode("ascii")


def test_head_closing_the_pipe_is_quiet(tmp_path):
    lines = ["title: Synthetic, large (not real data)", "metrics:"]
    for number in range(400):
        lines += [f"  m{number}:", "    label: Synthetic measure", "    unit: count"]
        lines += ["    better: up", "    values:"]
        lines += [
            f"      {year}/{(year + 1) % 100:02d}: {number + year}" for year in range(2000, 2020)
        ]
    (tmp_path / "figures.yaml").write_text("\n".join(lines) + "\n")
    pipeline = f"'{GUNSTATS}' report --format markdown | head -n 1"
    result = subprocess.run(
        ["bash", "-c", pipeline], cwd=tmp_path, env=bare_env(), capture_output=True, timeout=60
    )
    assert result.stdout.startswith(b"# Synthetic, large")
    assert b"Traceback" not in result.stderr and b"BrokenPipe" not in result.stderr
    assert result.stderr == b""


def test_invalid_figures_keep_the_old_output(tmp_path):
    (tmp_path / "bad.yaml").write_text(
        "metrics:\n  a:\n    label: A\n    unit: count\n    better: up\n    values: {2019/20: -3}\n"
    )
    (tmp_path / "old.md").write_text("OLD\n")
    result = run(["report", "-f", "bad.yaml", "--output", "old.md"], tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(b"bad.yaml:6:")
    assert b"Traceback" not in result.stderr
    assert (tmp_path / "old.md").read_text() == "OLD\n"


def test_shipped_figures_are_the_repository_copy(tmp_path):
    result = run(["report", "--format", "csv"], tmp_path)
    from_repo = run(["report", "--format", "csv", "-f", str(ROOT / "figures.yaml")], tmp_path)
    assert result.stdout == from_repo.stdout


def test_template_in_a_bare_environment_is_utf8_and_reproducible(tmp_path):
    """cron: no LANG, so the locale is ASCII; a template with non-ASCII text still works."""
    (tmp_path / "t.md.j2").write_text(
        "{{ title }} \u2013 {{ metrics[0].latest | value }} in {{ latest_period | period }}"
        " ({{ produced | date }})\n",
        encoding="utf-8",
    )
    env = bare_env(SOURCE_DATE_EPOCH="1700000000")
    first = run(["report", "--template", "t.md.j2"], tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.decode("utf-8") == (
        "Gun crime in London \u2013 524 in 2021/22 (14 November 2023)\n"
    )
    assert run(["report", "--template", "t.md.j2"], tmp_path, env=env).stdout == first.stdout
