"""Files and signals: what happens to a cron job when the world misbehaves.

The promise under test: a message and exit 1 (130 for Ctrl-C), never a traceback, and an
``--output`` file that is either the old one or a complete new one, never half of either.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from gunstats import output
from gunstats.cli import cli, main

from .conftest import SYNTHETIC
from .test_subprocess import GUNSTATS, bare_env

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("GUNSTATS_FIGURES", "GUNSTATS_FORMAT", "GUNSTATS_MAX_BYTES"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "figures.yaml").write_text(SYNTHETIC, encoding="utf-8")
    return tmp_path


def invoke(*args):
    return CliRunner().invoke(cli, list(args))


def leftovers(folder: Path) -> list[str]:
    """Temporary files that a failed or interrupted write left behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# -- reading ---------------------------------------------------------------------------------


def test_missing_file(folder):
    result = invoke("validate", "-f", "nope.yaml")
    assert (result.exit_code, result.stderr) == (1, "nope.yaml: no such file\n")


def test_directory_instead_of_a_file(folder):
    (folder / "dir.yaml").mkdir()
    result = invoke("validate", "-f", "dir.yaml")
    assert (result.exit_code, result.stderr) == (
        1,
        "dir.yaml: is a directory, not a figures file\n",
    )


@pytest.mark.skipif(IS_ROOT, reason="root reads a file whatever its permissions")
def test_unreadable_file(folder):
    (folder / "figures.yaml").chmod(0)
    result = invoke("validate", "-f", "figures.yaml")
    assert (result.exit_code, result.stderr) == (1, "figures.yaml: permission denied\n")


