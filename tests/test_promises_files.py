"""Files and defaults (issue 14, items 1-5).

Each test reproduces a way gunstats lost, misdirected or silently chose a file, and checks
the promise the README makes instead.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import time

import pytest
from click.testing import CliRunner

from gunstats import output
from gunstats.cli import cli
from gunstats.load import shipped_figures_path

from .conftest import SYNTHETIC
from .test_subprocess import GUNSTATS, bare_env


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


# -- item 1: symbolic links ------------------------------------------------------------------


def test_output_through_a_link_writes_the_target_and_keeps_the_link(folder):
    (folder / "2023-06.md").write_text("OLD\n")
    (folder / "2023-06.md").chmod(0o640)
    os.symlink("2023-06.md", folder / "latest.md")
    result = invoke("report", "-o", "latest.md")
    assert result.exit_code == 0, result.stderr
    assert os.path.islink(folder / "latest.md")
    assert (folder / "2023-06.md").read_text().startswith("# Synthetic test figures")
    assert stat.S_IMODE(os.stat(folder / "2023-06.md").st_mode) == 0o640
    assert not [p for p in os.listdir(folder) if p.endswith(".tmp")]


def test_output_through_a_link_into_another_folder_writes_there(folder):
    (folder / "reports").mkdir()
    os.symlink("reports/summary.md", folder / "latest.md")  # dangling: the target is made
    assert invoke("report", "-o", "latest.md").exit_code == 0
    assert os.path.islink(folder / "latest.md")
    assert (folder / "reports" / "summary.md").read_text().startswith("# Synthetic")


def test_output_through_a_link_to_a_device_is_refused_and_the_link_kept(folder):
    os.symlink(os.devnull, folder / "null.md")
    result = invoke("report", "-o", "null.md")
    assert result.exit_code == 1
    assert (
        result.stderr == "null.md: is not a regular file (leave out --output to write to stdout)\n"
    )
    assert os.path.islink(folder / "null.md")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_dev_stdout_redirected_to_a_file_is_written_through_never_replaced(folder):
    """As root, -o /dev/stdout once replaced the system's /dev/stdout link with a file. A link
    of our own to /proc/self/fd/1 stands in for it, so a failure cannot harm the machine."""
    if not os.path.exists("/proc/self/fd/1"):
        pytest.skip("needs /proc")
    os.symlink("/proc/self/fd/1", folder / "stdout.md")
    with open(folder / "captured.md", "wb") as captured:
        result = subprocess.run(
            [str(GUNSTATS), "report", "-o", "stdout.md"],
            cwd=folder,
            env=bare_env(),
            stdout=captured,
            stderr=subprocess.PIPE,
            timeout=30,
        )
    assert result.returncode == 0, result.stderr
    assert os.path.islink(folder / "stdout.md")
    assert (folder / "captured.md").read_text().startswith("# Synthetic test figures")
    # Through a pipe the link resolves to no file at all: refused, the link left alone.
    piped = run(["report", "-o", "stdout.md"], folder)
    assert piped.returncode == 1
    assert b"not a regular file" in piped.stderr
    assert os.path.islink(folder / "stdout.md")


# -- item 2: an output that is an input ------------------------------------------------------


def test_output_onto_the_figures_file_is_refused(folder):
    before = (folder / "figures.yaml").read_bytes()
    os.link(folder / "figures.yaml", folder / "hardlink.md")
    for args in (
        ("report", "-f", "figures.yaml", "-o", "figures.yaml", "--format", "markdown"),
        ("report", "-o", "./figures.yaml", "--format", "json"),
        ("report", "-o", "hardlink.md"),
        ("summary", "-f", "figures.yaml", "-o", "hardlink.md"),
    ):
        result = invoke(*args)
        assert result.exit_code == 2, (args, result.stderr)
        assert "is the figures file: writing there would overwrite it" in result.stderr
    assert (folder / "figures.yaml").read_bytes() == before


def test_output_onto_the_template_or_an_embedded_chart_is_refused(folder):
    pytest.importorskip("jinja2")
    (folder / "brief.md.j2").write_text("{{ title }}\n")
    result = invoke("report", "--template", "brief.md.j2", "-o", "brief.md.j2")
    assert result.exit_code == 2
    assert "is the template" in result.stderr
    assert (folder / "brief.md.j2").read_text() == "{{ title }}\n"
    pytest.importorskip("matplotlib")
    result = invoke(
        "report", "--charts", "charts", "-o", "charts/seized.png", "--format", "markdown"
    )
    assert result.exit_code == 2
    assert "is a chart it embeds" in result.stderr
    assert not (folder / "charts").exists()


def test_chart_onto_the_figures_file_is_refused(folder):
    pytest.importorskip("matplotlib")
    (folder / "seized.png").write_text(SYNTHETIC)  # a figures file with an image's name
    before = (folder / "seized.png").read_bytes()
    result = invoke("chart", "-f", "seized.png", "-o", "seized.png")
    assert result.exit_code == 2
    result = invoke("chart", "-f", "seized.png", "--output-dir", ".")
    assert result.exit_code == 2
    assert "'seized.png' is the figures file" in result.stderr.replace("./", "")
    assert (folder / "seized.png").read_bytes() == before


# -- item 3: empty arguments -----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("report", "-f", ""),
        ("report", "-o", ""),
        ("report", "--template", ""),
        ("report", "--charts", "", "--format", "markdown"),
        ("report", "--date", ""),
        ("summary", "-f", " "),
        ("summary", "-o", ""),
        ("validate", "-f", ""),
        ("metrics", "-f", ""),
        ("chart", "-o", ""),
        ("chart", "--output-dir", ""),
    ],
)
def test_an_empty_argument_is_a_usage_error_not_a_default(folder, args):
    result = invoke(*args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "is empty: give a" in result.stderr
    assert result.stdout == ""


# -- item 4: the shipped example figures are named as such ----------------------------------


def test_falling_back_on_the_shipped_figures_says_so(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GUNSTATS_FIGURES", raising=False)
    (tmp_path / "figures.yml").write_text(SYNTHETIC)
    result = invoke("report", "--format", "markdown", "--date", "2024-01-05")
    assert result.exit_code == 0
    assert (
        "Made on 5 January 2024 from the example figures file shipped with gunstats, "
        in result.stdout
    )
    assert "no figures.yaml in this folder" in result.stderr
    assert "-f FILE or GUNSTATS_FIGURES" in result.stderr
    assert "(figures.yml is here: gunstats looks for figures.yaml; use -f figures.yml.)" in (
        result.stderr
    )
    # A file named on the command line, even the shipped one, gets no notice.
    named = invoke(
        "report", "-f", shipped_figures_path(), "--format", "markdown", "--date", "2024-01-05"
    )
    assert named.stderr == ""


def test_the_shipped_figures_notice_reaches_a_terminal_not_a_captured_document(tmp_path):
    # Captured with 2>&1 (a newcomer piping JSON into jq), the output is one clean document;
    # the report itself still names the example file.
    merged = subprocess.run(
        [str(GUNSTATS), "report", "--format", "json"],
        cwd=tmp_path,
        env=bare_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=30,
    )
    assert merged.returncode == 0
    assert json.loads(merged.stdout)["title"] == "Gun crime in London"
    # With stderr a terminal, the person at it is told.
    import pty

    leader, follower = pty.openpty()
    try:
        at_terminal = subprocess.run(
            [str(GUNSTATS), "report", "--format", "json"],
            cwd=tmp_path,
            env=bare_env(),
            stdout=subprocess.PIPE,
            stderr=follower,
            timeout=30,
        )
        os.close(follower)
        said = os.read(leader, 4096).decode()
    finally:
        os.close(leader)
    assert at_terminal.returncode == 0
    assert "example figures shipped with gunstats" in said
    assert "-f FILE or GUNSTATS_FIGURES" in said
    json.loads(at_terminal.stdout)


def test_shell_completion_stays_quiet_about_the_shipped_figures(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(
        [],
        tmp_path,
        env=bare_env(
            _GUNSTATS_COMPLETE="bash_complete", COMP_WORDS="gunstats report -m ", COMP_CWORD="3"
        ),
    )
    assert result.returncode == 0
    assert b"shootings" in result.stdout
    assert result.stderr == b""


# -- item 5: temporary files of killed runs --------------------------------------------------


def test_a_killed_runs_temporary_file_is_removed_by_the_next_write(folder):
    stale = folder / ".report.md.gunstats-abcd1234.tmp"
    stale.write_text("half a report")
    past = time.time() - 3600
    os.utime(stale, (past, past))
    other = folder / ".other.md.gunstats-zzzz9999.tmp"  # another report's leftover: also ours
    other.write_text("half")
    os.utime(other, (past, past))
    foreign = folder / ".report.md.abcd1234.tmp"  # not our naming: left alone
    foreign.write_text("someone else's")
    os.utime(foreign, (past, past))
    assert invoke("report", "-o", "report.md").exit_code == 0
    assert not stale.exists()
    assert not other.exists()
    assert foreign.exists()


def test_a_temporary_file_being_written_is_not_taken_for_stale(folder):
    """A run still writing holds a lock on its temporary file; another run leaves it alone."""
    import fcntl

    busy = folder / ".report.md.gunstats-busy0000.tmp"
    busy.write_text("being written")
    past = time.time() - 3600
    os.utime(busy, (past, past))
    with open(busy, "rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        assert invoke("report", "-o", "report.md").exit_code == 0
        assert busy.exists()


def test_a_recent_temporary_file_is_not_removed(folder):
    """A run that has just made its temporary file may not have locked it yet."""
    young = folder / ".report.md.gunstats-young000.tmp"
    young.write_text("made a moment before this run")
    recent = output._STARTED - 10
    os.utime(young, (recent, recent))
    assert invoke("report", "-o", "report.md").exit_code == 0
    assert young.exists()


def test_the_temporary_file_follows_the_naming_pattern(folder, monkeypatch):
    seen = []
    real = os.replace

    def spy(source, target):
        seen.append(os.path.basename(source))
        return real(source, target)

    monkeypatch.setattr(output.os, "replace", spy)
    assert invoke("report", "-o", "report.md").exit_code == 0
    assert len(seen) == 1 and output._TEMPORARY.fullmatch(seen[0]), seen
