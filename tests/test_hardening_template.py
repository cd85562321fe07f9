"""A hostile ``--template`` gets one line, ``TEMPLATE:LINE: what went wrong``, and exit 1.

Never a traceback, never minutes of work or gigabytes of memory, never a file from outside
the template's folder (or the shipped examples). The cases that used to hang or eat memory
run the installed command in a subprocess with a timeout and an address-space limit, so a
regression fails here instead of taking the test run (or the machine) down with it.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time

import pytest

from gunstats.compute import build_report
from gunstats.load import load_figures
from gunstats.render.template import TemplateError, render

from .conftest import ROOT, SHIPPED

TIMEOUT = 60  # seconds: a failure, not a measurement (a fixed template stops in about 2)
ADDRESS_SPACE = 4 << 30  # bytes: keeps an unfixed template from swapping the machine


def limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run_template(
    tmp_path, text: str, name: str = "t.j2"
) -> tuple[subprocess.CompletedProcess, float]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    started = time.monotonic()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "gunstats", "report", "-f", str(SHIPPED), "--template", name],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            preexec_fn=limit_memory,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the template still ran after {TIMEOUT} s")
    return result, time.monotonic() - started


def assert_one_line(result: subprocess.CompletedProcess, place: str, *words: str) -> None:
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr[-2000:]
    if place.endswith(":"):  # some line, whichever the template was on when it stopped
        assert re.match(re.escape(place) + r"[0-9]+: ", lines[0]), lines[0]
    else:
        assert lines[0].startswith(place + ": "), lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    assert len(result.stdout) < 1 << 20  # nothing near the size limit reached stdout


# ---- run time, output size and the size of what a template makes ------------------------------

SLOW_OR_HUGE = {
    "string times a huge number": ('{{ "x" * 3000000000 }}', 1, "3,000,000,000"),
    "a power with thousands of digits": ("\n{{ 10 ** 5000 }}", 2, "digits"),
    "a power that takes hours": ("{{ 7 ** 100000000 }}", 1, "digits"),
    "loops writing gigabytes": (
        "{% for i in range(100000) %}{% for j in range(100000) %}\n"
        "xxxxxxxxxx{% endfor %}{% endfor %}",
        None,
        "output is over",
    ),
    "nested ranges that never end": (
        "{% for i in range(100000) %}{% for j in range(100000) %}\n"
        "{% for k in range(100000) %}{% endfor %}{% endfor %}{% endfor %}",
        2,
        "seconds",
    ),
    "a range too big": ("{% for i in range(10 ** 12) %}{% endfor %}", 1, "1,000,000,000,000"),
    "a string doubled in a namespace": (
        '{% set ns = namespace(s="x") %}{% for i in range(64) %}\n'
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}",
        2,
        "characters",
    ),
    "a list doubled in a namespace": (
        "{% set ns = namespace(s=[1]) %}{% for i in range(64) %}\n"
        "{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s | length }}",
        2,
        "items",
    ),
    "a macro doubling its argument": (
        "{% macro f(s) %}{{ f(s ~ s) }}{% endmacro %}\n{{ f('x') }}",
        1,
        "characters",
    ),
    "a filter with a huge width": ('{{ "x" | center(2000000000) }}', 1, "2,000,000,000"),
    "a filter with a huge string width": (
        '{{ ("x\\n" * 100) | indent("y" * 100000) }}',
        1,
        "characters",
    ),
    "a method with a huge width": ('{{ "x".ljust(2000000000) }}', 1, "2,000,000,000"),
    "a printf width": ('{{ "%999999999s" % "x" }}', 1, "width"),
    "a format filter width": ('{{ "%999999999s" | format("x") }}', 1, "width"),
    "a str.format width": ('{{ "{:999999999}".format("x") }}', 1, "width"),
    "a replace that multiplies": (
        '{% set s = "x" * 100000 %}\n{{ s.replace("x", s[:30000]) | length }}',
        2,
        "memory",
    ),
}


@pytest.mark.parametrize("case", list(SLOW_OR_HUGE))
def test_a_hostile_template_stops_with_one_line(tmp_path, case):
    text, line, word = SLOW_OR_HUGE[case]
    result, _ = run_template(tmp_path, text)
    assert_one_line(result, f"t.j2:{line}" if line else "t.j2:", word)


def test_an_endless_loop_stops_at_the_time_limit(tmp_path):
    result, seconds = run_template(
        tmp_path,
        "{% for i in range(100000) %}{% for j in range(100000) %}"
        "{% for k in range(100000) %}{% endfor %}{% endfor %}{% endfor %}",
    )
    assert_one_line(result, "t.j2:1", "took longer than 2 seconds")
    assert seconds < 30  # the limit is 2 s; the margin is for a slow machine, not a measurement


# ---- compilation: nesting, parentheses, literals --------------------------------------------


def render_text(tmp_path, text: str, name: str = "t.j2") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return render(build_report(load_figures(SHIPPED)), str(path))


def refused(tmp_path, text: str, name: str = "t.j2") -> str:
    with pytest.raises(TemplateError) as caught:
        render_text(tmp_path, text, name)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_99_nested_ifs_name_the_line_that_nests_too_deep(tmp_path):
    text = "".join("{% if true %}\n" for _ in range(99)) + "x" + "{% endif %}" * 99
    message = refused(tmp_path, text)
    assert re.fullmatch(r".*t\.j2:17: blocks nested more than 16 deep.*", message), message


def test_21_nested_loops_are_refused_before_python_refuses_them(tmp_path):
    text = "{% for i in [1] %}" * 21 + "x" + "{% endfor %}" * 21
    assert "t.j2:1: blocks nested more than 16 deep" in refused(tmp_path, text)


def test_16_nested_blocks_of_every_kind_still_work(tmp_path):
    opening = (
        "{% for i in [1] %}{% if true %}{% with a = 1 %}{% filter upper %}"
        "{% for j in [2] %}{% if loop.first %}{% with b = 2 %}{% filter lower %}"
    ) * 2
    closing = (
        "{% endfilter %}{% endwith %}{% endif %}{% endfor %}"
        "{% endfilter %}{% endwith %}{% endif %}{% endfor %}"
    ) * 2
    assert render_text(tmp_path, opening + "X{{ i }}{{ j }}" + closing) == "X12"


def test_deep_parentheses_name_their_line(tmp_path):
    text = "one\n{{ " + "(" * 2000 + "1" + ")" * 2000 + " }}"
    assert "t.j2:2: brackets nested more than 20 deep" in refused(tmp_path, text)


@pytest.mark.parametrize(
    "expression",
    ["x" + "+1" * 300, "not " * 1000 + "true", "9" * 5000, "x" + "|string" * 300],
    ids=["operator chain", "not chain", "5000-digit literal", "filter chain"],
)
def test_expressions_too_big_to_compile_name_their_line(tmp_path, expression):
    message = refused(tmp_path, "{% set x = 1 %}\n\n{{ " + expression + " }}")
    assert message.startswith(str(tmp_path / "t.j2") + ":3: "), message
    assert "cannot be compiled" in message


def test_a_template_that_is_not_a_nested_bomb_still_renders(tmp_path):
    text = (
        "{{ (((1 + 2) * 3)) }} {{ range(50000) | length }} {{ 'ab' * 3 }} {{ 2 ** 10 }}"
        " {{ '%5s|' % 'x' }} {{ '{:>4}'.format(7) }} {{ 'x' | center(5) }}."
    )
    assert render_text(tmp_path, text) == "9 50000 ababab 1024     x|    7   x  ."


def test_big_numbers_that_are_values_not_widths_are_fine(tmp_path):
    text = (
        "{{ '{:,}'.format(2000000) }} {{ none | default(5000000, true) }} {{ [3000000] | max }}"
        " {{ 'Ref 12345678: %s' % 'ok' }} {{ '%.2f' % 1234567.891 }}"
    )
    assert render_text(tmp_path, text) == "2,000,000 5000000 3000000 Ref 12345678: ok 1234567.89"


def test_lists_cannot_be_grown_in_place(tmp_path):
    message = refused(tmp_path, "{% for m in metrics %}{{ metrics.append(m) }}{% endfor %}")
    assert "t.j2:1: SecurityError" in message


def test_fields_named_like_dict_methods_are_the_fields(tmp_path):
    text = "{% for v in metrics[1].values %}{{ v.period }}={{ v.value }} {% endfor %}"
    assert render_text(tmp_path, text) == "2019/20=283 2021/22=196 "


# ---- includes: the template's folder and the shipped examples only ------------------------------


def test_a_hidden_file_cannot_be_included(tmp_path):
    (tmp_path / ".ssh").mkdir()
    (tmp_path / ".ssh" / "id_rsa").write_text("SECRET KEY")
    (tmp_path / ".env").write_text("SECRET=1")
    for name in (".ssh/id_rsa", ".env", "./.env"):
        message = refused(tmp_path, "\n{% include '" + name + "' %}")
        assert ":2: " in message and "hidden" in message and "SECRET" not in message


def test_a_symbolic_link_out_of_the_folder_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("SECRET")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "linked.txt").symlink_to(outside / "secret.txt")
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    (folder / "hidden-link").symlink_to(folder / ".secret")
    (folder / ".secret").write_text("SECRET")
    for name in ("linked.txt", "linked/secret.txt", "hidden-link"):
        message = refused(folder, "{% include '" + name + "' %}")
        assert "t.j2:1: " in message and "SECRET" not in message
        assert "outside the template's folder" in message or "hidden" in message


def test_parent_folders_and_absolute_paths_are_not_found(tmp_path):
    (tmp_path / "secret.txt").write_text("SECRET")
    folder = tmp_path / "templates"
    folder.mkdir()
    for name in ("../secret.txt", str(tmp_path / "secret.txt"), "/etc/passwd"):
        message = refused(folder, "{% include '" + name + "' %}")
        assert "t.j2:1: TemplateNotFound" in message and "SECRET" not in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_waiting_for_it(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    assert "not a regular file" in refused(tmp_path, "{% include 'pipe' %}")


def test_a_huge_include_is_refused_unread(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"x" * (2 << 20))
    assert "larger than" in refused(tmp_path, "{% include 'big.txt' %}")


def test_includes_from_the_folder_its_subfolders_and_the_shipped_examples(tmp_path):
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "title.j2").write_text("# {{ title | md }}\n")
    text = "{% include 'parts/title.j2' %}\n{% include 'press-release.md.j2' %}"
    out = render_text(tmp_path, text)
    assert out.startswith("# Gun crime in London\n# Gun crime in London\n")
    assert "## Notes to editors" in out
    assert (ROOT / "examples" / "press-release.md.j2").exists()


def test_an_error_inside_an_include_names_the_included_file(tmp_path):
    (tmp_path / "part.j2").write_text("fine\n{{ nope }}")
    message = refused(tmp_path, "{% include 'part.j2' %}")
    assert message.startswith(str(tmp_path / "part.j2") + ":2: "), message
    (tmp_path / "deep.j2").write_text("\n" + "{% if true %}" * 30 + "{% endif %}" * 30)
    message = refused(tmp_path, "{% include 'deep.j2' %}")
    assert message.startswith(str(tmp_path / "deep.j2") + ":2: blocks nested"), message


def test_a_template_including_itself_is_one_line(tmp_path):
    message = refused(tmp_path, "{% include 't.j2' %}")
    assert message.startswith(str(tmp_path / "t.j2") + ":1: ")


def test_limits_are_lifted_after_rendering(tmp_path):
    import signal

    before = resource.getrlimit(resource.RLIMIT_AS), signal.getsignal(signal.SIGALRM)
    render_text(tmp_path, "{{ title }}")
    assert (resource.getrlimit(resource.RLIMIT_AS), signal.getsignal(signal.SIGALRM)) == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


# ---- the README's account of what a template sees ---------------------------------------------


def readme_template_table() -> dict[str, tuple[set[str], set[str]]]:
    """The README's "What a template sees" table: each row's names in its two cells."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("What a template sees:")
    rows = {}
    for line in text[start : text.index("Filters:", start)].splitlines():
        cells = line.split(" | ")
        if len(cells) == 2 and line.startswith("| ") and not line.startswith("| name"):
            first, second = cells[0][2:], cells[1]
            names = [set(re.findall(r"`([a-z_]+)(?:\[\])?`", cell)) for cell in (first, second)]
            rows[first] = (names[0], names[1])
    return rows


def test_readme_lists_exactly_what_a_template_sees():
    from gunstats.render.template import template_context

    context = template_context(build_report(load_figures(SHIPPED)))
    rows = readme_template_table()
    assert set().union(*(first for first, _ in rows.values())) == set(context)
    metric = context["metrics"][0]
    internal = {"observation", "comparison"}  # for the filters, not documented fields
    assert rows["`metrics[]`"][1] - {"count", "percent"} == set(metric)
    assert rows["a value"][1] == set(metric["latest"]) - internal
    assert rows["a comparison"][1] == set(metric["since_baseline"]) - internal
    assert rows["`sources[]`"][1] == set(context["sources"][0])


def test_readme_lists_exactly_the_filters():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("Filters: `")
    paragraph = text[start : text.index("\n\n", start)]
    named = set(re.findall(r"`([a-z]+)(?:\([a-z=0-9]*\))?` \(", paragraph))
    from gunstats.periods import PeriodStyle
    from gunstats.prose import PeriodNamer
    from gunstats.render.template import _filters

    assert named == set(_filters(1, PeriodStyle.COMPACT, PeriodNamer()))
