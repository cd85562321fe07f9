"""Every regular expression in gunstats, reviewed for catastrophic backtracking.

A figures file is untrusted text: one label or value that makes a pattern backtrack turns a
cron job into a hang. So each pattern in the package is listed below with why it is linear
and with inputs built to make it backtrack, and each is run on inputs of 300,000 characters
in a subprocess with a generous timeout. A quadratic pattern needs minutes at that size (the
old ``escape_cell`` took about 1 s at 12,000 characters, so over 10 minutes here) while a
linear one needs milliseconds; no test asserts a timing in milliseconds.

A new pattern anywhere in ``gunstats/`` fails :func:`test_every_pattern_is_reviewed` until
it is added here with its adversarial inputs.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap

import pytest

from .conftest import ROOT

SIZE = 300_000
TIMEOUT = 60  # seconds; linear patterns finish these inputs in well under one
PACKAGE = ROOT / "gunstats"

# pattern -> (why it cannot backtrack badly, how gunstats applies it, adversarial inputs as
# Python expressions in N). A pattern applied with fullmatch is tried from one position only;
# one applied with sub (or search) is tried from every position, so must fail fast at each.
RAW = {
    # render/markdown.py
    r"([\\`*_\[\]<>|~&$@])": ("one character class", "sub", ["'\\\\`*_[]@' * N"]),
    r"(:)(?=\S)|((?i:www)\.)": (
        "one character, or four fixed ones",
        "sub",
        ["':x' * N", "'wwww' * N + '.'", "'ww.' * N", "':' * N"],
    ),
    r"^(\d*)([#>+=.)-])": ("anchored; one run of digits", "sub", ["'1' * N + 'x'", "'1' * N"]),
    r"[0-9,.+\- ]*(?: ?\[[a-z]+\])*(?: pp)?": (
        "shorthand groups cannot be split two ways: each ends at its own ']'",
        "fullmatch",
        [
            "'[x]' * N + '!'",
            "'1' + '[x]' * N + 'A'",
            "'[x] ' * N + 'p'",
            "' ' * N + '!'",
            "'[low]' * N + '!'",
            "'[' + 'a' * N + '!'",
        ],
    ),
    r"[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>\x00-\x1f]*": (
        "bounded scheme; the colon ends it",
        "fullmatch",
        ["'a' * N", "'a:' + 'b' * N + ' '", "'a' * 31 + ':' * N + '<'"],
    ),
    # render/csv.py: where a ';'-separated reading would start a cell with a formula
    ';(?="*[=+\\-@\t\r])': (
        "a fixed ';', then a lookahead over one run of quotes that ends at the next ';'",
        "sub",
        ["';' * N", "';' + '\"' * N + 'x'", "(';' + '\"' * 100) * (N // 101 + 1)"],
    ),
    # render/sandbox.py: searched for in a template's format strings
    r"(?:%[-+# ]*|[:.<>^=])[0-9]{7,}": (
        "digits after one fixed character, or after flags that are not digits",
        "sub",
        ["'%' + '0' * N + 'x'", "'%-+#' * N", "':123456' * (N // 7 + 1)", "'%' * N"],
    ),
    # yaml_tree.py
    r"[A-Za-z][A-Za-z0-9_ -]*|[0-9]{4}(?:/[0-9]{2}|-[0-9]{2}| to [0-9]{4})": (
        "one character class; the second branch is bounded",
        "fullmatch",
        ["'a' * N + '!'", "'a -' * N + '!'", "'2021' + ' to 2022' * N"],
    ),
    # dates.py, load.py
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}": ("bounded", "fullmatch", ["'1' * N", "'2023-01-0' + '1' * N"]),
    r"[+-]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?": (
        "one dot",
        "fullmatch",
        ["'1' * N + 'x'", "'1.' + '1' * N + 'x'"],
    ),
    r"[A-Za-z][A-Za-z0-9_-]*": ("one character class", "fullmatch", ["'a' * N + '!'"]),
    r"(?i)https?://[^\s<>\"'`\\]+": (
        "one character class",
        "fullmatch",
        ["'http://' + 'a' * N + ' '"],
    ),
    r"[+-]?[0-9]+(\.[0-9]+)?": ("one dot", "fullmatch", ["'1' * N + 'x'", "'1.' + '1' * N + '.'"]),
    # periods.py
    r"([0-9]{4})\s*([/-])\s*([0-9]{2})": (
        "the separator splits the spaces",
        "fullmatch",
        ["'2021' + ' ' * N + '/' + ' ' * N + 'x'"],
    ),
    r"([0-9]{4})\s*(/|-|to)\s*([0-9]{4})": (
        "the separator splits the spaces",
        "fullmatch",
        ["'2021' + ' ' * N + 'to' + ' ' * N + '202x'"],
    ),
    # importing/: cells of a published table, as long as the file (up to 64 MiB) allows
    r"\[([^\[\]]*)\]": (
        "a bracket ends at the next bracket of either kind",
        "sub",
        ["'[' * N", "'[a' * N", "'[' + 'a' * N", "'[[x]' * N"],
    ),
    r"(?:foot)?notes?\s*\S*|n\d+": (
        "spaces then non-spaces: two classes that share nothing",
        "fullmatch",
        ["'note' + ' ' * N + 'x' * N + ' '", "'n' + '1' * N + 'x'"],
    ),
    r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)(?:\.\d+)?": (
        "separators fix the groups; one dot",
        "fullmatch",
        ["'1,000' * N + 'x'", "'1 000' * N + 'x'", "'1' * N + '.'", "'1' * N + '.' + '1' * N"],
    ),
    r"[^\W\d_](?:[\w ,()/.'&%+\-\u2013\u2014\u00a3\u20ac$]*[\w).%'\u00a3\u20ac$])?": (
        "one character class, then one character",
        "fullmatch",
        ["'a' * N + '!'", "'a ' * N + '!'", "'a' + ' ' * N + '!'"],
    ),
    r"[a-z0-9]+": ("one character class", "sub", ["'a' * N", "'a-' * N"]),
    r"\d+": ("one character class", "sub", ["'1' * N + 'x'", "'1x' * N"]),
    r"([a-z]+)\.?\s+(\d{4})\s*(?:to|-)\s*([a-z]+)\.?\s+(\d{4})": (
        "letters, spaces and digits take turns; classes share nothing",
        "fullmatch",
        ["'a' * N", "'jan ' * N", "'jan 2019 to ' + 'a' * N", "'jan 2019' + ' ' * N + 'to'"],
    ),
    r"(?:(?:financial\s+)?year\s+ending|f?ye)\s+([a-z]+)\.?\s+(\d{4})": (
        "fixed words, then as above",
        "fullmatch",
        ["'financial' + ' ' * N + 'x'", "'ye ' + 'a' * N", "'year ending mar' + ' ' * N"],
    ),
    r"([a-z]+)\.?\s+(\d{4})": ("letters, then spaces", "fullmatch", ["'a' * N + ' 201'"]),
    r"(\d{4})\s+([a-z]+)\.?": ("bounded digits, then spaces", "fullmatch", ["'2019' + ' ' * N"]),
    r"(19|20|21)\d\d": ("bounded", "fullmatch", ["'19' * N"]),
    r"[\s,;]+": ("one character class", "sub", ["' ,;' * N + 'x'"]),
    r"%|\bper ?cent\b|\bpercentage\b|\brate\b": (
        "fixed words",
        "sub",
        ["'per' * N", "'percentag' * N", "'per ' * N"],
    ),
    r"\bper\s+[\d,]+\b": (
        "a run of spaces ends at the next word",
        "sub",
        ["'per ' * N", "'per' + ' ' * N + 'x'", "'per 1,' * N + 'x'"],
    ),
    r"\[(?:foot)?notes?[^\[\]]*\]|\[n\d+\]": (
        "a bracket ends at the next bracket of either kind",
        "sub",
        ["'[note' * N", "'[NOTE ' * N", "'[n1' * N", "'[note' + 'x' * N"],
    ),
    r"\s?(?:\((?:%|per ?cent|percentage)\)|,?\s?%)$": (
        "at most two spaces, each optional once",
        "sub",
        ["' ' * N + 'x'", "' ,' * N + 'x'", "' (per' * N", "' %' * N + 'x'"],
    ),
    # render/workbook.py
    r"\[[a-z]+\]": ("one character class", "fullmatch", ["'[' + 'a' * N"]),
    r"\$(?=\$)": ("one character", "sub", ["'$' * N"]),
    r"[\[\]()$]": ("one character class", "sub", ["'a' * N + '$'"]),
    r"https?://[^\s()\[\]<>\"]+": (
        "one character class",
        "fullmatch",
        ["'http://' + 'a' * N + ' '"],
    ),
    r"[A-Za-z0-9]": ("one character class", "sub", ["'$' * N"]),
    r"[0-9]{4}": ("bounded", "fullmatch", ["'1' * N"]),
    r"(?i)(?:the\s+)?(?:financial\s+)?(?:year\s+ending|y/?e|fye)\s+([a-z]+)\.?\s+([0-9]{4})": (
        "each part a different character class, separated by required spaces",
        "fullmatch",
        ["'the ' + ' ' * N + 'x'", "'year ending ' + 'a' * N + ' 1'", "'ye' + ' ' * N + 'a'"],
    ),
    r"([0-9]{4})[-/. ]([0-9]{1,2})(?:[-/. ][0-9]{1,2})?": ("bounded", "fullmatch", ["'1' * N"]),
    r"([0-9]{1,2})[-/. ]([0-9]{4})": ("bounded", "fullmatch", ["'1' * N"]),
    r"(?i)([a-z]+)\.?[\s,-]*([0-9]{4})|([0-9]{4})[\s,-]*([a-z]+)\.?": (
        "letters, then separators, then digits: classes that do not overlap",
        "fullmatch",
        ["'a' * N + ' ' * N + 'x'", "'2023' + ',' * N + 'a' * N + '1'"],
    ),
    # output.py: leftover temporary files' names
    r"\..+\.gunstats-[a-z0-9_]{8}\.tmp": (
        "one greedy run, then a fixed suffix tried at each place it gives back",
        "fullmatch",
        ["'.' + '.gunstats-' * N", "'.' + 'a' * N"],
    ),
    # readers_hints.py: the hint for a missing space after a colon
    r":[^\s/]": ("two characters", "search", ["':' * N", "': ' * N"]),
    # prose.py
    "\x00([0-9]+)\x00": (
        "a marker ends at the next NUL",
        "sub",
        ["'\\x00' + '1' * N", "'\\x00' * N"],
    ),
}

# Hints for a value that is not a number. Some of these do backtrack (``[0-9]+\.?[0-9]*``
# splits a run of digits many ways), so the loader tries them only on values of up to 64
# characters; they are fed long values through the loader, which is what a figures file can
# reach.
GUARDED = {
    r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?": "'1,000' * N + 'x'",
    r"[+-]?[0-9]+(\.[0-9]+)?\s*%": "'1' * N + ' ' * N + 'x'",
    r"[+-]?0[0-9]+": "'0' * N + 'x'",
    r"[+-]?[0-9]+,[0-9]+": "'1' * N + ',' + '1' * N + 'x'",
    r"[+-]?[0-9]+(:[0-9]+)+(\.[0-9]*)?": "'1:' * N + 'x'",
    r"[+-]?[0-9_]+(\.[0-9_]+)?": "'1_' * N + '.' + '_' * N + 'x'",
    r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+": "'1' * N + 'x'",
    r"[+-]?[0-9]+\.": "'1' * N + 'x'",
    r"[+-]?\.[0-9]+": "'.' + '1' * N + 'x'",
}

FUNCTIONS = {"compile", "fullmatch", "match", "search", "sub", "subn", "split", "findall"}


def package_patterns() -> dict[str, list[str]]:
    """Every pattern passed to the ``re`` module in gunstats/, with where it is used."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.func.attr in FUNCTIONS
            ):
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                pattern = first.value
            elif isinstance(first, ast.Name) and first.id in constants:
                pattern = constants[first.id]
            else:
                pattern = f"<cannot read the pattern at {where}>"
            found.setdefault(pattern, []).append(where)
    return found


