"""The shipped JSON Schema agrees with the loader: valid files pass it, and the invalid files
whose fault is one of shape (an unknown key, a wrong type, a bad unit) fail it."""

from __future__ import annotations

import datetime
import json
import re

import jsonschema  # a test dependency (setup.cfg): a missing one fails, never skips
import pytest
import yaml

from gunstats import load, validate, validate_ratios
from gunstats.errors import FiguresError
from gunstats.model import Better, Unit
from gunstats.schema import schema_path

from .conftest import ROOT

VALID = sorted(
    [ROOT / "figures.yaml", *(ROOT / "examples").glob("*.yaml"),
     *(ROOT / "tests/data/valid").glob("*.yaml")]
)  # fmt: skip
# Invalid files whose fault the schema can see. The others need the loader: duplicate keys,
# YAML 1.1 readings (010, 1:20), impossible years such as 2021/23, undefined sources.
SCHEMA_LEVEL = (
    "unknown_unit",
    "unknown_key_with_escape",
    "value_is_list",
    "quoted_number",
    "thousands_separator",
    "percent_sign",
    "negative",
    "decimal_count",
    "percent_over_100",
    "missing_better",
    "empty_label",
    "no_metrics",
    "unknown_flag",
    "key_integer_metric_id",
    "list_document",
    "scalar_document",
    "bad_month",
    "yes_boolean",
    "null_empty",
    "null_tilde",
    "label_escape_sequence",
    "label_newline",
    "source_url_javascript",
    "exponent",
    "implausible_count",
    "area_bad_id",
    "area_bad_value",
    "area_empty_mapping",
    "area_percent_without_parts",
    "area_population_fraction",
    "area_population_negative",
    "area_population_not_mapping",
    "area_population_quoted",
    "area_population_separator",
    "area_population_zero",
    "area_ratio_months",
    "area_unknown_key",
    "area_without_name",
    "area_null_name",
    "label_bell",
    "label_bidi_override",
    "label_c1_csi",
    "label_tab",
    "notes_tab",
    "label_line_separator",
    "label_soft_hyphen",
    "label_zero_width_space",
    "label_hangul_filler",
    "title_arabic_letter_mark",
    "description_bom_mid_text",
    "contact_empty",
    "contact_list",
)


def schema():
    with open(schema_path(), encoding="utf-8") as handle:
        return json.load(handle)


def as_json(data):
    """What an editor's YAML server hands the schema: dates as text, keys as text."""
    if isinstance(data, dict):
        return {str(key): as_json(value) for key, value in data.items()}
    if isinstance(data, list):
        return [as_json(item) for item in data]
    if isinstance(data, datetime.date):
        return data.isoformat()
    return data


def read(path):
    return as_json(yaml.safe_load(path.read_text(encoding="utf-8-sig")))


def validator():
    return jsonschema.Draft202012Validator(schema())


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(schema())
    assert schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", VALID, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_valid_file_passes_the_schema(path):
    load.load_figures(path)  # valid for gunstats itself
    errors = [e.message for e in validator().iter_errors(read(path))]
    assert errors == []


def test_the_readme_examples_pass_the_schema():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"```yaml\n(.*?)```", readme, re.DOTALL)
    assert examples
    for example in examples:
        assert [e.message for e in validator().iter_errors(as_json(yaml.safe_load(example)))] == []


@pytest.mark.parametrize("name", SCHEMA_LEVEL)
def test_schema_level_faults_fail_the_schema(name):
    path = ROOT / "tests/data/invalid" / f"{name}.yaml"
    with pytest.raises(FiguresError):
        load.load_figures(path)
    assert list(validator().iter_errors(read(path))), f"{name} passed the schema"


def test_the_schema_knows_exactly_the_loader_s_keys():
    """One home per fact: a key added to the loader must be added to the schema too."""
    defs = schema()["$defs"]
    assert tuple(schema()["properties"]) == validate.TOP_LEVEL_KEYS
    assert tuple(defs["metric"]["properties"]) == validate.METRIC_KEYS
    assert tuple(defs["source"]["properties"]) == validate.SOURCE_KEYS
    assert tuple(defs["longValue"]["properties"]) == validate.VALUE_KEYS
    assert (
        tuple(defs["metric"]["properties"]["ratio_of"]["properties"]) == validate_ratios.RATIO_KEYS
    )
    assert defs["metric"]["properties"]["unit"]["enum"] == [u.value for u in Unit]
    assert defs["metric"]["properties"]["better"]["enum"] == [b.value for b in Better]


