"""``gunstats summary`` run the way cron runs it: the installed command, ``env -i``, a
read-only working folder, ``--output`` into another folder, and the README's crontab line."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess

import pytest

from .conftest import ROOT
from .test_subprocess import BIN, GUNSTATS, installed  # noqa: F401 (autouse fixture)

EXAMPLE = ROOT / "examples" / "monthly.yaml"
FEBRUARY_2023 = "1675209600"  # 2023-02-01T00:00:00Z: --month previous is January 2023
AUGUST_2023 = "1690848000"  # 2023-08-01T00:00:00Z: the example data ends in June 2023
ESCAPE = re.compile(rb"\x1b|\x9b")


def env_i(*args: str, cwd, **variables: str) -> subprocess.CompletedProcess:
    """``env -i PATH=... VARIABLE=... args``: no HOME, no LANG, no TERM, as under cron."""
    assignments = [f"PATH={BIN}:/usr/bin:/bin"] + [f"{k}={v}" for k, v in variables.items()]
    return subprocess.run(
        ["env", "-i", *assignments, *args],
        cwd=cwd,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


@pytest.fixture
def read_only_folder(tmp_path):
    folder = tmp_path / "readonly"
    folder.mkdir()
    (folder / "unrelated.txt").write_text("not figures\n")
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)


def listing(folder):
    return sorted(os.listdir(folder))


def test_cron_run_writes_plain_markdown(tmp_path, read_only_folder):
    reports = tmp_path / "reports"
    reports.mkdir()
    target = reports / "summary.md"
    before = listing(read_only_folder)
    result = env_i(
        "gunstats",
        "summary",
        "-f",
        str(EXAMPLE),
        "--month",
        "previous",
        "--output",
        str(target),
        cwd=read_only_folder,
        SOURCE_DATE_EPOCH=FEBRUARY_2023,
        FORCE_COLOR="1",  # even when colour is forced, a file never gets escape codes
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"" and result.stderr == b""
    data = target.read_bytes()
    assert data.startswith(
        b"# Example force (illustrative monthly figures, not real data): January 2023\n"
    )
    assert not ESCAPE.search(data)
    assert (
        b"## Financial year to date: April 2022 to January 2023 compared with April 2021 to "
        b"January 2022" in data
    )
    assert b"| Shootings | 156 | 139 | +17 | +12.2 | no significant change |" in data
    assert listing(reports) == ["summary.md"]  # no temporary file left behind
    assert listing(read_only_folder) == before  # nothing written where it ran


@pytest.mark.parametrize("extension", ["txt", "md", "json", "csv"])
def test_no_escape_codes_in_any_file_format(tmp_path, read_only_folder, extension):
    target = tmp_path / f"summary.{extension}"
    result = env_i(
        "gunstats",
        "summary",
        "-f",
        str(EXAMPLE),
        "--month",
        "2023-01",
        "-o",
        str(target),
        "--color",
        cwd=read_only_folder,
        TERM="xterm-256color",
    )
    assert result.returncode == 0, result.stderr
    assert not ESCAPE.search(target.read_bytes())


@pytest.mark.parametrize(
    ("args", "variables", "message"),
    [
        (["--month", "previous"], {"SOURCE_DATE_EPOCH": AUGUST_2023}, b"June 2023 (2023-06)"),
        (["--month", "latest", "--strict"], {}, b"(an error under --strict)"),
        (["--month", "latest", "--strict", "--quiet"], {}, b"(an error under --strict)"),
    ],
)
def test_a_failing_run_keeps_the_previous_file_byte_for_byte(
    tmp_path, read_only_folder, args, variables, message
):
    reports = tmp_path / "reports"
    reports.mkdir()
    target = reports / "summary.md"
    previous = "# Last month's summary\r\n\u00a3 and \x00 bytes kept\n".encode() + bytes(range(256))
    target.write_bytes(previous)
    target.chmod(0o640)
    modified = target.stat().st_mtime_ns
    result = env_i(
        "gunstats",
        "summary",
        "-f",
        str(EXAMPLE),
        *args,
        "--output",
        str(target),
        cwd=read_only_folder,
        **variables,
    )
    assert result.returncode == 1
    assert message in result.stderr
    assert b"Traceback" not in result.stderr
    assert target.read_bytes() == previous
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.stat().st_mtime_ns == modified
    assert listing(reports) == ["summary.md"]


def test_a_successful_run_keeps_the_file_permissions(tmp_path):
    target = tmp_path / "summary.md"
    target.write_text("old\n")
    target.chmod(0o640)
    result = env_i(
        "gunstats", "summary", "-f", str(EXAMPLE), "--month", "2023-01", "-o", str(target), cwd="/"
    )
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text().startswith("# Example force")


# -- the README's crontab line, as written -------------------------------------------------

CRONTAB_LINE = re.compile(
    r"^[0-9*/,-]+(?: +[0-9*/,-]+){4} +(?P<command>.*gunstats summary.*)$", re.MULTILINE
)
INSTALL = "/srv/gunstats"


def crontab_command() -> str:
    (match,) = CRONTAB_LINE.finditer((ROOT / "README.md").read_text(encoding="utf-8"))
    command = match["command"]
    assert "%" not in command  # cron turns an unescaped % into a new line
    assert "--month previous" in command and "--output" in command
    return command


@pytest.fixture
def installation(tmp_path):
    """The folder the crontab line expects (README: /srv/gunstats), with the example data."""
    home = tmp_path / "srv-gunstats"
    home.mkdir()
    (home / ".venv").symlink_to(BIN.parent)
    shutil.copy(EXAMPLE, home / "monthly.yaml")
    (home / "reports").mkdir()
    return home


def test_readme_crontab_line_works_as_written(installation, read_only_folder):
    command = crontab_command()
    assert command.count(INSTALL) == 1, "the tests substitute only the install folder"
    command = command.replace(INSTALL, str(installation))
    cron_shell = ["/bin/sh", "-c", command]
    # cron runs the line with /bin/sh in the user's home folder, with a bare environment.
    ok = subprocess.run(
        ["env", "-i", "PATH=/usr/bin:/bin", f"SOURCE_DATE_EPOCH={FEBRUARY_2023}", *cron_shell],
        cwd=read_only_folder,
        capture_output=True,
        timeout=60,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout == b"" and ok.stderr == b""
    reports = installation / "reports"
    (written,) = list(reports.iterdir())
    report = written.read_bytes()
    assert b": January 2023\n" in report and not ESCAPE.search(report)

    stale = subprocess.run(
        ["env", "-i", "PATH=/usr/bin:/bin", f"SOURCE_DATE_EPOCH={AUGUST_2023}", *cron_shell],
        cwd=read_only_folder,
        capture_output=True,
        timeout=60,
    )
    assert stale.returncode == 1
    assert stale.stderr == (
        b"monthly.yaml: no figures for July 2023 (2023-07); the latest month in the file is "
        b"June 2023 (2023-06) - the data has not been updated\n"
    )
    assert written.read_bytes() == report
