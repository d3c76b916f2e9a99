"""Fuzz every RPC with mutated params: never an internal error, the server keeps serving, nothing half-applied.

Seeds are what our client really sends for each RPC (``fuzz_seeds``);
hypothesis mutates them (a value replaced by any JSON, including lone
surrogates, NaN, huge numbers, deep nesting; a key dropped or added), and
the mutants go through the JSON API route in process, 5 per example. A
smaller part sends mutants over HTTP to a running server.
"""
from __future__ import annotations

import http.client
import io
import json
import logging

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from shotgun_api3._engine.store import sqlite_store as store_module  # noqa: E402
from shotgun_api3.local_site.http import LimitedBody, Request  # noqa: E402
from shotgun_api3.local_site.rpc import handle_rpc  # noqa: E402
from shotgun_api3.local_site.server import LocalSiteServer  # noqa: E402
from shotgun_api3.local_site.site import Site  # noqa: E402
from shotgun_api3.local_site.throttle import AuthLimits  # noqa: E402

from .fuzz_seeds import record_seeds  # noqa: E402

EXAMPLES = 1000
#: Each example sends mutants drawn by hypothesis's strategies, then more made
#: with the random generator it hands out (cheap to draw, so 10,000 payloads
#: take seconds, not minutes; hypothesis still replays any failure).
DRAWN_PER_EXAMPLE = 2
RANDOM_PER_EXAMPLE = 8
HTTP_EXAMPLES = 150

#: Methods that write: a fault from one of them must leave no trace.
WRITES = {"create", "update", "delete", "revive", "batch", "schema_field_create", "schema_field_update",
          "schema_field_delete", "work_schedule_update", "user_subscriptions_create", "follow", "unfollow",
          "update_project_last_accessed_by_current_user"}


def _deep_filter(levels):
    tree = {"logical_operator": "and", "conditions": [{"path": "id", "relation": "is", "values": [1]}]}
    for _ in range(levels):
        tree = {"logical_operator": "or", "conditions": [tree]}
    return tree


SPECIAL = [
    "\ud800", "a\udfffb", "\udbff\udc00", float("nan"), float("inf"), 2 ** 64, -(2 ** 63), 1e308, [[]], [{}],
    {"type": "Shot", "id": "1"}, {"type": ["Shot"], "id": 1}, {"type": "Shot", "id": True}, {"type": "Nope", "id": 1},
    {"type": "Shot", "id": 10 ** 12}, "__retired", "id", "type", "Shot", "Project", "code", "project.Project.name",
    "entity.Shot.code", "image", "tasks", "created_at", "sg_status_list", "1999-12-31T23:59:59Z", "2024-02-30",
    "in", "is", "between", "in_last", "type_is", _deep_filter(40), _deep_filter(200), "x" * 5000,
]
KEYS = ["type", "id", "field_name", "value", "values", "path", "relation", "conditions", "logical_operator",
        "return_fields", "filters", "paging", "fields", "entity", "project", "summaries", "grouping", "x"]

json_leaf = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6)
             | st.sampled_from(SPECIAL))
# Small trees: most of the awkwardness is in the specials, and drawing big
# trees would spend the test's time in hypothesis rather than in the site.
json_value = st.recursive(json_leaf, lambda children: st.lists(children, max_size=2)
                          | st.dictionaries(st.sampled_from(KEYS), children, max_size=2), max_leaves=3)
# One mutation: where (a fraction picking a node), what to do, and a value.
mutation = st.tuples(st.floats(0, 1, exclude_max=True), st.sampled_from(["replace", "replace", "drop", "add"]),
                     st.sampled_from(KEYS), json_value)


def _nodes(value):
    """Every node's path, parents first (iterative: the deepest specials nest hundreds of levels)."""
    paths = []
    stack = [((), value)]
    while stack:
        path, node = stack.pop()
        paths.append(path)
        if isinstance(node, dict):
            stack.extend((path + (key,), item) for key, item in node.items())
        elif isinstance(node, list):
            stack.extend((path + (index,), item) for index, item in enumerate(node))
    return paths


