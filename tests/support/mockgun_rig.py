"""Run rig-style scripts (patching mockgun's helpers, writing into ``_db``) and report what they saw as JSON.

Like ``mockgun_scenario.py``, this file runs in two places: in our
environment against our mockgun, and as a subprocess script in the
reference venv against the reference mockgun. Each script is Python source
executed in a fresh namespace holding ``Mockgun`` (the mockgun class),
``sg`` (a fresh instance), ``mock``, ``ShotgunError`` and ``datetime``; it
puts what it observed in ``out``. A script answers ``{"out": value}`` or,
when it raises, ``{"error": kind, "out": what it had observed so far}``.
"""
import datetime
import json
import sys
from unittest import mock


def encode(value):
    """A JSON form of what a script observed: dicts, lists, datetimes, mock calls."""
    if isinstance(value, dict):
        return {str(key): encode(item) for key, item in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(encode(item) for item in value)
    if isinstance(value, type(mock.call)):
        args, kwargs = value
        return {"$call": [encode(list(args)), encode(dict(kwargs))]}
    if isinstance(value, (list, tuple)):
        return [encode(item) for item in value]
    if isinstance(value, (datetime.datetime, datetime.date)):
        return {"$datetime": value.isoformat()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return {"$object": type(value).__name__}


def run_script(mockgun_class, source, error_base):
    namespace = {"Mockgun": mockgun_class, "mock": mock, "ShotgunError": error_base, "datetime": datetime,
                 "out": {}}
    try:
        namespace["sg"] = mockgun_class("http://unit_test_mock_sg", "mock_user", "mock_key")
        exec(compile(source, "<rig script>", "exec"), namespace)
        return {"out": encode(namespace["out"])}
    except error_base:
        return {"error": "ShotgunError", "out": encode(namespace["out"])}
    except Exception as error:  # the kind of failure is what gets compared
        return {"error": type(error).__name__, "out": encode(namespace["out"])}


REQUEST_KEY = "scripts"
run_case = run_script


def main():
    """Read ``{"schema_paths": [...], "scripts": {name: source}}`` on stdin, print the reports."""
    import shotgun_api3
    from shotgun_api3.lib import mockgun

    request = json.loads(sys.stdin.read())
    mockgun.Shotgun.set_schema_paths(*request["schema_paths"])
    report = {name: run_script(mockgun.Shotgun, source, shotgun_api3.ShotgunError)
              for name, source in request["scripts"].items()}
    sys.stdout.write(json.dumps(report))


if __name__ == "__main__":
    main()