def test_unreadable_file_simulated(folder, monkeypatch):
    """What a non-root user sees (the test suite may run as root, which can read anything)."""

    def refuse(path, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", path)

    monkeypatch.setattr("gunstats.load.open", refuse, raising=False)
    result = invoke("validate", "-f", "figures.yaml")
    assert (result.exit_code, result.stderr) == (1, "figures.yaml: permission denied\n")


def test_read_error_from_the_disk(folder, monkeypatch):
    def broken(path, *args, **kwargs):
        raise OSError(errno.EIO, "Input/output error", path)

    monkeypatch.setattr("gunstats.load.open", broken, raising=False)
    result = invoke("validate", "-f", "figures.yaml")
    assert result.exit_code == 1
    assert result.stderr == "figures.yaml: cannot be read (Input/output error)\n"


def test_file_that_grows_while_it_is_read(folder, monkeypatch):
    """The size is checked before reading and again after, so growth cannot slip past."""
    real_fstat = os.fstat

    class SmallerThanItIs:
        def __init__(self, result):
            self.st_size = 10
            self.st_mode = result.st_mode

    monkeypatch.setattr("gunstats.load.os.fstat", lambda fd: SmallerThanItIs(real_fstat(fd)))
    result = CliRunner().invoke(
        cli, ["validate", "-f", "figures.yaml"], env={"GUNSTATS_MAX_BYTES": "100"}
    )
    assert result.exit_code == 1
    assert result.stderr == "figures.yaml: file is over the limit of 100 bytes\n"


def feed_fifo(path: Path, chunks: list[bytes], pause: float = 0.01) -> threading.Thread:
    def write():
        # open blocks until gunstats opens the other end; it may close it before the end
        with contextlib.suppress(BrokenPipeError), open(path, "wb") as pipe:
            for chunk in chunks:
                pipe.write(chunk)
                pipe.flush()
                time.sleep(pause)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_figures_arriving_in_pieces_through_a_pipe(folder):
    os.mkfifo(folder / "pipe.yaml")
    data = SYNTHETIC.encode()
    thread = feed_fifo(folder / "pipe.yaml", [data[i : i + 50] for i in range(0, len(data), 50)])
    result = invoke("validate", "-f", "pipe.yaml")
    thread.join(5)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "pipe.yaml: valid: 2 metrics, 7 values, 1 source\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_endless_pipe_stops_at_the_size_limit(folder):
    os.mkfifo(folder / "pipe.yaml")
    thread = feed_fifo(folder / "pipe.yaml", [b"# " + b"x" * 998 + b"\n"] * 5, pause=0)
    result = CliRunner().invoke(
        cli, ["validate", "-f", "pipe.yaml"], env={"GUNSTATS_MAX_BYTES": "2000"}
    )
    thread.join(5)
    assert result.exit_code == 1
    assert result.stderr == "pipe.yaml: file is over the limit of 2,000 bytes\n"


# -- writing ---------------------------------------------------------------------------------


def test_output_into_a_missing_folder(folder):
    result = invoke("report", "-o", "missing/report.md")
    assert result.exit_code == 1
    assert result.stderr.startswith("missing/report.md: cannot write (folder ")
    assert result.stderr.endswith("missing does not exist)\n")


def test_control_characters_in_an_output_name_are_not_echoed_raw(folder):
    result = invoke("report", "--format", "json", "-o", "missing/\x1b[2Jx.json")
    assert result.exit_code == 1
    assert result.stderr.startswith("missing/\\x1b[2Jx.json: cannot write (folder ")
    assert "\x1b" not in result.stderr


def test_output_onto_a_directory(folder):
    (folder / "taken.md").mkdir()
    result = invoke("report", "-o", "taken.md")
    assert (result.exit_code, result.stderr) == (1, "taken.md: is a directory\n")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_output_onto_a_device_or_pipe_is_refused(folder):
    """Renaming over /dev/stdout or a pipe would replace it (as root, for every program)."""
    os.mkfifo(folder / "pipe.md")
    result = invoke("report", "-o", "pipe.md")
    assert result.exit_code == 1
    assert result.stderr == (
        "pipe.md: is not a regular file (leave out --output to write to stdout)\n"
    )
    assert stat.S_ISFIFO(os.stat(folder / "pipe.md").st_mode)
    result = invoke("report", "--format", "json", "-o", os.devnull)
    assert result.exit_code == 1
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


@pytest.mark.skipif(IS_ROOT, reason="root writes into a folder whatever its permissions")
def test_output_into_a_read_only_folder(folder):
    (folder / "locked").mkdir()
    (folder / "locked" / "report.md").write_text("OLD\n")
    (folder / "locked").chmod(0o555)
    try:
        result = invoke("report", "-o", "locked/report.md")
    finally:
        (folder / "locked").chmod(0o755)
    assert (result.exit_code, result.stderr) == (
        1,
        "locked/report.md: cannot write (Permission denied)\n",
    )
    assert (folder / "locked" / "report.md").read_text() == "OLD\n"


def test_output_into_a_read_only_folder_simulated(folder, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)  # imported by output when it writes
    (folder / "report.md").write_text("OLD\n")
    result = invoke("report", "-o", "report.md")
    assert (result.exit_code, result.stderr) == (1, "report.md: cannot write (Permission denied)\n")
    assert (folder / "report.md").read_text() == "OLD\n"


@pytest.mark.parametrize("step", ["write", "fsync", "replace"])
def test_full_disk_keeps_the_old_report(folder, monkeypatch, step):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    if step == "write":
        monkeypatch.setattr(output.os, "fdopen", lambda *a, **k: _FullFile())
    else:
        monkeypatch.setattr(output.os, step, full)
    (folder / "report.md").write_text("OLD\n")
    result = invoke("report", "-o", "report.md")
    assert (result.exit_code, result.stderr) == (
        1,
        "report.md: cannot write (No space left on device)\n",
    )
    assert (folder / "report.md").read_text() == "OLD\n"
    assert leftovers(folder) == []


class _FullFile:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def write(self, text):
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("command", [["report", "--format", "json"], ["validate"], ["metrics"]])
def test_standard_output_on_a_full_disk(tmp_path, command):
    (tmp_path / "figures.yaml").write_text(SYNTHETIC, encoding="utf-8")
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [str(GUNSTATS), *command],
            cwd=tmp_path,
            env=bare_env(),
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    assert result.returncode == 1
    assert b"No space left on device" in result.stderr
    assert b"Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1


# -- interruption ----------------------------------------------------------------------------


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_ctrl_c_while_writing_leaves_the_old_report(
    folder, monkeypatch, capsys, step, sigterm_handler_restored
):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, step, interrupt)
    (folder / "report.md").write_text("OLD\n")
    with pytest.raises(SystemExit) as exited:
        main(["report", "-o", "report.md"])
    assert exited.value.code == 130
    assert capsys.readouterr().err.endswith("gunstats: interrupted\n")
    assert (folder / "report.md").read_text() == "OLD\n"
    assert leftovers(folder) == []


@pytest.fixture
def sigterm_handler_restored():
    """main() installs a SIGTERM handler; give the test runner its own back afterwards."""
    previous = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, previous)


def test_sigterm_while_writing_leaves_the_old_report(
    folder, monkeypatch, capsys, sigterm_handler_restored
):
    """A cron timeout sends SIGTERM: the run unwinds, removes its temporary file, exits 143."""
    monkeypatch.setattr(output.os, "fsync", lambda fd: os.kill(os.getpid(), signal.SIGTERM))
    (folder / "report.md").write_text("OLD\n")
    with pytest.raises(SystemExit) as exited:
        main(["report", "-o", "report.md"])
    assert exited.value.code == 143
    assert capsys.readouterr().err == "gunstats: terminated\n"
    assert (folder / "report.md").read_text() == "OLD\n"
    assert leftovers(folder) == []


