"""Start-up stays fast: the command imports only what the chosen format needs.

Not a timing test (timings flake on shared machines; benchmarks/run.py measures them): this
checks which modules a run loads, so the start-up win cannot regress unnoticed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# Not locale: Click's own --help and --version options translate their help text through
# gettext, which imports it; stock Click is worth that millisecond (issue 15).
HEAVY = (
    *("rich", "jinja2", "matplotlib", "pandas", "fractions", "difflib", "pathlib"),
    *("json", "signal", "unicodedata", "shutil", "string", "textwrap"),
    *("ruamel", "python_calamine"),  # gunstats set and import only
    *("gptables", "xlsxwriter", "openpyxl", "numpy"),  # --format xlsx only
)


def modules_after(code: str, cwd) -> set[str]:
    script = (
        f"{code}\nimport sys\nloaded = sorted(sys.modules)\n"  # before json is imported here
        "import json\nprint(json.dumps(loaded), file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=cwd, check=True
    )
    return set(json.loads(result.stderr.strip().splitlines()[-1]))


def heavy_in(modules: set[str], cwd, baseline: str = "pass") -> set[str]:
    """Heavy modules loaded beyond what ``baseline`` (and the interpreter's site hooks) load."""
    bare = modules_after(baseline, cwd)
    return {name for name in modules - bare if name.split(".")[0] in HEAVY}


def test_importing_the_cli_loads_nothing_heavy(tmp_path):
    assert heavy_in(modules_after("import gunstats.cli", tmp_path), tmp_path) == set()


@pytest.mark.parametrize("fmt", ["markdown", "json", "csv"])
def test_a_report_loads_only_what_its_format_needs(tmp_path, fmt):
    code = (
        "import sys\nfrom gunstats.cli import main\n"
        f"sys.argv = ['gunstats', 'report', '--format', '{fmt}']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    assert heavy_in(modules_after(code, tmp_path), tmp_path) == set()


def test_the_table_loads_rich_and_nothing_else_heavy(tmp_path):
    code = (
        "import sys\nfrom gunstats.cli import main\n"
        "sys.argv = ['gunstats', 'report', '--format', 'table']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    loaded = modules_after(code, tmp_path)
    assert "rich.console" in loaded  # the table is drawn by the grid, without rich.table
    assert heavy_in(loaded, tmp_path, baseline="import rich.console, rich.table") == set()


@pytest.mark.parametrize(
    "args, own",
    [
        (["report", "--format", "markdown"], "gunstats.cli_report"),
        (["validate"], "gunstats.cli_check"),
        (["summary", "-f", "MONTHLY"], "gunstats.cli_summary"),
    ],
)
def test_a_run_declares_only_its_own_command(tmp_path, args, own):
    # Declaring every command's options cost about 3% of start-up; a run imports the module
    # of the command it runs, and no other command's.
    from gunstats.load import shipped_figures_path

    monthly = str(Path(shipped_figures_path()).parent / "examples" / "monthly.yaml")
    argv = [monthly if a == "MONTHLY" else a for a in args]
    code = (
        "import sys\nfrom gunstats.cli import main\n"
        f"sys.argv = ['gunstats', *{argv!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    loaded = {name for name in modules_after(code, tmp_path) if name.startswith("gunstats.cli_")}
    assert loaded == {own}
