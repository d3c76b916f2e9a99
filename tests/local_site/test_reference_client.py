"""The reference client from PyPI runs a scripted workload against a local site and gets our answers."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support.reference_venv import run_reference

from tests.support.running_site import SCRIPT, running_local_site


# Runs unchanged under either package: argv is url, script name, key. It
# prints one JSON document of everything it got back; values that depend
# on the clock (created_at...) are replaced by their type.
WORKLOAD = r'''
import datetime, json, sys
import shotgun_api3

url, name, key = sys.argv[1:4]
sg = shotgun_api3.Shotgun(url, script_name=name, api_key=key)
out = {}

def clean(value):
    if isinstance(value, datetime.datetime):
        return "<datetime aware=%s>" % (value.tzinfo is not None)
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value

def fault(call):
    try:
        call()
    except Exception as error:
        return [type(error).__name__, str(error)]
    return "no error"

out["info_version"] = sg.info()["version"][:2]
project = sg.create("Project", {"name": "Parity"})
out["project"] = project
out["shots"] = [sg.create("Shot", {"code": "sh%03d" % n, "project": project, "sg_cut_in": n,
                                   "description": "ünïcode %d" % n}, ["code", "created_at"]) for n in range(30)]
out["paged"] = sg.find("Shot", [["sg_cut_in", "greater_than", 4]], ["code", "sg_cut_in", "project"],
                       order=[{"field_name": "sg_cut_in", "direction": "desc"}])
out["limited"] = sg.find("Shot", [], ["code"], limit=9, order=[{"field_name": "code", "direction": "asc"}])
out["page_two"] = sg.find("Shot", [], ["code"], limit=5, page=2, order=[{"field_name": "code", "direction": "asc"}])
out["find_one"] = sg.find_one("Shot", [["code", "is", "sh003"]], ["code", "project.Project.name", "created_at"])
out["missing"] = sg.find_one("Shot", [["code", "is", "nothing"]])
out["update"] = sg.update("Shot", out["shots"][0]["id"], {"description": "changed", "sg_cut_out": 99})
out["batch"] = sg.batch([
    {"request_type": "create", "entity_type": "Asset", "data": {"code": "rocket", "project": project}},
    {"request_type": "update", "entity_type": "Shot", "entity_id": out["shots"][1]["id"], "data": {"code": "renamed"}},
    {"request_type": "delete", "entity_type": "Shot", "entity_id": out["shots"][2]["id"]},
])
out["delete_again"] = sg.delete("Shot", out["shots"][2]["id"])
out["revive"] = sg.revive("Shot", out["shots"][2]["id"])
out["retired_only"] = sg.find("Shot", [], ["code"], retired_only=True)
out["or_filter"] = sg.find("Shot", [["code", "in", ["sh005", "sh006"]], ["sg_cut_in", "is", 29]], ["code"],
                           filter_operator="any", order=[{"field_name": "code", "direction": "asc"}])
out["schema_field"] = sg.schema_field_read("Shot", "code")["code"]["data_type"]
out["unknown_type"] = fault(lambda: sg.find("NoSuchType", []))
out["bad_field"] = fault(lambda: sg.create("Shot", {"no_such_field": 1}))
out["bad_key"] = fault(lambda: shotgun_api3.Shotgun(url, script_name=name, api_key="wrong").find("Shot", []))
print(json.dumps(clean(out), sort_keys=True, ensure_ascii=False))
'''


def run_workload(python_runner) -> dict:
    with running_local_site() as running:
        running.site.server_info["api_max_entities_per_page"] = 7  # so the workload's reads span several pages
        return json.loads(python_runner(running.url, SCRIPT, running.keys[SCRIPT]))


def run_ours(script: str, *args: str) -> str:
    """Run ``script`` with our package (the reference's runner is ``run_reference``); return its stdout."""
    result = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.reference
@pytest.mark.slow
def test_reference_client_gets_the_same_answers_as_ours():
    ours = run_workload(lambda *args: run_ours(WORKLOAD, *args))
    reference = run_workload(lambda *args: run_reference(WORKLOAD, *args))
    assert ours["shots"][0]["created_at"] == "<datetime aware=True>"
    assert len(ours["paged"]) == 25
    assert ours["bad_key"][0] == "AuthenticationFault"
    for key in sorted(reference):
        assert ours[key] == reference[key], key
    assert ours == reference


# argv: url, login, password, sudo script name, its key, 2FA login, its password, a current TOTP code.
AUTH_WORKLOAD = r'''
import json, sys
import shotgun_api3

url, login, password, script, key, tfa_login, tfa_password, code = sys.argv[1:9]
out = {}

def fault(call):
    try:
        return call()
    except Exception as error:
        return [type(error).__name__, str(error)]

human = shotgun_api3.Shotgun(url, login=login, password=password)
out["whoami"] = human.authenticate_human_user(login, password)
out["human_create"] = human.create("Shot", {"code": "by_human"}, ["created_by"])
token = human.get_session_token()
by_token = shotgun_api3.Shotgun(url, session_token=token)
out["token_read"] = by_token.find("Shot", [], ["code", "created_by"])
sudo = shotgun_api3.Shotgun(url, script_name=script, api_key=key, sudo_as_login=login)
out["sudo_create"] = sudo.create("Shot", {"code": "sudo"}, ["created_by"])
out["bad_password"] = fault(lambda: shotgun_api3.Shotgun(url, login=login, password="nope").find("Shot", []))
out["bad_token"] = fault(lambda: shotgun_api3.Shotgun(url, session_token="forged").find("Shot", []))
out["no_2fa_code"] = fault(lambda: shotgun_api3.Shotgun(url, login=tfa_login, password=tfa_password).find("Shot", []))
with_code = shotgun_api3.Shotgun(url, login=tfa_login, password=tfa_password, auth_token=code)
out["with_2fa_code"] = with_code.find_one("HumanUser", [["login", "is", tfa_login]], ["login"])
print(json.dumps(out, sort_keys=True))
'''


def run_auth_workload(python_runner) -> dict:
    from shotgun_api3.local_site.auth import totp_code

    from tests.support.running_site import LOGIN, PASSWORD, SUDO_SCRIPT

    with running_local_site() as running:
        _, secret = running.site.add_user("grace", "pw-grace", two_factor=True)
        return json.loads(python_runner(running.url, LOGIN, PASSWORD, SUDO_SCRIPT, running.keys[SUDO_SCRIPT],
                                        "grace", "pw-grace", totp_code(secret)))


@pytest.mark.reference
@pytest.mark.slow
def test_reference_client_authenticates_like_ours():
    ours = run_auth_workload(lambda *args: run_ours(AUTH_WORKLOAD, *args))
    reference = run_auth_workload(lambda *args: run_reference(AUTH_WORKLOAD, *args))
    assert ours["bad_password"][0] == "AuthenticationFault"
    assert ours["no_2fa_code"][0] == "MissingTwoFactorAuthenticationFault"
    assert ours["sudo_create"]["created_by"]["type"] == "HumanUser"
    assert ours["with_2fa_code"]["login"] == "grace"
    assert ours == reference
