"""Bounded, safe reading of input files (patients, rulesets, FHIR bundles, vocabulary).

Any input may be hostile or simply wrong: a Latin-1 export, a UTF-16 file, a device, a 50 MB file, a YAML
alias bomb, a duplicated key. Each becomes one :class:`InputError` naming the file and the problem, in
bounded time and memory; nothing here raises anything else.

* :func:`read_text`: regular files only, at most ``max_bytes``, UTF-8 (BOM allowed) or gzip of UTF-8.
* :func:`load_yaml`: safe YAML (libyaml when available); duplicate keys, anchors/aliases and nesting deeper
  than :data:`MAX_DEPTH` are errors; dates stay strings (as in JSON) so the caller's model validates them
  and names the field.
* :func:`load_json`: duplicate keys (with their line), nesting, NaN/Infinity and out-of-range numbers are errors.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import math
import os
import stat
import zlib
from json.decoder import JSONArray, scanstring
from json.scanner import py_make_scanner
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_YAML_BYTES", "load_json", "load_yaml", "read_text"]

MAX_BYTES = 64 * 1024 * 1024
"""Largest input file read (after gzip decompression)."""
MAX_YAML_BYTES = 4 * 1024 * 1024
"""Largest YAML text parsed: YAML construction is far slower than JSON, and no real patient or ruleset nears it."""
MAX_DEPTH = 100
"""Deepest nesting of mappings and lists accepted (real inputs nest fewer than 10 levels)."""

_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1024 * 1024


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{n} bytes"


def read_text(path: str | Path, *, max_bytes: int = MAX_BYTES) -> str:
    """The text of a regular file: UTF-8 (with or without BOM) or gzip of UTF-8, at most ``max_bytes`` bytes.

    Devices, directories and FIFOs are refused without reading; a larger file is refused after reading
    ``max_bytes + 1`` bytes; any other encoding (Latin-1, UTF-16, binary) is refused naming the first bad byte.
    """
    where = str(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it has no effect on regular files.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror or exc})", path=where) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file"
            raise InputError(f"cannot read file ({kind})", path=where)
        raw = _read_bounded(fd, max_bytes, where)
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror or exc})", path=where) from None
    finally:
        os.close(fd)
    if raw.startswith(_GZIP_MAGIC):
        raw = _gunzip(raw, max_bytes, where)
    return _decode(raw, where)


def _read_bounded(fd: int, max_bytes: int, where: str) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while total <= max_bytes:
        chunk = os.read(fd, min(_CHUNK, max_bytes + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > max_bytes:
        raise InputError(f"file is larger than {_size(max_bytes)}", path=where)
    return b"".join(chunks)


def _gunzip(raw: bytes, max_bytes: int, where: str) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as gz:
            data = gz.read(max_bytes + 1)  # bounded: a gzip bomb stops here
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"not valid gzip ({exc})", path=where) from None
    if len(data) > max_bytes:
        raise InputError(f"file is larger than {_size(max_bytes)} once decompressed", path=where)
    return data


def _decode(raw: bytes, where: str) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})", path=where) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError(f"not text (NUL byte at character {nul})", path=where)
    return text


def _first_clause(exc: BaseException) -> str:
    """The gist of a library message, on one line (Python's digit-limit message runs on with advice)."""
    return str(exc).split(":")[0].replace("\n", " ")


def _shown(key: Any) -> str:
    """A key as an error message shows it: on one line, and short."""
    text = " ".join(str(key).split())
    return text if len(text) <= 80 else text[:77] + "..."


# --- YAML ---------------------------------------------------------------------------------------------------

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Duplicate(Exception):
    def __init__(self, key: Any, line: int) -> None:
        self.key = key
        self.line = line


class _StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that refuses duplicate keys and keeps timestamps as strings."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:  # an unhashable key: the base constructor reports it with its mark
                break
            if duplicate:
                raise _Duplicate(key, key_node.start_mark.line + 1)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


# Dates stay text, as in JSON: an impossible date (1960-02-30) then fails in the model, which names the field.
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _StrictLoader.construct_yaml_str)


def _yaml12_number(loader: _StrictLoader, node: yaml.ScalarNode) -> Any:
    """Numbers as YAML 1.2 and JSON read them: "0150" is 150 (not octal 104), "6:32" is text (not 392)."""
    text = loader.construct_scalar(node)
    if ":" in text:
        return text
    plain = text.replace("_", "")
    if plain.lstrip("+-").isdigit():
        return int(plain, 10)
    if node.tag.endswith(":int"):
        return loader.construct_yaml_int(node)  # 0x1F, 0o17: written as such on purpose
    return loader.construct_yaml_float(node)


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _yaml12_number)
_StrictLoader.add_constructor("tag:yaml.org,2002:float", _yaml12_number)


