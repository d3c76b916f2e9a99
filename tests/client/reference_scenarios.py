"""Run API calls against a canned ``_http_request`` and print what was sent and returned, as JSON.

Executed by both our package and the reference release (in its own virtual
environment) so the two can be compared; reads the scenarios from stdin.
"""
import datetime
import json
import sys

import shotgun_api3

INFO = {"version": [8, 50, 0], "api_max_entities_per_page": 2}


def plain(value):
    """Make results comparable across packages (datetimes as ISO text plus offset)."""
    if isinstance(value, datetime.datetime):
        offset = value.utcoffset()
        return {"datetime": value.replace(tzinfo=None).isoformat(), "offset": offset and offset.total_seconds()}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, bytes):
        return {"bytes": value.decode("utf-8", "replace")}
    return value


def run(scenario):
    answers = list(scenario.get("answers", []))
    sent = []

    def fake(verb, path, body, headers):
        payload = json.loads(body) if body else None
        sent.append({"verb": verb, "path": path, "payload": payload,
                     "headers": {k: v for k, v in headers.items() if k != "user-agent"}})
        if payload and payload["method_name"] == "info":
            return (200, "OK"), {"content-type": "application/json"}, json.dumps(scenario.get("info", INFO))
        status, headers_, body_ = answers.pop(0) if answers else (200, {}, '{"results": null}')
        return (status, "Reason"), headers_, body_

    kwargs = scenario.get("client", {"script_name": "scr", "api_key": "key"})
    sg = shotgun_api3.Shotgun(scenario.get("url", "https://site.example.com"), connect=False, **kwargs)
    sg.config.convert_datetimes_to_utc = scenario.get("utc", True)
    sg._http_request = fake
    sg.BACKOFF = 0
    sg.config.rpc_attempt_interval = 0
    namespace = {"sg": sg, "datetime": datetime, "shotgun_api3": shotgun_api3}
    try:
        result = {"value": plain(eval(scenario["call"], namespace))}
    except Exception as error:  # noqa: BLE001 - the outcome is what we compare
        result = {"error": type(error).__name__, "message": str(error)[:200]}
        if type(error).__name__ == "InvalidInputError":
            # Ours only: a clearer message on purpose; the classes it also is are compared instead.
            result["also"] = [cls.__name__ for cls in type(error).__mro__[1:]]
    return {"sent": sent, "result": result}


if __name__ == "__main__":
    scenarios = json.load(sys.stdin)
    json.dump([run(s) for s in scenarios], sys.stdout)
