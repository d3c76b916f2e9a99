"""Run one scripted scenario on a mockgun and report every answer as JSON.

The same file runs in two places: in our environment against our mockgun,
and as the script of a subprocess in the reference venv against the
reference mockgun (it imports nothing but the standard library and
``shotgun_api3``). Comparing the two reports is the differential suite.

Scenario format: a list of steps ``{"call": name, "args": [...],
"kwargs": {...}}``. Values ``{"$datetime": iso}`` become datetimes.
A step answers ``{"result": value}`` or ``{"error": kind}`` where kind is
``ShotgunError`` for any ``ShotgunError`` (a ``Fault`` is one) and the class
name otherwise.
"""
import datetime
import json
import sys


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
    """Turn an answer into its JSON form (datetimes as ISO strings)."""
    if isinstance(value, dict):
        return {str(key): encode(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(item) for item in value]
    if isinstance(value, (datetime.datetime, datetime.date)):
        return {"$datetime": value.isoformat()}
    return value


def run_steps(shotgun_class, steps, error_base):
    """Run ``steps`` on a fresh instance; return one answer per step."""
    sg = shotgun_class("http://unit_test_mock_sg", "mock_user", "mock_key")
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


REQUEST_KEY = "scenarios"
run_case = run_steps


def main():
    """Read ``{"schema_paths": [...], "scenarios": {name: steps}}`` on stdin, print the answers."""
    import shotgun_api3
    from shotgun_api3.lib import mockgun

    request = json.loads(sys.stdin.read())
    mockgun.Shotgun.set_schema_paths(*request["schema_paths"])
    report = {name: run_steps(mockgun.Shotgun, steps, shotgun_api3.ShotgunError)
              for name, steps in request["scenarios"].items()}
    sys.stdout.write(json.dumps(report))


if __name__ == "__main__":
    main()
