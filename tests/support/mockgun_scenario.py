"""Run scripted scenarios and rig scripts on a mockgun and report what happened as JSON.

The same file runs in two places: in our environment against our mockgun,
and as the script of a subprocess in the reference venv against the
reference mockgun (it imports nothing but the standard library and
``shotgun_api3``). Comparing the two reports is the differential suite.

Two kinds of cases:

* a scenario, a list of steps ``{"call": name, "args": [...], "kwargs": {...}}``
  (values ``{"$datetime": iso}`` become datetimes); each step answers
  ``{"result": value}`` or ``{"error": kind}``;
* a rig script, Python source run in a fresh namespace holding ``Mockgun``
  (the class), ``sg`` (a fresh instance), ``mock``, ``ShotgunError`` and
  ``datetime``, which puts what it observed in ``out``; it answers
  ``{"out": value}`` or, when it raises, ``{"error": kind, "out": ...}``.

``kind`` is ``ShotgunError`` for any ``ShotgunError`` (a ``Fault`` is one) and
the class name otherwise.
"""
import datetime
import json
import sys
from unittest import mock


def decode(value):
    """Turn the JSON form of a scenario value into Python values."""
    if isinstance(value, dict):
        if set(value) == {"$datetime"}:
            return datetime.datetime.fromisoformat(value["$datetime"])
        return {key: decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [decode(item) for item in value]
    return value


def encode(value):
    """A JSON form of an answer or an observation: dicts, lists, datetimes, sets, mock calls."""
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


def _new(shotgun_class):
    return shotgun_class("http://unit_test_mock_sg", "mock_user", "mock_key")


def run_steps(shotgun_class, steps, error_base):
    """Run ``steps`` on a fresh instance; return one answer per step."""
    sg = _new(shotgun_class)
    answers = []
    for step in steps:
        try:
            result = getattr(sg, step["call"])(*decode(step.get("args", [])), **decode(step.get("kwargs", {})))
            answers.append({"result": encode(result)})
        except error_base:
            answers.append({"error": "ShotgunError"})
        except Exception as error:  # the kind of failure is what gets compared
            answers.append({"error": type(error).__name__})
    return answers


def run_script(shotgun_class, source, error_base):
    """Run one rig script on a fresh instance; return what it observed."""
    namespace = {"Mockgun": shotgun_class, "mock": mock, "ShotgunError": error_base, "datetime": datetime,
                 "out": {}}
    try:
        namespace["sg"] = _new(shotgun_class)
        exec(compile(source, "<rig script>", "exec"), namespace)
        return {"out": encode(namespace["out"])}
    except error_base:
        return {"error": "ShotgunError", "out": encode(namespace["out"])}
    except Exception as error:  # the kind of failure is what gets compared
        return {"error": type(error).__name__, "out": encode(namespace["out"])}


#: How each kind of case runs, by the key it travels under.
RUNNERS = {"scenarios": run_steps, "scripts": run_script}


def main():
    """Read ``{"schema_paths": [...], "scenarios" or "scripts": {name: case}}`` on stdin, print the reports."""
    import shotgun_api3
    from shotgun_api3.lib import mockgun

    request = json.loads(sys.stdin.read())
    mockgun.Shotgun.set_schema_paths(*request["schema_paths"])
    kind = "scripts" if "scripts" in request else "scenarios"
    report = {name: RUNNERS[kind](mockgun.Shotgun, case, shotgun_api3.ShotgunError)
              for name, case in request[kind].items()}
    sys.stdout.write(json.dumps(report))


if __name__ == "__main__":
    main()
