"""The HTTP layer: keep-alive, body streams, limits, TLS and graceful shutdown."""
from __future__ import annotations

import http.client
import shutil
import socket
import ssl
import subprocess
import threading
import time

import pytest

from shotgun_api3.local_site.http import HttpServer, Response


def echo(request):
    body = request.body.read()
    text = "%s %s %s %d %s" % (request.method, request.path, sorted(request.query.items()), len(body),
                               request.cookies.get("_session_id", "-"))
    return Response(200, [("Content-Type", "text/plain")], text.encode())


@pytest.fixture
def server():
    srv = HttpServer(echo, "127.0.0.1", 0)
    srv.start()
    yield srv
    srv.stop()


def test_keep_alive_serves_many_requests_on_one_connection(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port)
    for i in range(20):
        conn.request("POST", "/x?a=%d" % i, body=b"z" * i)
        answer = conn.getresponse()
        assert answer.status == 200
        assert answer.read().decode() == "POST /x [('a', ['%d'])] %d -" % (i, i)
    sock_before = conn.sock
    conn.request("GET", "/y")
    conn.getresponse().read()
    assert conn.sock is sock_before
    conn.close()


def test_path_is_percent_decoded_and_cookies_parsed(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port)
    conn.request("GET", "/file_serve/a%20b", headers={"Cookie": "x=1; _session_id=tok"})
    assert conn.getresponse().read().decode() == "GET /file_serve/a b [] 0 tok"


def test_unread_body_is_drained_so_the_next_request_parses():
    srv = HttpServer(lambda request: Response(200, [], b"ok"), "127.0.0.1", 0)
    srv.start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", srv.port)
        for _ in range(3):
            conn.request("POST", "/ignore", body=b"q" * 100000)
            assert conn.getresponse().read() == b"ok"
    finally:
        srv.stop()


def test_streamed_body_is_sent_chunked():
    srv = HttpServer(lambda request: Response(200, [], iter([b"ab", b"", b"cd"])), "127.0.0.1", 0)
    srv.start()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", srv.port)
        conn.request("GET", "/stream")
        answer = conn.getresponse()
        assert answer.getheader("Transfer-Encoding") == "chunked"
        assert answer.read() == b"abcd"
        conn.request("GET", "/stream")
        assert conn.getresponse().read() == b"abcd"
    finally:
        srv.stop()


def test_malformed_request_line_gets_400_and_server_keeps_serving(server):
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(b"NONSENSE\r\n\r\n")
        assert sock.recv(1000).startswith(b"HTTP/1.1 400 ")
    conn = http.client.HTTPConnection("127.0.0.1", server.port)
    conn.request("GET", "/after")
    assert conn.getresponse().status == 200


def test_http_1_0_closes_after_answer(server):
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(b"GET /old HTTP/1.0\r\n\r\n")
        data = b""
        while True:
            piece = sock.recv(1000)
            if not piece:
                break
            data += piece
    assert data.startswith(b"HTTP/1.1 200 OK") and b"Connection: close" in data


def test_many_clients_at_once(server):
    results = []

    def client(n):
        conn = http.client.HTTPConnection("127.0.0.1", server.port)
        for _ in range(10):
            conn.request("GET", "/c%d" % n)
            results.append(conn.getresponse().read())
        conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 80


