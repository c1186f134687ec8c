"""Reading input files: bounded, UTF-8 only, strict YAML and JSON; every problem one InputError naming the file."""

import gzip
import os
from pathlib import Path

import pytest

from engine.errors import InputError
from engine.files import MAX_DEPTH, load_json, load_yaml, read_text


def refused(func, *args, **kwargs) -> str:
    with pytest.raises(InputError) as err:
        func(*args, **kwargs)
    message = str(err.value)
    assert "\n" not in message
    return message


def test_utf8_with_and_without_bom_and_gzip_of_it(tmp_path: Path):
    plain, bom, zipped = tmp_path / "a.yaml", tmp_path / "b.yaml", tmp_path / "c.yaml.gz"
    plain.write_bytes("id: Zoë\n".encode())
    bom.write_bytes(b"\xef\xbb\xbf" + "id: Zoë\n".encode())
    zipped.write_bytes(gzip.compress(b"\xef\xbb\xbf" + "id: Zoë\n".encode()))
    assert read_text(plain) == read_text(bom) == read_text(zipped) == "id: Zoë\n"


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("id: café\n".encode("latin-1"), "not UTF-8 text (byte 0xe9 at offset 7)"),
        ("id: x\n".encode("utf-16"), "not UTF-8 text (byte 0xff at offset 0)"),
        (b"\x00\x00\x00\x00", "not text (NUL byte at character 0)"),
        (b"\x1f\x8b\x08\x00garbage", "not valid gzip"),
        (gzip.compress("id: café".encode("latin-1")), "not UTF-8 text (byte 0xe9 at offset 7)"),
    ],
)
def test_other_encodings_and_binary_are_refused_naming_the_byte(tmp_path: Path, raw: bytes, problem: str):
    path = tmp_path / "p.yaml"
    path.write_bytes(raw)
    assert refused(read_text, path).startswith(f"{path}: {problem}")


def test_size_is_bounded_before_and_after_decompression(tmp_path: Path):
    big, bomb = tmp_path / "big.json", tmp_path / "bomb.json"
    big.write_bytes(b" " * 2048)
    bomb.write_bytes(gzip.compress(b" " * 4096))
    assert refused(read_text, big, max_bytes=1024) == f"{big}: file is larger than 1024 bytes"
    assert refused(read_text, bomb, max_bytes=1024) == f"{bomb}: file is larger than 1024 bytes once decompressed"
    assert read_text(big, max_bytes=2048) == " " * 2048


def test_devices_directories_and_fifos_are_refused_without_reading(tmp_path: Path):
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    # Reading either would never end (no writer for the FIFO, endless zeros): refused from their type alone.
    assert refused(read_text, "/dev/zero") == "/dev/zero: cannot read file (not a regular file)"
    assert refused(read_text, fifo) == f"{fifo}: cannot read file (not a regular file)"
    assert refused(read_text, tmp_path) == f"{tmp_path}: cannot read file (a directory)"
    assert "No such file" in refused(read_text, tmp_path / "missing.json")


def test_yaml_duplicate_key_is_named_with_its_line():
    text = "id: p\nlabs:\n  - code: hemoglobin\n    value: 9\n    value: 12\n"
    assert refused(load_yaml, text, "p.yaml") == "p.yaml: duplicate key 'value' (line 5)"


def test_yaml_aliases_are_refused_so_no_alias_bomb_expands():
    layers = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    layers += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 12)]
    # Expanded, these 12 lines would be 9**12 strings: refused before anything is built.
    assert refused(load_yaml, "\n".join(layers), "p.yaml") == (
        "p.yaml: YAML anchors and aliases are not allowed (anchor at line 1)"
    )


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5000, 200_000])
def test_yaml_and_json_nesting_is_bounded(depth: int):
    text = "[" * depth + "]" * depth
    assert "nest" in refused(load_yaml, text, "p.yaml")
    assert refused(load_json, text, "p.json") == f"p.json: nested deeper than {MAX_DEPTH} levels"


def test_nesting_at_the_bound_is_accepted():
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert load_json(text, "p.json") == load_yaml(text, "p.yaml")


def test_yaml_dates_stay_text_so_the_model_names_the_field():
    assert load_yaml("birth_date: 1960-02-30\nseen: 2026-01-05\n", "p.yaml") == {
        "birth_date": "1960-02-30",
        "seen": "2026-01-05",
    }


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("id: [1, 2\n", "not valid YAML: while parsing a flow sequence did not find expected ',' or ']' (line 2"),
        ("n: " + "9" * 5000, "not valid YAML: Exceeds the limit (4300 digits)"),
    ],
)
def test_yaml_syntax_and_number_errors_are_one_line(text: str, problem: str):
    assert refused(load_yaml, text, "p.yaml").startswith(f"p.yaml: {problem}")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"id": "p",\n "labs": [],\n "id": "q"}', "duplicate key 'id' (line 3)"),
        ('{"a": {"k": 1,\n "k": 2}}', "duplicate key 'k' (line 2)"),
        ('{"two\\nlines": 1, "two\\nlines": 2}', "duplicate key 'two lines' (line 1)"),
        ('{"a": [{"k": 1}, {"k": 2}],\n "b": {"k": 1, "j": 2,\n\n "j": 3}}', "duplicate key 'j' (line 4)"),
        ('{"v": NaN}', "not valid JSON: NaN is not a number JSON allows"),
        ('{"v": -Infinity}', "not valid JSON: -Infinity is not a number JSON allows"),
        ('{"a": 1,\n "v": 1e400}', "not valid JSON: number 1e400 is out of range (line 2)"),
        ('{"a": 1,\n\n "v": NaN}', "not valid JSON: NaN is not a number JSON allows (line 3)"),
        ('{"v": ' + "9" * 5000 + "}", "not valid JSON: Exceeds the limit (4300 digits)"),
        ('{"v": }', "not valid JSON: Expecting value (line 1, column 7)"),
    ],
)
def test_json_problems_are_named(text: str, problem: str):
    assert refused(load_json, text, "p.json").startswith(f"p.json: {problem}")


def test_same_key_in_different_objects_is_fine():
    assert load_json('[{"k": 1}, {"k": 2}]', "p.json") == [{"k": 1}, {"k": 2}]
    assert load_yaml("- k: 1\n- k: 2\n", "p.yaml") == [{"k": 1}, {"k": 2}]