POOL_KEYS = KEYS + ["current_page", "entities_per_page", "return_only", "entity_type", "entity_fields"]
POOL = SPECIAL + [None, True, False, 0, -1, 1, 2.5, "", "x", [], {}, [None], ["id"], [1, 2], {"x": []},
                  {"logical_operator": "and", "conditions": [[]]}, ["code", "is"], [["id", "is", 1]],
                  {"type": "Shot"}, {"id": 1}, {"field_name": "code", "value": "x"}, {"type": "Project", "id": 1}]


def random_mutations(rnd):
    """Mutations like the ``mutation`` strategy's, made with a ``random.Random`` hypothesis drew."""
    mutations = []
    for _ in range(rnd.randint(1, 3)):
        value = rnd.choice(POOL)
        if rnd.random() < 0.2:
            value = [value, rnd.choice(POOL)] if rnd.random() < 0.5 else {rnd.choice(POOL_KEYS): value}
        mutations.append((rnd.random(), rnd.choice(["replace", "replace", "drop", "add"]), rnd.choice(POOL_KEYS),
                          value))
    return mutations


def mutate(params, mutations):
    params = json.loads(json.dumps(params))
    for where, action, key, value in mutations:
        # A fresh copy: the specials are shared objects, and a later mutation may add to this one.
        value = json.loads(json.dumps(value))
        nodes = _nodes(params)
        path = nodes[int(where * len(nodes))]
        if not path:
            if action == "replace":
                params = value
            continue
        parent = params
        for step in path[:-1]:
            parent = parent[step]
        if action == "replace":
            parent[path[-1]] = value
        elif action == "drop":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[key] = value
        else:
            parent.append(value)
    return params


class Tally:
    def __init__(self):
        self.sent = 0
        self.internal = []


