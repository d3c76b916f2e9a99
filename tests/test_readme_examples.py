"""The Python examples of the README run as written."""
from __future__ import annotations

import re
from pathlib import Path

from tests.support.schema_paths import mockgun_schema_paths

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks() -> list:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_the_mockgun_example_runs_as_written():
    (block,) = [block for block in python_blocks() if "mockgun" in block]
    with mockgun_schema_paths():  # the example sets the class-wide paths: put them back afterwards
        namespace: dict = {}
        exec(compile(block, "README.md (mockgun example)", "exec"), namespace)
    assert namespace["shot"]["type"] == "Shot"
