"""Answers on kept-alive connections, byte for byte: framing, encodings, odd status lines, and the request bytes."""
from __future__ import annotations

import gzip
import http.client
import json
import socket
import sys
import threading

import pytest

import shotgun_api3

INFO = json.dumps({"version": [8, 50, 0]}).encode()


def answer(body: bytes, status: str = "200 OK", headers: tuple = ()) -> bytes:
    lines = ["HTTP/1.1 " + status, "Content-Type: application/json", "Content-Length: %d" % len(body), *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def read_json(entities: list) -> bytes:
    return json.dumps({"results": {"entities": entities, "paging_info": {"has_next_page": False}}}).encode()


class RawSite:
    """A loopback server that answers each request with the bytes ``script(index, request)`` returns.

    ``None`` from the script closes the connection without answering,
    ``(bytes, "then close")`` closes it after sending the bytes. Every
    request is recorded as ``(connection number, head bytes, body bytes)``.
    """

    def __init__(self, script) -> None:
        self.script = script
        self.requests: list = []
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(8)
        self.url = "http://127.0.0.1:%d" % self._listener.getsockname()[1]
        self._connections = 0
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            self._connections += 1
            threading.Thread(target=self._serve, args=(sock, self._connections), daemon=True).start()

    def _serve(self, sock: socket.socket, number: int) -> None:
        buffer = b""
        with sock:
            while True:
                while b"\r\n\r\n" not in buffer:
                    data = sock.recv(65536)
                    if not data:
                        return
                    buffer += data
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                while len(buffer) < length:
                    buffer += sock.recv(65536)
                body, buffer = buffer[:length], buffer[length:]
                with self._lock:
                    self.requests.append((number, head, body))
                    index = len(self.requests) - 1
                if b'"info"' in body:
                    sock.sendall(answer(INFO))
                    continue
                reply = self.script(index, body)
                if reply is None:
                    sock.shutdown(socket.SHUT_RDWR)
                    return
                if isinstance(reply, tuple):  # (bytes, "then close")
                    sock.sendall(reply[0])
                    sock.shutdown(socket.SHUT_RDWR)
                    return
                sock.sendall(reply)
                if b"Connection: close" in reply or b"HTTP/1.0" in reply.split(b"\r\n", 1)[0]:
                    sock.shutdown(socket.SHUT_WR)
                    return

    def methods(self, name: str) -> list:
        return [request for request in self.requests if b'"method_name": "%s"' % name.encode() in request[2]]

    def __enter__(self) -> "RawSite":
        return self

    def __exit__(self, *exc) -> None:
        self._listener.close()


def client(url: str) -> shotgun_api3.Shotgun:
    sg = shotgun_api3.Shotgun(url, "scr", "key123", connect=False)
    sg.BACKOFF = 0
    sg.config.rpc_attempt_interval = 0
    return sg


def test_requests_on_a_kept_alive_connection_carry_the_same_header_lines_as_the_first(monkeypatch):
    from shotgun_api3 import _exchange

    direct = []
    exchange = _exchange.exchange
    monkeypatch.setattr(_exchange, "exchange", lambda *args: direct.append(args[2]) or exchange(*args))
    with RawSite(lambda index, body: answer(read_json([]))) as site:
        sg = client(site.url)
        sg.info()  # on a new connection: through http.client
        sg.info()  # on the kept-alive one
        (first_connection, first_head, first_body), (second_connection, second_head, second_body) = site.requests
        assert first_connection == second_connection == 1
        assert first_head == second_head
        assert first_body == second_body
        assert first_head.startswith(b"POST /api3/json HTTP/1.1\r\nHost: 127.0.0.1:")
        assert b"\r\naccept-encoding: gzip, deflate" in first_head
        assert direct == ["POST"]


def test_chunked_gzip_answer_is_decoded():
    payload = gzip.compress(json.dumps({"results": {"entities": [{"type": "Shot", "id": 5, "code": "caf\u00e9"}],
                                                    "paging_info": {"has_next_page": False}}}).encode())
    chunks = b"".join(b"%x;ext=1\r\n%s\r\n" % (len(part), part) for part in (payload[:7], payload[7:]))
    raw = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
           b"Transfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\nX-Trailer: yes\r\n\r\n")
    with RawSite(lambda index, body: raw) as site:
        sg = client(site.url)
        for _ in range(2):
            assert sg.find("Shot", [], ["code"]) == [{"type": "Shot", "id": 5, "code": "caf\u00e9"}]
        assert {number for number, _, _ in site.requests} == {1}


def test_connection_close_answer_makes_the_next_call_reconnect():
    def script(index, body):
        return answer(read_json([{"type": "Shot", "id": index}]), headers=("Connection: close",) if index == 1 else ())

    with RawSite(script) as site:
        sg = client(site.url)
        assert sg.find("Shot", []) == [{"type": "Shot", "id": 1}]
        assert sg.find("Shot", []) == [{"type": "Shot", "id": 2}]
        assert sg.find("Shot", []) == [{"type": "Shot", "id": 3}]
        assert [number for number, _, _ in site.requests] == [1, 1, 2, 2]


