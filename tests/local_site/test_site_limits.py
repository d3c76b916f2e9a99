"""The local site's body caps per route, as a hostile client meets them (chunked or not, before any auth)."""
from __future__ import annotations

import glob
import json
import socket
import tempfile

from shotgun_api3.local_site.limits import Limits
from shotgun_api3.local_site.server import SMALL_BODY_BYTES, LocalSiteServer
from shotgun_api3.local_site.site import Site


def _send_chunked(port, path, total, chunk=64 * 1024):
    """Send a chunked body of ``total`` bytes (stopping if the server closes); return the answer's first bytes."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"POST " + path + b" HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        sent = 0
        try:
            while sent < total:
                sock.sendall(b"%x\r\n" % chunk + b"z" * chunk + b"\r\n")
                sent += chunk
            sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered and closed while we were still sending
        try:
            return sock.recv(200), sent
        except OSError:
            return b"", sent


def test_a_chunked_body_to_an_unknown_route_is_cut_at_its_small_cap_and_never_spooled():
    site = Site.in_memory()
    spooled_before = set(glob.glob(tempfile.gettempdir() + "/tmp*"))
    with LocalSiteServer(site) as server:
        answer, sent = _send_chunked(server.port, b"/nothing/here", 64 * 1024 * 1024)
    site.close()
    assert answer.startswith(b"HTTP/1.1 413 ") or answer == b""
    assert sent < 64 * 1024 * 1024  # cut off long before the end
    assert set(glob.glob(tempfile.gettempdir() + "/tmp*")) <= spooled_before
    assert SMALL_BODY_BYTES < 1024 * 1024


def test_a_chunked_rpc_body_over_the_site_limit_is_refused_while_reading():
    site = Site.in_memory(max_request_bytes=100_000)
    with LocalSiteServer(site, limits=Limits(chunked_memory_bytes=1024 * 1024)) as server:
        answer, sent = _send_chunked(server.port, b"/api3/json", 32 * 1024 * 1024)
    site.close()
    assert answer.startswith(b"HTTP/1.1 413 ") or answer == b""
    assert sent < 32 * 1024 * 1024


def test_a_declared_rpc_body_over_the_site_limit_gets_a_fault_without_being_read():
    site = Site.in_memory(max_request_bytes=100_000)
    with LocalSiteServer(site) as server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(b"POST /api3/json HTTP/1.1\r\nHost: x\r\nContent-Length: 200000000\r\n\r\n")
            data = b""
            while b"}" not in data:
                piece = sock.recv(4096)
                if not piece:
                    break
                data += piece
    site.close()
    head, _, body = data.partition(b"\r\n\r\n")
    assert b"Connection: close" in head
    answer = json.loads(body)
    assert answer["exception"] is True and "Request too large" in answer["message"]


def test_idle_and_slow_sockets_do_not_starve_a_real_client():
    import shotgun_api3

    site = Site.in_memory()
    _, key = site.add_script("robot")
    with LocalSiteServer(site, limits=Limits(max_connections=8, head_timeout=0.5)) as server:
        idle = [socket.create_connection(("127.0.0.1", server.port), timeout=5) for _ in range(8)]
        slow = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        slow.sendall(b"POST /api3/json HTTP/1.1\r\nHost: x\r\n")  # and never the rest of its head
        try:
            sg = shotgun_api3.Shotgun(server.url, script_name="robot", api_key=key)
            for _ in range(3):
                assert sg.find_one("Project", []) is None
            sg.close()
        finally:
            for sock in idle + [slow]:
                sock.close()
    site.close()
