"""The site's web pages over HTTP: login, refusal without a session, escaping, and tables equal to ``find``."""
from __future__ import annotations

import http.client
import re
from typing import Optional
from urllib.parse import urlencode, urlsplit

import pytest

from tests.support.running_site import LOGIN, PASSWORD, SCRIPT


class Browser:
    """A cookie-keeping HTTP client of the pages that never follows redirects by itself."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict = {}

    def request(self, method: str, path: str, form: Optional[dict] = None, headers: Optional[dict] = None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join("%s=%s" % item for item in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body, sent)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        connection.close()
        return response, text

    def get(self, path: str):
        return self.request("GET", path)

    def log_in(self, login: str = LOGIN, password: str = PASSWORD, target: str = "/"):
        return self.request("POST", "/login", {"login": login, "password": password, "next": target})


@pytest.fixture
def browser(local_site):
    page_client = Browser(local_site.url)
    response, _ = page_client.log_in()
    assert response.status == 303
    return page_client


def ids_on_page(text: str, entity_type: str) -> list:
    """The record ids of the table rows (the first cell of each row links to the record)."""
    body = text.split("<tbody>", 1)[1]
    return [int(found) for found in re.findall(r'<tr><td><a href="/detail/%s/(\d+)">' % entity_type, body)]


@pytest.fixture
def shots(sg):
    project = sg.create("Project", {"name": "Moonrise"})
    made = [sg.create("Shot", {"code": "sh%03d" % n, "project": project, "sg_status_list": "ip" if n % 2 else "wtg"})
            for n in range(1, 8)]
    return project, made


def test_every_page_redirects_to_the_login_form_without_a_session(local_site):
    anonymous = Browser(local_site.url)
    for path in ("/", "/table/Shot", "/detail/Shot/1", "/events", "/schema", "/schema/Shot"):
        response, text = anonymous.get(path)
        assert response.status == 303, path
        assert response.getheader("Location").startswith("/login?next=")
        assert "Shot" not in text
    response, _ = anonymous.request("POST", "/table/Shot", {"a": "b"})
    assert response.status == 401


def test_the_login_form_is_served_and_the_stylesheet_needs_no_session(local_site):
    anonymous = Browser(local_site.url)
    response, text = anonymous.get("/login?next=/events")
    assert response.status == 200
    assert '<form method="post" action="/login"' in text and 'value="/events"' in text
    assert "script-src" not in response.getheader("Content-Security-Policy")
    response, css = anonymous.get("/static/web.css")
    assert response.status == 200 and "table.grid" in css


def test_logging_in_sets_an_httponly_samesite_cookie_and_goes_where_it_was_asked(local_site):
    page_client = Browser(local_site.url)
    response, _ = page_client.log_in(target="/events?user=ada")
    assert response.status == 303
    assert response.getheader("Location") == "/events?user=ada"
    cookie = response.getheader("Set-Cookie")
    assert cookie.startswith("_session_id=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    response, text = page_client.get("/events")
    assert response.status == 200 and "Event log" in text


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:x"])
def test_login_never_redirects_off_the_site(local_site, target):
    response, _ = Browser(local_site.url).log_in(target=target)
    assert response.status == 303 and response.getheader("Location") == "/"


def test_a_wrong_password_is_refused_without_a_cookie_and_without_echoing_it(local_site):
    page_client = Browser(local_site.url)
    response, text = page_client.log_in(password="not-the-password-123")
    assert response.status == 401
    assert not page_client.cookies
    assert "not valid" in text and "not-the-password-123" not in text


def test_script_credentials_and_script_sessions_do_not_open_the_pages(local_site):
    page_client = Browser(local_site.url)
    response, _ = page_client.log_in(login=SCRIPT, password=local_site.key)
    assert response.status == 401 and not page_client.cookies
    script = local_site.client()
    token = script.get_session_token()
    page_client.cookies["_session_id"] = token
    response, _ = page_client.get("/")
    assert response.status == 303


def test_a_login_posted_from_another_site_is_refused(local_site):
    response, _ = Browser(local_site.url).request(
        "POST", "/login", {"login": LOGIN, "password": PASSWORD}, {"Origin": "https://evil.example"})
    assert response.status == 403


def test_logging_out_ends_the_session(browser):
    token = browser.cookies["_session_id"]
    response, _ = browser.request("GET", "/logout")
    assert response.status == 405
    response, _ = browser.request("POST", "/logout", {})
    assert response.status == 303 and response.getheader("Location") == "/login"
    assert "_session_id" not in browser.cookies
    browser.cookies["_session_id"] = token  # the old cookie, replayed
    response, _ = browser.get("/")
    assert response.status == 303


def test_the_pages_are_read_only(browser):
    response, _ = browser.request("POST", "/table/Shot", {"code": "x"})
    assert response.status == 405


def test_the_home_page_counts_records_per_type_and_per_project(browser, shots, sg):
    project, _ = shots
    other = sg.create("Project", {"name": "Other"})
    sg.create("Asset", {"code": "rocket", "project": project})
    sg.create("Shot", {"code": "elsewhere", "project": other})
    response, text = browser.get("/")
    assert response.status == 200
    assert '<a href="/table/Shot">Shot</a></td><td><span class="num">8</span></td></tr>' in text
    assert '<a href="/?project=%d">Moonrise</a>' % project["id"] in text
    _, text = browser.get("/?project=%d" % project["id"])
    shot_row = re.search(r'<tr><td><a href="/table/Shot">Shot</a></td>.*?</tr>', text).group(0)
    assert '<span class="num">8</span>' in shot_row and '">7</a></td></tr>' in shot_row
    assert re.search(r'<a href="/table/Asset">Asset</a></td><td><span class="num">1</span></td><td><a [^>]+>1</a>',
                     text)
    assert 'In <a href="/detail/Project/%d"' % project["id"] in text


def test_hostile_values_are_escaped_everywhere(browser, sg):
    project = sg.create("Project", {"name": "<img src=x onerror=alert(1)>"})
    shot = sg.create("Shot", {"code": "<script>alert('code')</script>", "project": project,
                              "description": '"><script>alert(2)</script>'})
    sg.update("Shot", shot["id"], {"code": "<script>alert('again')</script>"})
    for path in ("/", "/table/Shot", "/table/Shot?columns=code,description,project.Project.name",
                 "/detail/Shot/%d" % shot["id"], "/detail/Project/%d" % project["id"], "/events",
                 "/table/Shot?filters=%3Cscript%3Ealert(3)%3C/script%3E"):
        response, text = browser.get(path)
        assert response.status in (200, 400), path
        assert "<script" not in text.lower(), path
        assert "<img src=x" not in text, path
    assert "&lt;script&gt;alert(&#x27;again&#x27;)&lt;/script&gt;" in browser.get("/table/Shot")[1]


def test_a_stored_javascript_link_is_shown_as_text(browser, sg):
    shot = sg.create("Shot", {"code": "linked"})
    attachment = sg.create("Attachment", {"this_file": {"url": "javascript:alert(1)", "name": "evil"},
                                          "attachment_links": [shot]})
    _, text = browser.get("/detail/Attachment/%d" % attachment["id"])
    assert "evil" in text
    assert 'href="javascript:' not in text


@pytest.mark.parametrize("filters, operator", [
    ([["sg_status_list", "is", "ip"]], "all"),
    ([["code", "in", ["sh002", "sh005"]], ["code", "ends_with", "7"]], "any"),
    ([["project.Project.name", "is", "Moonrise"], ["code", "not_in", "sh001", "sh003"]], "all"),
    ([], "all"),
])
def test_a_filtered_table_shows_what_find_returns(browser, shots, sg, filters, operator):
    import json

    found = sg.find("Shot", filters, ["code"], filter_operator=operator)
    query = urlencode({"filters": json.dumps(filters), "op": operator, "columns": "code"})
    response, text = browser.get("/table/Shot?" + query)
    assert response.status == 200
    assert ids_on_page(text, "Shot") == [record["id"] for record in found]
    for record in found:
        assert ">%s<" % record["code"] in text


def test_the_filter_box_takes_python_literals_and_entity_values(browser, shots, sg):
    project, made = shots
    query = urlencode({"filters": "[('project', 'is', {'type': 'Project', 'id': %d}), ('id', 'less_than', %d)]"
                                  % (project["id"], made[3]["id"])})
    _, text = browser.get("/table/Shot?" + query)
    assert ids_on_page(text, "Shot") == [shot["id"] for shot in made[:3]]


def test_a_bad_filter_is_explained(browser, shots):
    response, text = browser.get("/table/Shot?" + urlencode({"filters": '[["code", "is"]]'}))
    assert response.status == 400 and 'class="error"' in text
    response, text = browser.get("/table/Shot?" + urlencode({"filters": '[["no_such_field", "is", 1]]'}))
    assert response.status == 400 and "no_such_field" in text


def test_a_table_sorts_by_a_column_and_pages(browser, shots, sg):
    _, made = shots
    _, text = browser.get("/table/Shot?columns=code&sort=code&dir=desc&per_page=25")
    assert ids_on_page(text, "Shot") == [shot["id"] for shot in reversed(made)]
    for n in range(30):
        sg.create("Shot", {"code": "extra%02d" % n})
    _, first = browser.get("/table/Shot?per_page=25")
    _, second = browser.get("/table/Shot?per_page=25&page=2")
    every = [shot["id"] for shot in sg.find("Shot", [], [], order=[{"field_name": "id", "direction": "asc"}])]
    assert ids_on_page(first, "Shot") == every[:25]
    assert ids_on_page(second, "Shot") == every[25:]
    assert "next &gt;" in first and "next &gt;" not in second


def test_dotted_columns_and_retired_records_on_request(browser, shots, sg):
    _, made = shots
    sg.delete("Shot", made[0]["id"])
    _, text = browser.get("/table/Shot?columns=code,project.Project.name")
    assert made[0]["id"] not in ids_on_page(text, "Shot") and ">Moonrise<" in text
    _, text = browser.get("/table/Shot?retired=1&columns=code")
    assert ids_on_page(text, "Shot") == [made[0]["id"]]
    response, text = browser.get("/detail/Shot/%d" % made[0]["id"])
    assert response.status == 200 and "This record is retired" in text


def test_a_record_page_shows_every_field_links_both_ways_and_its_history(browser, shots, sg):
    project, made = shots
    shot = made[0]
    task = sg.create("Task", {"content": "animate", "entity": shot, "project": project})
    sg.update("Shot", shot["id"], {"description": "first pass"})
    response, text = browser.get("/detail/Shot/%d" % shot["id"])
    assert response.status == 200
    for field in sg.schema_field_read("Shot"):
        assert "<td>%s</td>" % field in text or '">%s</span>' % field in text, field
    assert '<span class="type">entity</span>' in text
    assert 'href="/detail/Project/%d"' % project["id"] in text          # what it links to
    links_here = text.split("What links here", 1)[1].split("Event history", 1)[0]
    assert 'href="/detail/Task/%d"' % task["id"] in links_here and ">animate<" in links_here
    history = text.split("Event history", 1)[1]
    assert "Shotgun_Shot_Change" in history and "Shotgun_Shot_New" in history
    assert '<span class="new">first pass</span>' in history


def test_a_record_page_shows_thumbnails_and_attachments(browser, sg, tmp_path):
    from shotgun_api3.local_site.demo import _png

    image = tmp_path / "frame.png"
    image.write_bytes(_png(8, 8, 90))
    shot = sg.create("Shot", {"code": "with_media"})
    sg.upload_thumbnail("Shot", shot["id"], str(image))
    attachment_id = sg.upload("Shot", shot["id"], str(image))
    _, text = browser.get("/detail/Shot/%d" % shot["id"])
    assert re.search(r'<img class="thumb" src="[^"]+"', text)
    _, text = browser.get("/detail/Attachment/%d" % attachment_id)
    download = re.search(r'<a href="([^"]+)" download>frame.png', text)
    assert download
    response, body = browser.get(urlsplit(download.group(1).replace("&amp;", "&")).path)
    assert response.status == 200


def test_the_event_log_is_newest_first_filterable_and_reloads_itself(browser, shots, sg):
    _, made = shots
    sg.update("Shot", made[0]["id"], {"sg_status_list": "fin"})
    response, text = browser.get("/events")
    assert response.status == 200
    assert '<meta http-equiv="refresh" content="5">' in text
    ids = [int(n) for n in re.findall(r"<tr><td>(\d+)</td>", text.split("<tbody>", 1)[1])]
    assert ids == sorted(ids, reverse=True) and len(ids) > 5
    _, text = browser.get("/events?" + urlencode({"event_type": "Shot_Change", "entity_type": "Shot",
                                                   "entity_id": made[0]["id"]}))
    rows = text.split("<tbody>", 1)[1]
    assert rows.count("<tr>") == 1 and '<span class="old">ip</span> &rarr; <span class="new">fin</span>' in rows
    _, text = browser.get("/events?entity_type=Project")
    assert "Shotgun_Project_New" in text and "Shotgun_Shot_New" not in text
    _, text = browser.get("/events?user=e2e_script&refresh=0")
    assert "Shotgun_Shot_New" in text and 'http-equiv="refresh"' not in text
    _, text = browser.get("/events?user=nobody-by-that-name")
    assert text.split("<tbody>", 1)[1].startswith("</tbody>")


def test_the_schema_pages_show_types_fields_valid_values_and_valid_types(browser):
    response, text = browser.get("/schema")
    assert response.status == 200 and '<a href="/schema/Shot">Shot</a>' in text
    _, text = browser.get("/schema/Shot")
    row = re.search(r"<tr><td>sg_status_list</td>.*?</tr>", text).group(0)
    assert "status_list" in row and "wtg" in row and "fin" in row
    row = re.search(r"<tr><td>project</td>.*?</tr>", text).group(0)
    assert '<a href="/schema/Project">Project</a>' in row


def test_unknown_types_and_records_are_not_found(browser):
    assert browser.get("/table/NoSuchType")[0].status == 404
    assert browser.get("/detail/Shot/999999")[0].status == 404
    assert browser.get("/schema/NoSuchType")[0].status == 404


def test_a_login_target_with_any_text_is_kept_on_the_site_and_encoded(local_site):
    response, _ = Browser(local_site.url).log_in(target="/table/Shot?filters=[[\"code\",\"is\",\"café\"]]")
    assert response.status == 303
    assert response.getheader("Location").startswith("/table/Shot?filters=") and "caf%C3%A9" in \
        response.getheader("Location")
    response, _ = Browser(local_site.url).log_in(target="/x\r\nSet-Cookie: a=b")
    assert response.getheader("Location") == "/" and response.getheader("Set-Cookie").startswith("_session_id=")


def test_a_deeply_nested_filter_is_refused_plainly(browser):
    response, text = browser.get("/table/Shot?" + urlencode({"filters": "[" * 1200 + "]" * 1200}))
    assert response.status == 400 and "nested too deeply" in text


def test_the_login_form_is_throttled_like_the_api():
    from shotgun_api3.local_site.site import Site
    from shotgun_api3.local_site.throttle import AuthLimits
    from tests.support.running_site import running_local_site

    site = Site.in_memory(auth_limits=AuthLimits(failures_per_account=3, failure_delay=0.0))
    try:
        with running_local_site(site) as running:
            page_client = Browser(running.url)
            for _ in range(3):
                assert page_client.log_in(password="wrong-password-0")[0].status == 401
            response, text = page_client.log_in()  # the right password, on a locked login
            assert response.status == 401 and "locked" in text and not page_client.cookies
    finally:
        site.close()


def test_a_two_factor_user_needs_the_code_on_the_form(local_site):
    from shotgun_api3.local_site.auth import totp_code

    _, secret = local_site.site.add_user("grace", "pw-for-grace-1", two_factor=True)
    page_client = Browser(local_site.url)
    response, text = page_client.log_in("grace", "pw-for-grace-1")
    assert response.status == 401 and "two-factor" in text and not page_client.cookies
    response, _ = page_client.request("POST", "/login", {"login": "grace", "password": "pw-for-grace-1",
                                                         "auth_token": totp_code(secret)})
    assert response.status == 303 and "_session_id" in page_client.cookies
    assert page_client.get("/")[0].status == 200