@pytest.mark.parametrize(
    "flag", ["p", "P", "[p]", "provisional", "Revised", "break", "break in series", "[E]"]
)
def test_every_flag_the_loader_reads_passes_the_schema(flag, write_figures):
    text = f"metrics:\n  a:\n    label: A\n    unit: count\n    better: up\n    values:\n" \
           f"      2019/20: {{value: 1, flags: ['{flag}']}}\n"  # fmt: skip
    load.load_figures(write_figures(text))
    assert list(validator().iter_errors(as_json(yaml.safe_load(text)))) == []


def test_an_imported_file_passes_the_schema(tmp_path):
    from .test_import import invoke, write_csv

    result = invoke("import", str(write_csv(tmp_path / "t.csv")), "--source-title", "Made up")
    assert result.exit_code == 0, result.output
    assert list(validator().iter_errors(as_json(yaml.safe_load(result.stdout)))) == []


STATUS_FILE = (
    "status: {}\nmetrics:\n  a: {{label: A, unit: count, better: up, values: {{2019/20: 1}}}}\n"
)


@pytest.mark.parametrize(
    "status",
    ["official statistics", "Official Statistics", "  accredited  official statistics",
     "Management information", "official statistics in development"],
)  # fmt: skip
def test_every_status_the_loader_reads_passes_the_schema(status, write_figures):
    path = write_figures(STATUS_FILE.format(f"'{status}'"))
    assert load.load_figures(path).status is not None
    assert list(validator().iter_errors(read(path))) == []


@pytest.mark.parametrize("status", ["National Statistics", "official", "statistics official"])
def test_a_status_the_loader_refuses_fails_the_schema(status, write_figures):
    path = write_figures(STATUS_FILE.format(f"'{status}'"))
    with pytest.raises(FiguresError):
        load.load_figures(path)
    assert list(validator().iter_errors(read(path)))


def test_caveats_and_the_singular_noun_pass_the_schema(write_figures):
    path = write_figures(
        "caveat: Ours.\nmetrics:\n  a: {label: A, unit: count, better: up, caveat: Its own.,"
        " noun: shootings, noun_singular: shooting, values: {2019/20: 1}}\n"
    )
    figures = load.load_figures(path)
    assert (figures.caveat, figures.metrics[0].noun_singular) == ("Ours.", "shooting")
    assert list(validator().iter_errors(read(path))) == []


def _refused_by_the_loader(character):
    from gunstats.readers_hints import _unwanted

    return _unwanted(character, True) is not None


def test_the_text_patterns_refuse_exactly_what_the_loader_refuses():
    """Over every code point: the schema's text patterns refuse a character exactly when the
    loader does (beyond the Basic Multilingual Plane too: tag characters, musical symbol
    format controls). The schema may also refuse U+13439..1343F, Egyptian hieroglyph format
    controls since Unicode 15, while this Python's Unicode leaves them unassigned."""
    import unicodedata

    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    loader = {c for c in every if _refused_by_the_loader(c)}
    for name, allowed in (("oneLine", set()), ("text", {"\n"})):
        pattern = schema()["$defs"][name]["pattern"]
        # ^[^REFUSED]*[^REFUSED\s][^REFUSED]*$: the refused characters are the first class's
        refused = pattern[len("^[^") : pattern.index("]")]
        by_schema = set(re.findall(f"[{refused}]", every))
        extra = {
            f"U+{ord(c):04X}"
            for c in by_schema - loader
            if not (0x13439 <= ord(c) <= 0x1343F and unicodedata.category(c) == "Cn")
        }
        missing = {f"U+{ord(c):04X}" for c in loader - by_schema - allowed}
        assert (name, extra, missing) == (name, set(), set())
        assert re.search(pattern, "Shoot\U000e0001ings") is None  # the whole pattern too
        assert re.search(pattern, "Shootings") is not None


@pytest.mark.parametrize("code", [0xE0001, 0xE0041, 0x1D173, 0x1D17A, 0x110BD, 0x1BCA0])
def test_an_invisible_character_beyond_the_bmp_fails_both(code, write_figures):
    path = write_figures(
        f'title: "Shoot\\U{code:08X}ings"\n'
        "metrics:\n  a: {label: A, unit: count, better: up, values: {2019/20: 1}}\n"
    )
    with pytest.raises(FiguresError, match=f"U\\+{code:04X}"):
        load.load_figures(path)
    assert list(validator().iter_errors(read(path)))
