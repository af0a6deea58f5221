"""Saved skytally pipelines, shipped inside the package as `skytally.models`.

`skytally-rules/` is the rule-based pipeline (`skytally save-model` writes the
same folder); `skytally.load()` loads it.
"""