def test_stop_finishes_the_request_in_flight():
    started = threading.Event()

    def slow(request):
        started.set()
        time.sleep(0.3)
        return Response(200, [], b"finished")

    srv = HttpServer(slow, "127.0.0.1", 0)
    srv.start()
    idle = http.client.HTTPConnection("127.0.0.1", srv.port)
    idle.connect()
    answers = []

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", srv.port)
        conn.request("GET", "/slow")
        response = conn.getresponse()
        answers.append((response.read(), response.getheader("Connection")))

    thread = threading.Thread(target=client)
    thread.start()
    started.wait(5)
    srv.stop()
    thread.join(5)
    assert answers == [(b"finished", "close")]
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", srv.port), timeout=1).close()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    if shutil.which("openssl") is None:
        pytest.skip("openssl command not available to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return str(cert), str(key)


def test_tls_serves_https_with_the_given_certificate(certificate):
    from shotgun_api3.local_site.server import tls_context

    cert, key = certificate
    srv = HttpServer(echo, "127.0.0.1", 0, tls_context(cert, key))
    srv.start()
    try:
        client_context = ssl.create_default_context(cafile=cert)
        conn = http.client.HTTPSConnection("127.0.0.1", srv.port, context=client_context)
        conn.request("GET", "/secure")
        assert conn.getresponse().read().startswith(b"GET /secure")
        with pytest.raises(ssl.SSLError):
            strict = http.client.HTTPSConnection("127.0.0.1", srv.port, context=ssl.create_default_context())
            strict.request("GET", "/untrusted")
    finally:
        srv.stop()


def test_expect_100_continue_gets_an_interim_answer(server):
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(b"POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
        sock.sendall(b"abc")
        data = sock.recv(1000)
        if b"\r\n\r\n" not in data or not data.endswith(b"-"):
            data += sock.recv(1000)
        assert b"200 OK" in data and data.endswith(b"POST /up [] 3 -")


def test_oversized_header_line_is_refused_and_closed(server):
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 431 ")


def _answer(sock):
    """One whole answer with a Content-Length body, read off a raw socket."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int([line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")][0])
    while len(body) < length:
        body += sock.recv(65536)
    return head, body


def test_chunked_request_body_is_decoded_and_the_connection_kept(server):
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(b"POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                     b"3;name=value\r\nabc\r\n10\r\n" + b"d" * 16 + b"\r\n0\r\nX-Trailer: t\r\n\r\n")
        head, body = _answer(sock)
        assert head.startswith(b"HTTP/1.1 200 ") and body == b"POST /up [] 19 -"
        sock.sendall(b"GET /next HTTP/1.1\r\nHost: x\r\n\r\n")
        assert _answer(sock)[1] == b"GET /next [] 0 -"


def test_a_chunked_body_bigger_than_memory_allows_goes_through_a_temporary_file(server):
    chunk = b"x" * (1024 * 1024)
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(b"PUT /big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        for _ in range(10):
            sock.sendall(b"100000\r\n" + chunk + b"\r\n")
        sock.sendall(b"0\r\n\r\n")
        assert _answer(sock)[1] == b"PUT /big [] %d -" % (10 * len(chunk))


def test_a_chunked_body_waiting_for_100_continue_gets_it_first(server):
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(b"POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
        sock.sendall(b"2\r\nok\r\n0\r\n\r\n")
        assert _answer(sock)[1] == b"POST /up [] 2 -"


@pytest.mark.parametrize("body", [b"zz\r\nabc\r\n0\r\n\r\n", b"-3\r\nabc\r\n0\r\n\r\n", b"3\r\nabcXY0\r\n\r\n"])
def test_a_malformed_chunked_body_gets_400_and_the_connection_closed(server, body):
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + body)
        assert sock.recv(200).startswith(b"HTTP/1.1 400 ")


def test_head_arriving_in_pieces_is_parsed_like_one_packet(server):
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for piece in (b"POST /split?x=1 HTTP/1.1\r\n", b"Host: a\r\nCookie: _session_id=t", b"ok\r\nContent-Length: 2",
                      b"\r\n", b"\r\nhi"):
            sock.sendall(piece)
            time.sleep(0.05)
        data = b""
        while not data.endswith(b"tok"):
            data += sock.recv(1000)
    assert data.startswith(b"HTTP/1.1 200 OK") and data.endswith(b"POST /split [('x', ['1'])] 2 tok")


def test_repeated_headers_are_joined(server):
    seen = {}

    def record(request):
        seen.update(request.headers)
        return Response(204, [], b"")

    srv = HttpServer(record, "127.0.0.1", 0)
    srv.start()
    try:
        with socket.create_connection(("127.0.0.1", srv.port)) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nX-A: 1\r\nx-a: 2\r\nNo-Space:v\r\n\r\n")
            assert sock.recv(1000).startswith(b"HTTP/1.1 204 ")
    finally:
        srv.stop()
    assert seen["x-a"] == "1, 2" and seen["no-space"] == "v"


def test_at_the_connection_cap_the_longest_idle_connection_makes_room():
    srv = HttpServer(echo, "127.0.0.1", 0, max_connections=2)
    srv.start()
    try:
        kept = [http.client.HTTPConnection("127.0.0.1", srv.port) for _ in range(2)]
        for conn in kept:
            conn.request("GET", "/a")
            assert conn.getresponse().read().startswith(b"GET /a")
            time.sleep(0.01)
        with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as extra:
            extra.sendall(b"GET /new HTTP/1.1\r\nHost: x\r\n\r\n")
            assert _answer(extra)[1] == b"GET /new [] 0 -"
        # The first (idle the longest) was closed; the second still works.
        kept[1].request("GET", "/c")
        assert kept[1].getresponse().read().startswith(b"GET /c")
        for conn in kept:
            conn.close()
    finally:
        srv.stop()


def test_at_the_connection_cap_with_every_connection_busy_a_new_one_gets_503():
    release = threading.Event()

    def slow(request):
        release.wait(5)
        return Response(200, [], b"done")

    srv = HttpServer(slow, "127.0.0.1", 0, max_connections=1)
    srv.start()
    try:
        busy = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
        busy.sendall(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.2)
        with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as extra:
            assert extra.recv(100).startswith(b"HTTP/1.1 503 ")
        release.set()
        assert _answer(busy)[1] == b"done"
        busy.close()
    finally:
        release.set()
        srv.stop()


def test_a_head_sent_one_line_at_a_time_is_cut_at_the_head_deadline():
    from shotgun_api3.local_site.limits import Limits

    srv = HttpServer(echo, "127.0.0.1", 0, limits=Limits(head_timeout=0.5))
    srv.start()
    try:
        with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\n")
            started = time.monotonic()
            closed = False
            for n in range(40):
                time.sleep(0.1)
                try:
                    sock.sendall(b"X-Slow-%d: 1\r\n" % n)
                except OSError:
                    closed = True
                    break
            if not closed:
                sock.settimeout(5)
                try:
                    closed = sock.recv(100) == b""
                except ConnectionResetError:
                    closed = True
            assert closed and time.monotonic() - started < 4.5
        conn = http.client.HTTPConnection("127.0.0.1", srv.port)
        conn.request("GET", "/after")
        assert conn.getresponse().status == 200
    finally:
        srv.stop()


def test_a_body_that_stalls_is_cut_at_its_deadline():
    from shotgun_api3.local_site.limits import Limits

    srv = HttpServer(echo, "127.0.0.1", 0, limits=Limits(body_timeout=0.5, min_body_rate=1e9))
    srv.start()
    try:
        with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as sock:
            sock.sendall(b"POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc")
            started = time.monotonic()
            try:
                data = sock.recv(100)
            except ConnectionResetError:
                data = b""
            assert not data.startswith(b"HTTP/1.1 200") and time.monotonic() - started < 4
    finally:
        srv.stop()


def test_a_chunked_body_over_the_route_cap_is_refused_while_reading():
    seen = []
    srv = HttpServer(lambda request: seen.append(1) or Response(200, [], b"ok"), "127.0.0.1", 0,
                     body_policy=lambda method, path: (1000, True))
    srv.start()
    try:
        with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as sock:
            sock.sendall(b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
            sock.sendall(b"3e8\r\n" + b"a" * 1000 + b"\r\n")
            sock.sendall(b"1\r\nb\r\n")
            assert sock.recv(100).startswith(b"HTTP/1.1 413 ")
        assert seen == []
    finally:
        srv.stop()


def test_a_chunked_body_for_a_route_that_may_not_spool_stays_in_memory():
    from shotgun_api3.local_site.limits import Limits

    srv = HttpServer(echo, "127.0.0.1", 0, limits=Limits(chunked_memory_bytes=4096),
                     body_policy=lambda method, path: (10 ** 9, path != "/auth-needed"))
    srv.start()
    try:
        for path, status in ((b"/auth-needed", b"413"), (b"/open", b"200")):
            with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as sock:
                sock.sendall(b"POST " + path + b" HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
                for _ in range(3):
                    sock.sendall(b"800\r\n" + b"z" * 2048 + b"\r\n")
                sock.sendall(b"0\r\n\r\n")
                assert sock.recv(100).startswith(b"HTTP/1.1 " + status)
    finally:
        srv.stop()


def test_a_declared_length_over_the_route_cap_is_answered_without_reading_the_body():
    seen = []
    srv = HttpServer(lambda request: seen.append(1) or Response(200, [], b"ok"), "127.0.0.1", 0,
                     body_policy=lambda method, path: (1000, False))
    srv.start()
    try:
        with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as sock:
            sock.sendall(b"POST /x HTTP/1.1\r\nContent-Length: 1000000000\r\n\r\n")
            head, _ = _answer(sock)
            assert head.startswith(b"HTTP/1.1 413 ") and b"Connection: close" in head
        assert seen == []
    finally:
        srv.stop()


def test_a_body_over_the_cap_gets_no_100_continue():
    srv = HttpServer(echo, "127.0.0.1", 0, body_policy=lambda method, path: (10, False))
    srv.start()
    try:
        with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as sock:
            sock.sendall(b"POST /up HTTP/1.1\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n")
            assert sock.recv(100).startswith(b"HTTP/1.1 413 ")
    finally:
        srv.stop()