class InternalErrors(logging.Handler):
    """Collects what the server logs as internal errors (a handler that raised)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record.getMessage())


@pytest.fixture(scope="module")
def seeds():
    recorded = record_seeds()
    recorded.append(("export_page", {"page_id": 1, "format": "csv", "layout_name": None}))
    # Calls the client makes without params, and the engine's internal file
    # calls (a caller reaching them by name must get a fault, not a crash).
    recorded += [("info", None), ("get_session_token", None), ("no_such_method", {"type": "Shot"}),
                 ("_files_link_upload", {"entity_type": "Shot", "entity_id": 1, "thumbnail": "image",
                                         "stored_name": "x", "size": 1, "filename": "a.png"}),
                 ("_files_share_thumbnail", {"entities": [{"type": "Shot", "id": 1}],
                                             "source_entity": {"type": "Shot", "id": 2}}),
                 ("_files_finish_thumbnails", None)]
    return recorded


@pytest.fixture
def fuzz_site(seeds):
    # Many failed logins from one address are part of fuzzing: no brakes here.
    site = Site.in_memory(auth_limits=AuthLimits(failures_per_account=10 ** 9, failures_per_address=10 ** 9,
                                                 failure_delay=0.0))
    _, key = site.add_script("fuzz", can_sudo=True)
    site.add_user("fuzzer", "pw")
    auth = {"script_name": "fuzz", "script_key": key}
    for method, params in seeds:
        answer = _send(site, _body(method, [auth, params]))
        assert "exception" not in answer or "Internal" not in answer["message"], (method, answer)
    yield site, auth
    site.close()


def _body(method, params):
    try:
        return json.dumps({"method_name": method, "params": params}).encode("utf-8", "surrogatepass")
    except (RecursionError, ValueError):
        return None


def _send(site, body):
    request = Request("POST", "/api3/json", {}, {}, LimitedBody(io.BufferedReader(io.BytesIO(body)), len(body)),
                      len(body), {}, "127.0.0.1:40000")
    response = handle_rpc(site, request)
    if response.headers and response.headers[0][1].startswith("text/csv"):
        return {"csv": True}
    return json.loads(response.body)


def _footprint(site):
    """Record counts per type: what a half-applied write would change."""
    return {entity_type: len(rows) for entity_type, rows in site.engine.tables.items()}


def _memory_matches_disk(site):
    tables = {entity_type: {entity_id: store_module.loads(store_module.dumps(row)) for entity_id, row in rows.items()}
              for entity_type, rows in site.engine.tables.items() if rows}
    _, stored = site.store.load()
    state_rows = (stored or {}).pop("_SiteState", {})
    assert {row["name"]: row["value"] for row in state_rows.values()} == store_module.loads(
        store_module.dumps(site.engine.state))
    stored = {entity_type: rows for entity_type, rows in (stored or {}).items() if rows}
    assert tables.keys() == stored.keys()
    for entity_type in tables:
        assert tables[entity_type].keys() == stored[entity_type].keys(), entity_type
        for entity_id, row in tables[entity_type].items():
            on_disk = stored[entity_type][entity_id]
            # A field added by schema_field_create is None in memory and absent on disk until written: same value.
            differing = {key: (row.get(key), on_disk.get(key)) for key in set(row) | set(on_disk)
                         if row.get(key) != on_disk.get(key)}
            assert not differing, (entity_type, entity_id, differing)


def test_ten_thousand_mutated_payloads_give_no_internal_error_and_change_nothing_on_a_fault(fuzz_site, seeds):
    site, auth = fuzz_site
    tally = Tally()
    errors = InternalErrors()
    logger = logging.getLogger("shotgun_api3")
    logger.addHandler(errors)

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(picks=st.lists(st.tuples(st.integers(0, len(seeds) - 1), st.lists(mutation, min_size=1, max_size=3)),
                          min_size=DRAWN_PER_EXAMPLE, max_size=DRAWN_PER_EXAMPLE),
           rnd=st.randoms(use_true_random=False),
           auth_mutation=st.one_of(st.none(), st.none(), st.none(), json_value))
    def run(picks, rnd, auth_mutation):
        picks = picks + [(rnd.randrange(len(seeds)), random_mutations(rnd)) for _ in range(RANDOM_PER_EXAMPLE)]
        for number, (index, mutations) in enumerate(picks):
            method, params = seeds[index]
            caller = auth if auth_mutation is None or number else auth_mutation
            body = _body(method, [caller, mutate(params, mutations)])
            if body is None:
                continue  # too deep for json.dumps itself: not a payload
            before = _footprint(site) if method in WRITES else None
            answer = _send(site, body)
            tally.sent += 1
            if isinstance(answer, dict) and answer.get("exception"):
                if "Internal error" in answer.get("message", ""):
                    tally.internal.append((method, answer["message"], body[:300]))
                if before is not None:
                    assert _footprint(site) == before, (method, answer["message"])

    try:
        run()
    finally:
        logger.removeHandler(errors)
    assert tally.internal == [] and errors.records == []
    assert tally.sent >= 10_000
    _memory_matches_disk(site)


def test_mutated_payloads_over_http_leave_the_server_serving(seeds):
    site = Site.in_memory(auth_limits=AuthLimits(failures_per_account=10 ** 9, failures_per_address=10 ** 9,
                                                 failure_delay=0.0))
    _, key = site.add_script("fuzz", can_sudo=True)
    auth = {"script_name": "fuzz", "script_key": key}
    errors = InternalErrors()
    logger = logging.getLogger("shotgun_api3")
    logger.addHandler(errors)
    with LocalSiteServer(site) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)

        def post(body):
            conn.request("POST", "/api3/json", body=body, headers={"Content-Type": "application/json"})
            answer = conn.getresponse()
            assert answer.status == 200
            return json.loads(answer.read())

        @settings(max_examples=HTTP_EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(index=st.integers(0, len(seeds) - 1), mutations=st.lists(mutation, min_size=1, max_size=3),
               garble=st.sampled_from([None, None, None, b"{", b"\xff\xfe", b"[]", b'{"method_name": 5}',
                                       b'{"method_name": "read", "params": {}}', b"NaN"]))
        def run(index, mutations, garble):
            method, params = seeds[index]
            body = garble if garble is not None else _body(method, [auth, mutate(params, mutations)])
            if body is None:
                return
            answer = post(body)
            assert not (answer.get("exception") and "Internal error" in answer.get("message", ""))
            # Still serving: a plain call right after answers.
            assert post(_body("read", [auth, seeds[0][1] if seeds[0][0] == "read" else
                                       {"type": "Project", "return_fields": ["id"], "filters": {
                                           "logical_operator": "and", "conditions": []},
                                        "paging": {"current_page": 1, "entities_per_page": 1}}]))

        try:
            run()
        finally:
            logger.removeHandler(errors)
            conn.close()
    site.close()
    assert errors.records == []