def test_every_pattern_is_reviewed():
    found = package_patterns()
    assert len(found) >= 20  # the walk really finds the package's patterns
    unreviewed = {p: w for p, w in found.items() if p not in RAW and p not in GUARDED}
    assert not unreviewed, f"add these patterns to the review in {__file__}: {unreviewed}"
    stale = (set(RAW) | set(GUARDED)) - set(found)
    assert not stale, f"no longer in gunstats/, remove from the review: {stale}"


def run_within_timeout(code: str) -> None:
    script = f"N = {SIZE}\n" + textwrap.dedent(code)
    try:
        result = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            cwd=ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running after {TIMEOUT} s on {SIZE:,} characters: backtracking")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("pattern", list(RAW))
def test_pattern_is_linear_on_adversarial_input(pattern):
    _, how, inputs = RAW[pattern]
    run_within_timeout(
        f"""
        import re
        pattern = re.compile({pattern!r})
        for text in [{", ".join(inputs)}]:
            assert len(text) >= N
            pattern.fullmatch(text)
            if {how!r} == "sub":
                pattern.sub("", text)
                pattern.search(text)
        """
    )


def test_long_values_reach_the_number_hints_only_through_the_length_guard():
    values = ", ".join(GUARDED.values())
    run_within_timeout(
        f"""
        from gunstats.errors import FiguresError
        from gunstats.load import parse_figures
        for value in [{values}]:
            text = (
                "title: Synthetic (illustrative)\\nmetrics:\\n  a:\\n    label: A\\n"
                "    unit: count\\n    better: down\\n    values:\\n      2021/22: " + value + "\\n"
            )
            try:
                parse_figures(text)
            except FiguresError as error:
                assert "is not a number" in str(error) or "too many digits" in str(error)
            else:
                raise AssertionError("accepted " + value[:20])
        """
    )


def test_a_long_label_of_shorthand_escapes_in_linear_time():
    """The label of issue 14: ``[x]`` repeated, which made the old cell escaping quadratic."""
    run_within_timeout(
        """
        from gunstats.render.markdown import escape_cell
        label = "[x]" * (N // 3) + "!"
        assert escape_cell(label) == "\\\\[x\\\\]" * (N // 3) + "!"
        assert escape_cell("12 [p] [r]") == "12 \\\\[p\\\\] \\\\[r\\\\]"
        """
    )