def _yaml_problem(exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(p for p in (exc.context, exc.problem) if p) or "syntax error"
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        return f"{what}{where}"
    return str(exc).replace("\n", " ")


def _check_nodes(root: yaml.Node, source: str) -> None:
    """Refuse aliases (a node reached twice) and nesting deeper than MAX_DEPTH, walking without recursion."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            line = node.start_mark.line + 1 if node.start_mark else "?"
            raise InputError(f"YAML anchors and aliases are not allowed (anchor at line {line})", path=source)
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            continue
        if depth > MAX_DEPTH:
            line = node.start_mark.line + 1 if node.start_mark else "?"
            raise InputError(f"nested deeper than {MAX_DEPTH} levels (line {line})", path=source)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
        else:
            stack.extend((child, depth + 1) for child in node.value)


def load_yaml(text: str, source: str) -> Any:
    """Parse one YAML document safely; every problem is an :class:`InputError` naming ``source``."""
    if len(text) > MAX_YAML_BYTES:
        raise InputError(f"YAML text is larger than {_size(MAX_YAML_BYTES)}", path=source)
    loader = _StrictLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        _check_nodes(root, source)
        return loader.construct_document(root)
    except _Duplicate as dup:
        raise InputError(f"duplicate key '{_shown(dup.key)}' (line {dup.line})", path=source) from None
    except InputError:
        raise
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML: {_yaml_problem(exc)}", path=source) from None
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:  # e.g. an integer of 5,000 digits
        raise InputError(f"not valid YAML: {_first_clause(exc)}", path=source) from None
    finally:
        loader.dispose()


# --- JSON ---------------------------------------------------------------------------------------------------


def _no_constant(name: str) -> Any:
    raise _BadNumber(name, f"{name} is not a number JSON allows")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _BadNumber(text, f"number {text[:40]} is out of range")
    return value


class _BadNumber(Exception):
    def __init__(self, token: str, problem: str) -> None:
        self.token = token
        self.problem = problem


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Duplicate(key, 0)
        out[key] = value
    return out


def load_json(text: str, source: str) -> Any:
    """Parse JSON strictly; every problem is an :class:`InputError` naming ``source`` (and the line when known)."""
    try:
        data = json.loads(text, object_pairs_hook=_unique_pairs, parse_constant=_no_constant, parse_float=_finite_float)
    except _Duplicate as dup:
        found = _duplicate(text)
        key, line = found if found else (dup.key, None)
        raise InputError(f"duplicate key '{_shown(key)}'" + (f" (line {line})" if line else ""), path=source) from None
    except _BadNumber as exc:
        at = text.find(exc.token)  # the first occurrence: a string holding the same text first is rare
        line = f" (line {text.count(chr(10), 0, at) + 1})" if at >= 0 else ""
        raise InputError(f"not valid JSON: {exc.problem}{line}", path=source) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", path=source) from None
    except RecursionError:
        raise InputError(f"nested deeper than {MAX_DEPTH} levels", path=source) from None
    except ValueError as exc:  # e.g. an integer of 5,000 digits
        raise InputError(f"not valid JSON: {_first_clause(exc)}", path=source) from None
    _check_depth(data, source)
    return data


def _check_depth(data: Any, source: str) -> None:
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > MAX_DEPTH:
            raise InputError(f"nested deeper than {MAX_DEPTH} levels", path=source)
        stack.extend((child, depth + 1) for child in children)


class _Found(Exception):
    pass


class _LineFinder(json.JSONDecoder):
    """A slow pure-Python pass, run only after a duplicate was found, to report the first repeated key and its line."""

    def __init__(self) -> None:
        super().__init__(parse_constant=float)
        self.found: tuple[str, int] | None = None
        self.parse_object = self._object
        self.parse_array = JSONArray
        self.scan_once = py_make_scanner(self)

    def _object(self, s_and_end: tuple[str, int], strict: bool, scan_once: Any, *rest: Any) -> tuple[dict, int]:
        s, pos = s_and_end
        keys: set[str] = set()
        pos = _skip(s, pos)
        if s[pos : pos + 1] == "}":
            return {}, pos + 1
        while True:  # walk the members once (values are not kept), noting where each key starts
            if s[pos : pos + 1] != '"':
                raise ValueError("expected a key")
            key, after = scanstring(s, pos + 1, strict)
            if key in keys:
                self.found = (key, s.count("\n", 0, pos) + 1)
                raise _Found  # the first repeat is all that is wanted
            keys.add(key)
            pos = _skip(s, after)
            if s[pos : pos + 1] != ":":
                raise ValueError("expected ':'")
            _, pos = scan_once(s, _skip(s, pos + 1))
            pos = _skip(s, pos)
            if s[pos : pos + 1] == "}":
                return {}, pos + 1
            if s[pos : pos + 1] != ",":
                raise ValueError("expected ','")
            pos = _skip(s, pos + 1)


def _skip(s: str, pos: int) -> int:
    while pos < len(s) and s[pos] in " \t\r\n":
        pos += 1
    return pos


def _duplicate(text: str) -> tuple[str, int] | None:
    finder = _LineFinder()
    with contextlib.suppress(_Found, ValueError, RecursionError, StopIteration):  # invalid text may follow the repeat
        finder.decode(text)
    return finder.found
