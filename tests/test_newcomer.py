"""What a newcomer following the README meets (issue 14, item 25): the commands it gives
work as written, every file it or ``--help`` cites is installed, and the install hints name
something that exists (gunstats is installed from its clone, not the package index)."""

from __future__ import annotations

import configparser
import fnmatch
import os
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from gunstats.cli import cli

from .conftest import ROOT, all_commands
from .test_subprocess import GUNSTATS, bare_env

README = (ROOT / "README.md").read_text(encoding="utf-8")
PACKAGE = ROOT / "gunstats"


def section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def shell_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, flags=re.S)


def test_quick_start_puts_gunstats_on_the_path_before_running_it():
    lines = [line for block in shell_blocks(section("Quick start")) for line in block.splitlines()]
    commands = [line.split("#")[0].strip() for line in lines]
    activate = next(i for i, c in enumerate(commands) if c == "source .venv/bin/activate")
    bare = [i for i, c in enumerate(commands) if re.search(r"(^|&& )gunstats\b", c)]
    assert bare and min(bare) > activate
    assert commands.index(".venv/bin/pip install .") < activate


def test_quick_start_really_installs_and_runs(tmp_path):
    """The quick start's commands, as written, in a copy of the clone (skipped offline)."""
    if os.environ.get("GUNSTATS_SLOW_TESTS") != "1":
        pytest.skip("set GUNSTATS_SLOW_TESTS=1 to build a virtual environment from the README")
    clone = tmp_path / "gunstats"
    shutil.copytree(ROOT, clone, ignore=shutil.ignore_patterns(".venv", "*.egg-info", "build"))
    script = "set -e\n" + shell_blocks(section("Quick start"))[0]
    result = subprocess.run(["bash", "-c", script], cwd=clone, capture_output=True, timeout=600)
    assert result.returncode == 0, result.stderr.decode()
    assert b"# Gun crime in London" in result.stdout or b"Gun crime in London" in result.stdout


def test_no_install_hint_names_the_package_index():
    """``pip install 'gunstats[charts]'`` fails: gunstats is not on the package index."""
    texts = [README] + [
        path.read_text(encoding="utf-8") for path in PACKAGE.rglob("*.py") if path.is_file()
    ]
    texts += [CliRunner().invoke(cli, [name, "--help"]).stdout for name in all_commands()]
    for text in texts:
        assert not re.search(r"pip install '?gunstats\[", text), text[:200]
    assert "pip install '.[charts]'" in README and "pip install '.[templates]'" in README


def test_every_example_the_help_and_readme_cite_is_installed():
    helps = "".join(CliRunner().invoke(cli, [name, "--help"]).stdout for name in all_commands())
    cited = set(re.findall(r"examples/[\w.-]+\.(?:yaml|j2)", helps + README))
    assert "examples/press-release.md.j2" in cited
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    packaged = [p.strip() for p in config["options.package_data"]["gunstats"].split(",")]
    for path in cited:
        assert (ROOT / path).is_file(), path
        assert (PACKAGE / path).is_file(), f"{path} is not under gunstats/ to be installed"
        assert any(fnmatch.fnmatch(path, pattern) for pattern in packaged), path


def test_the_shell_completion_line_of_the_readme_works(tmp_path):
    assert 'eval "$(_GUNSTATS_COMPLETE=bash_source gunstats)"' in README
    result = subprocess.run(
        [str(GUNSTATS)],
        env=bare_env(_GUNSTATS_COMPLETE="bash_source"),
        capture_output=True,
        timeout=30,
        cwd=tmp_path,
    )
    assert result.returncode == 0
    assert b"_gunstats_completion" in result.stdout
    assert b"complete -o nosort -F _gunstats_completion gunstats" in result.stdout


def test_the_cron_section_installs_before_the_crontab_line():
    text = section("Running it from cron")
    steps = shell_blocks(text)[0]
    assert "python3 -m venv .venv" in steps and ".venv/bin/pip install" in steps
    assert steps.index(".venv/bin/pip install") < steps.index("crontab -e")
    assert text.index("```sh") < text.index("30 6 3 * *")


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="needs pandoc")
def test_pandoc_finds_the_charts_of_a_report_in_another_folder(tmp_path):
    """The README's `--resource-path` line: without it pandoc cannot find the images."""
    pytest.importorskip("matplotlib")
    env = bare_env(SOURCE_DATE_EPOCH="1700000000")
    (tmp_path / "figures.yaml").write_bytes((ROOT / "figures.yaml").read_bytes())
    made = subprocess.run(
        [str(GUNSTATS), "report", "--charts", "sub/charts/", "-o", "sub/brief.md"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    assert "gunstats report --charts sub/charts/ -o sub/brief.md" in README
    assert "pandoc -f gfm --resource-path=sub sub/brief.md -o brief.docx" in README
    pandoc = [shutil.which("pandoc"), "-f", "gfm", "sub/brief.md", "-o", "brief.docx"]
    without = subprocess.run(pandoc, cwd=tmp_path, capture_output=True, timeout=120)
    assert b"Could not fetch resource" in without.stderr  # why the README says what it says
    with_path = subprocess.run(
        [*pandoc, "--resource-path=sub", "--fail-if-warnings"],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
    )
    assert with_path.returncode == 0, with_path.stderr
    import zipfile

    media = [n for n in zipfile.ZipFile(tmp_path / "brief.docx").namelist() if "media/" in n]
    assert len(media) == 3