def test_http_1_0_answer_without_length_is_read_to_the_end_of_the_connection():
    def script(index, body):
        if index == 1:
            return b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + read_json([{"type": "Shot", "id": 9}])
        return answer(read_json([]))

    with RawSite(script) as site:
        sg = client(site.url)
        assert sg.find("Shot", []) == [{"type": "Shot", "id": 9}]
        assert sg.find("Shot", []) == []
        assert [number for number, _, _ in site.requests] == [1, 1, 2]


def test_repeated_and_folded_headers_and_a_continue_answer_reach_the_caller():
    def script(index, body):
        continue_first = b"HTTP/1.1 100 Continue\r\n\r\n"
        return continue_first + answer(b'{"ok": 1}', "201 Made It", ("X-Dup: a", "X-Dup: b", "X-Fold: one", " two", "Status: 201 Created"))

    with RawSite(script) as site:
        sg = client(site.url)
        sg.server_caps  # the info call
        status, headers, body = sg._http_request("POST", "/api3/json", b'{"method_name": "x"}', {})
        assert status == (201, "Made It")
        assert headers["x-dup"] == "a, b"
        assert headers["x-fold"] == "one\r\n two"
        assert headers["status"] == "201"
        assert body == b'{"ok": 1}'


def test_no_content_answer_has_an_empty_body_and_the_connection_stays_open():
    with RawSite(lambda index, body: b"HTTP/1.1 204 No Content\r\n\r\n") as site:
        sg = client(site.url)
        sg.server_caps  # the info call
        for _ in range(2):
            assert sg._http_request("POST", "/api3/json", b"{}", {})[2] == b""
        assert {number for number, _, _ in site.requests} == {1}


def test_a_read_answered_with_a_bad_status_line_is_sent_once_more_on_a_new_connection():
    def script(index, body):
        if index in (1, 3, 4):
            return b"NOT HTTP AT ALL\r\n\r\n"
        return answer(read_json([{"type": "Shot", "id": index}]))

    with RawSite(script) as site:
        sg = client(site.url)
        sg.server_caps  # the info call
        assert sg.find("Shot", []) == [{"type": "Shot", "id": 2}]
        assert len(site.methods("read")) == 2
        with pytest.raises(http.client.BadStatusLine):
            sg.find("Shot", [])  # answered badly twice: not sent a third time
        assert len(site.methods("read")) == 4


def test_a_write_answered_with_a_bad_status_line_is_not_sent_again():
    def script(index, body):
        if b'"create"' in body:
            return b"NOT HTTP AT ALL\r\n\r\n"
        return answer(read_json([]))

    with RawSite(script) as site:
        sg = client(site.url)
        sg.find("Shot", [])
        with pytest.raises(http.client.BadStatusLine) as raised:
            sg.create("Shot", {"code": "x"})
        if sys.version_info >= (3, 11):
            assert "may already have applied it" in raised.value.__notes__[0]
        assert len(site.methods("create")) == 1
        assert sg.find("Shot", []) == []


def test_an_answer_cut_short_raises_incomplete_read_and_the_client_recovers():
    def script(index, body):
        if index == 1:
            return answer(read_json([]))[:-3], "then close"
        return answer(read_json([]))

    with RawSite(script) as site:
        sg = client(site.url)
        sg.server_caps  # the info call
        with pytest.raises(http.client.IncompleteRead):
            sg.find("Shot", [])
        assert sg.find("Shot", []) == []


def test_see_other_answer_to_a_post_on_a_kept_alive_connection_is_followed_with_a_get():
    def script(index, body):
        if index == 1:
            return answer(b"", "303 See Other", ("Location: /elsewhere?page=2",))
        return answer(read_json([{"type": "Shot", "id": index}]))

    with RawSite(script) as site:
        sg = client(site.url)
        sg.server_caps  # the info call
        assert sg.find("Shot", []) == [{"type": "Shot", "id": 2}]
        assert site.requests[2][1].startswith(b"GET /elsewhere?page=2 HTTP/1.1\r\n")
        assert [number for number, _, _ in site.requests] == [1, 1, 1]


@pytest.mark.parametrize("raw", [
    answer(b'{"a": 1}', "200 OK", ("X-Dup: a", "X-Dup: b", "X-Fold: one", "\ttwo", "Status: 200 Fine",
                                   "X-Space:   padded  ", "X-Latin: caf\u00e9")),
    answer(b"", "404", ()),
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
    answer(gzip.compress(b'{"zipped": true}'), "200 OK", ("Content-Encoding: gzip",)),
])
def test_an_answer_reads_the_same_on_a_new_connection_and_on_a_kept_alive_one(raw):
    with RawSite(lambda index, body: raw) as site:
        sg = client(site.url)
        sg.server_caps  # the info call: the connection is open from here on
        sg.close()
        first = sg._http_request("POST", "/api3/json", b"{}", {})  # opens the connection: http.client
        second = sg._http_request("POST", "/api3/json", b"{}", {})  # on the kept-alive connection
        assert first == second
        assert [number for number, _, _ in site.requests] == [1, 2, 2]