def large_figures(lines_wanted: int) -> bytes:
    lines = ["title: Synthetic, large (not real data)", "metrics:"]
    number = 0
    while len(lines) < lines_wanted:
        lines += [f"  m{number}:", "    label: Synthetic measure", "    unit: count"]
        lines += ["    better: up", "    values:"]
        lines += [f"      {y}/{(y + 1) % 100:02d}: {number + y}" for y in range(1990, 2020)]
        number += 1
    return ("\n".join(lines) + "\n").encode()


def open_when_read(pipe: Path, process: subprocess.Popen):
    """The pipe's writing end, once the process has opened it to read (and not before)."""
    deadline = time.monotonic() + 30
    while True:
        try:
            descriptor = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as error:  # ENXIO: nobody is reading yet
            if error.errno != errno.ENXIO:
                raise
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "gunstats never opened the figures"
            time.sleep(0.01)
            continue
        os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "wb")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("when", ["reading", "working"])
@pytest.mark.parametrize(
    ("sent", "code", "message"),
    [
        (signal.SIGINT, 130, b"gunstats: interrupted"),
        (signal.SIGTERM, 143, b"gunstats: terminated"),
    ],
    ids=["SIGINT", "SIGTERM"],
)
def test_signals_to_the_installed_command(tmp_path, when, sent, code, message):
    """Ctrl-C or kill for the real process: 130 or 143, one line, the old report untouched.

    The figures come through a named pipe, so the test knows gunstats is running (it has
    opened the pipe) before it interrupts: either while it waits for more input, or once a
    large input has arrived and is being parsed.
    """
    pipe = tmp_path / "figures.yaml"
    os.mkfifo(pipe)
    (tmp_path / "report.json").write_text("OLD\n")
    process = subprocess.Popen(
        [str(GUNSTATS), "report", "-f", "figures.yaml", "-o", "report.json"],
        cwd=tmp_path,
        env=bare_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        with open_when_read(pipe, process) as writer:
            if when == "working":
                writer.write(large_figures(60_000))
            else:
                writer.write(b"title: Synthetic (not real data)\n")
                writer.flush()
                time.sleep(0.2)
                process.send_signal(sent)
        if when == "working":
            time.sleep(0.3)
            process.send_signal(sent)
        stdout, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == code, stderr
    assert stderr.strip() == message
    assert stdout == b""
    assert (tmp_path / "report.json").read_text() == "OLD\n"
    assert leftovers(tmp_path) == []


# -- concurrency -----------------------------------------------------------------------------


def test_two_runs_writing_the_same_output_leave_one_whole_report(tmp_path):
    """Racing cron jobs: a reader, then the final file, always see one complete report."""
    runs = 4
    expected = set()
    for number in range(runs):
        figures = SYNTHETIC.replace("Synthetic test figures", f"Synthetic run {number}")
        (tmp_path / f"f{number}.yaml").write_text(figures)
        done = subprocess.run(
            [str(GUNSTATS), "report", "-f", f"f{number}.yaml", "--format", "json"],
            cwd=tmp_path,
            env=bare_env(),
            capture_output=True,
            timeout=60,
        )
        expected.add(done.stdout.decode())
    assert len(expected) == runs
    target = tmp_path / "report.json"
    seen = []
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            with contextlib.suppress(FileNotFoundError):
                seen.append(target.read_text())

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    for _ in range(3):
        processes = [
            subprocess.Popen(
                [str(GUNSTATS), "report", "-f", f"f{number}.yaml", "-o", "report.json"],
                cwd=tmp_path,
                env=bare_env(),
                stderr=subprocess.PIPE,
            )
            for number in range(runs)
        ]
        for process in processes:
            _, stderr = process.communicate(timeout=60)
            assert process.returncode == 0, stderr
        assert target.read_text() in expected
    stop.set()
    watcher.join(5)
    assert seen and all(text in expected for text in seen)
    assert leftovers(tmp_path) == []


def test_exit_codes_are_documented_ones(tmp_path):
    """0, 1, 2 and 130 are the only codes; this pins the first three for the real command."""
    (tmp_path / "bad.yaml").write_text("title: [\n")
    codes = [
        subprocess.run(
            [str(GUNSTATS), *args], cwd=tmp_path, env=bare_env(), capture_output=True, timeout=60
        ).returncode
        for args in (["validate"], ["validate", "-f", "bad.yaml"], ["report", "--bogus"])
    ]
    assert codes == [0, 1, 2]
