"""Every message skytally shows a user, in one place, with a stable code.

Codes let users search docs and issues; formatting happens at the raise
site with ``Errors.E001.format(...)``.
"""

from __future__ import annotations


class _WithCodes(type):
    """Every message starts with its code, as spaCy's `add_codes` does ("[E005] ..."):
    a user can search the code in the docs and the issues."""

    # E011 ("{where}: {reason}") only puts a place before a message with its own code
    def __getattribute__(cls, name: str) -> str:
        message = type.__getattribute__(cls, name)
        if len(name) == 4 and name[0] == "E" and name[1:].isdigit() and name != "E011":
            return f"[{name}] {message}"
        return message


class Errors(metaclass=_WithCodes):
    E001 = "skytally.extract expects text as str, got {type_name}: {value!r:.60}"
    E002 = "invalid published date {value!r}: {reason}"
    E003 = "cannot read {path}: the file is not valid UTF-8 text (byte {position})"
    E004 = "cannot read {path}: {reason}"
    E005 = "{path} is not a skytally pipeline: {reason}"
    E006 = "{name} must be {allowed}, not {value!r}"
    E007 = "cannot write {path}: {reason}"
    E008 = "extract_many expects an iterable of texts, got a single {type_name}; use extract()"
    E009 = (
        "the text holds a lone surrogate U+{code:04X} at offset {position}: it is not valid "
        "Unicode; decode the input with errors='replace' (or 'strict' to find the cause)"
    )
    E010 = "{where}: invalid JSON: {reason}"
    E011 = "{where}: {reason}"
    E012 = "{where}: markup error: {reason}"
    E013 = "{path} holds no {what}"
    E014 = (
        "doc._.events needs {missing}, which did not run on this Doc ({why}); load the whole "
        "skytally pipeline (no exclude= or disable= of its components)"
    )
    E015 = "standard input ('-') can be read only once; name it once"
    E016 = (
        "extract_many got {detail}; give one published value for all texts or exactly one per text"
    )
    E020 = "unknown conversion {source} -> {target}; supported: {supported}"
    E021 = "cannot tell the format of {path} from its name; pass {option} with one of: {choices}"
    E022 = "markup is read-only (written by hand, docs/annotation.md); supported: {supported}"
    E023 = "cannot write {path}: {reason}"
    E024 = "annotate writes {choices}, not {value!r}"
    E030 = "evaluation data has {n} invalid record(s); first: {first}"
    E040 = (
        "{where}: the records have no 'text' field (fields: {fields}); each record needs "
        "'text' (and optionally 'id', 'published', 'source')"
    )
    E041 = (
        "{what} support is not installed: pip install 'skytally[{extra}]' "
        "(in a clone: pip install -e '.[{extra}]')"
    )
    E042 = "the text is empty"
    E043 = "{where}: cannot resume from this records file: {reason}"
    E044 = "records mode: {detail}"
    E050 = "unknown config {value!r}: give a config file or one of: {names}"
    E051 = "training needs annotated articles: pass --train PATH (and --dev PATH)"
    E052 = (
        "the accuracy config's encoder is not installed: pip install -e '.[transformers]' "
        "(after torch==2.13.0, CPU build)"
    )
    E053 = "{package} has no model folder at {path}"
    E054 = (
        "{component}: its gazetteer_path {path} does not exist and the pipeline holds no "
        "saved copy of it"
    )
    E060 = (
        "{where}: not an event row of skytally extract ({reason}); claims reads the JSONL "
        "written by `skytally extract --output events.jsonl` of this skytally version, or articles"
    )
    E061 = (
        "{where}: written by skytally {theirs} ({field}), this is skytally {ours}: extract the "
        "articles again with this version"
    )
    E062 = "cannot tell what to write to {path} from its name; use {choices}"


class SkytallyError(Exception):
    """Base class of the errors skytally raises for bad input."""


class InputError(SkytallyError, ValueError):
    """A user's input (text, file, option) cannot be used."""


class DataError(SkytallyError, ValueError):
    """An annotated data file is malformed. `problems` lists every `file:line: what` found."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []
