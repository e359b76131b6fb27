"""The admin console (bot/web/admin.py, plans.py, report.py, security.py)."""

from __future__ import annotations

import functools
import hashlib
import html
import re
import shutil
import time

import pytest

from bot.questionlog import DAY, Entry
from bot.web import plans, report
from index import store
from index.build import CORPUS_SUFFIXES, build
from tests.conftest import CORPUS

TOKEN = "admin-token-for-the-tests-0123456789"
NEW_PLAN = """วิสัยทัศน์
    โรงเรียนน่านวิทยามุ่งพัฒนาผู้เรียนให้รักการอ่านและคิดเป็น

พันธกิจ
1. ส่งเสริมการอ่านในทุกห้องเรียน
2. พัฒนาครูให้สอนคิดวิเคราะห์
"""
NO_SECTIONS = "---\noffice: โรงเรียนน่านวิทยา\n---\nเอกสารนี้ไม่มีหัวข้อของแผนเลย\n"


@pytest.fixture
def corpus(tmp_path):
    """A copy of the bundled corpus that uploads may change."""
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    return folder


@pytest.fixture
def admin_db(tmp_path, corpus):
    """An index built from the copy (its meta names the copy as its corpus)."""
    path = tmp_path / "index" / "index.db"
    build(corpus, path)
    return path


@pytest.fixture
def app(make_app, admin_db):
    """Line mode with the console on."""
    return make_app(PLANBOT_DB=str(admin_db), PLANBOT_ADMIN_TOKEN=TOKEN)


def csrf_of(page_text: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page_text).group(1)


def logged_in(client) -> str:
    """Log `client` in; its CSRF token."""
    token = csrf_of(client.get("/admin/login").text)
    response = client.post("/admin/login", data={"csrf_token": token, "token": TOKEN})
    assert response.status_code == 302
    return csrf_of(client.get("/admin/").text)


def admin_routes(app) -> list[tuple[str, str]]:
    """(method, path) of every console route, with a real owner id for the plan page."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin."):
            continue
        path = rule.rule.replace("<owner_id>", "spm-13")
        routes += [(m, path) for m in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return routes


def test_every_console_route_refuses_a_request_without_the_token(app):
    routes = admin_routes(app)
    assert len(routes) >= 9  # login x2, logout, plans, plan, upload x2, publish, questions
    client = app.test_client()
    for method, path in routes:
        if path == "/admin/login":
            continue
        response = client.open(path, method=method, data={})
        if method == "GET":
            assert response.status_code == 302, path
            assert response.location.startswith("/admin/login?next="), path
        else:
            assert response.status_code == 403, path
        assert "สพม" not in response.text and "<table" not in response.text, path  # no content


def test_a_forged_session_is_no_login(app):
    client = app.test_client()
    with client.session_transaction() as session:
        session["admin"] = "yes"
    assert client.get("/admin/").status_code == 302
    with client.session_transaction() as session:  # the mark of another token
        session["admin"] = hashlib.sha256(b"another token").hexdigest()
    assert client.get("/admin/questions").status_code == 302


def test_the_console_is_off_without_a_token(make_app, admin_db):
    app = make_app(PLANBOT_DB=str(admin_db))
    client = app.test_client()
    for method, path in admin_routes(app):
        assert client.open(path, method=method).status_code == 404, (method, path)


def test_a_wrong_token_is_refused_and_the_right_one_logs_in(app):
    client = app.test_client()
    csrf = csrf_of(client.get("/admin/login").text)
    wrong = client.post("/admin/login", data={"csrf_token": csrf, "token": TOKEN[:-1] + "x"})
    assert wrong.status_code == 403
    assert client.get("/admin/").status_code == 302
    right = client.post("/admin/login?next=/admin/questions",
                        data={"csrf_token": csrf, "token": TOKEN})
    assert right.status_code == 302 and right.location == "/admin/questions"
    assert client.get("/admin/").status_code == 200
    # a next= that leaves the site goes to the console instead
    csrf = csrf_of(client.get("/admin/login").text)
    away = client.post("/admin/login", data={"csrf_token": csrf, "token": TOKEN,
                                             "next": "//evil.example/"})
    assert away.location == "/admin/"


@pytest.mark.parametrize("target", [
    "//evil.example/",
    "///evil.example/",
    "/\t/evil.example",  # browsers drop tabs and newlines from a URL: //evil.example
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\x00/evil.example",
    "/\\evil.example",  # and read a backslash as a slash
    "/\\/evil.example",
    "\\/evil.example",
    " //evil.example",
    "https://evil.example/admin/",
    "https:/evil.example",
    "javascript:alert(1)",
    "/\u2028/evil.example",
    "",
])
def test_after_login_only_a_local_path_is_followed(app, target):
    client = app.test_client()
    csrf = csrf_of(client.get("/admin/login").text)
    response = client.post("/admin/login", data={"csrf_token": csrf, "token": TOKEN,
                                                 "next": target})
    assert response.status_code == 302 and response.location == "/admin/"


@pytest.mark.parametrize("target", ["/admin/plan/spm-13", "/admin/questions?days=30", "/chat"])
def test_after_login_the_page_asked_for_is_shown(app, target):
    client = app.test_client()
    csrf = csrf_of(client.get("/admin/login").text)
    response = client.post("/admin/login", data={"csrf_token": csrf, "token": TOKEN,
                                                 "next": target})
    assert response.status_code == 302 and response.location == target


def test_login_attempts_are_limited_per_address(app):
    from bot.web.admin import LOGIN_TRIES

    client = app.test_client()
    csrf = csrf_of(client.get("/admin/login").text)
    for _ in range(LOGIN_TRIES):
        wrong = client.post("/admin/login", data={"csrf_token": csrf, "token": "guess" * 4})
        assert wrong.status_code == 403
    refused = client.post("/admin/login", data={"csrf_token": csrf, "token": TOKEN})
    assert refused.status_code == 429 and 'id="too-many"' in refused.text
    assert client.get("/admin/").status_code == 302  # not logged in
    other = app.test_client()  # another address is not held back
    csrf = csrf_of(other.get("/admin/login", environ_base={"REMOTE_ADDR": "10.0.0.2"}).text)
    assert other.post("/admin/login", data={"csrf_token": csrf, "token": TOKEN},
                      environ_base={"REMOTE_ADDR": "10.0.0.2"}).status_code == 302


def _guess_until_refused(client, forwarded: str) -> int:
    """Wrong logins from one client behind a proxy until refused; the last status."""
    from bot.web.admin import LOGIN_TRIES

    headers = {"X-Forwarded-For": forwarded, "X-Forwarded-Proto": "https"}
    csrf = csrf_of(client.get("/admin/login", headers=headers).text)
    for _ in range(LOGIN_TRIES + 1):
        status = client.post("/admin/login", data={"csrf_token": csrf, "token": "guess" * 4},
                             headers=headers).status_code
    return status


def _logs_in(client, forwarded: str) -> int:
    headers = {"X-Forwarded-For": forwarded, "X-Forwarded-Proto": "https"}
    csrf = csrf_of(client.get("/admin/login", headers=headers).text)
    return client.post("/admin/login", data={"csrf_token": csrf, "token": TOKEN},
                       headers=headers).status_code


def test_behind_a_proxy_the_login_limit_counts_each_client(make_app, admin_db):
    """PLANBOT_PROXY_HOPS=1: every request comes from the proxy's address, and the client's is
    the last X-Forwarded-For entry, the one the proxy added."""
    app = make_app(PLANBOT_DB=str(admin_db), PLANBOT_ADMIN_TOKEN=TOKEN, PLANBOT_PROXY_HOPS=1)
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    guesser, teacher, forger = app.test_client(), app.test_client(), app.test_client()
    for client in (guesser, teacher, forger):
        client.environ_base.update(proxy)
    assert _guess_until_refused(guesser, "203.0.113.5") == 429
    assert _logs_in(teacher, "198.51.100.7") == 302  # another client is not held back
    # what the guesser puts in the header before the proxy's entry changes nothing
    assert _logs_in(forger, "198.51.100.99, 203.0.113.5") == 429


def test_without_proxy_hops_a_forwarded_header_is_not_believed(app):
    client = app.test_client()
    assert _guess_until_refused(client, "203.0.113.5") == 429
    assert _logs_in(client, "198.51.100.7") == 429  # the same address, whatever it claims


def test_the_token_is_compared_in_constant_time(app, monkeypatch):
    import hmac

    from bot.web import security

    compared = []
    real = hmac.compare_digest
    monkeypatch.setattr(security.hmac, "compare_digest",
                        lambda a, b: compared.append((a, b)) or real(a, b))
    client = app.test_client()
    csrf = csrf_of(client.get("/admin/login").text)
    client.post("/admin/login", data={"csrf_token": csrf, "token": "not-the-token"})
    assert (b"not-the-token", TOKEN.encode()) in compared


def test_every_form_post_without_the_csrf_token_is_refused(app, corpus):
    client = app.test_client()
    good = logged_in(client)
    before = sorted(p.name for p in corpus.iterdir())
    for method, path in admin_routes(app):
        if method != "POST":
            continue
        for data in ({}, {"csrf_token": "forged"}, {"csrf_token": good[:-1]}):
            data = {**data, "token": TOKEN, "stage_id": "0" * 32}
            assert client.post(path, data=data).status_code == 400, (path, data)
    assert client.get("/admin/").status_code == 200  # still logged in: logout was refused too
    assert sorted(p.name for p in corpus.iterdir()) == before
    fresh = app.test_client()  # the login form too
    fresh.get("/admin/login")
    assert fresh.post("/admin/login", data={"token": TOKEN}).status_code == 400


def test_the_session_cookie_is_httponly_strict_and_secure_outside_local_mode(make_app, admin_db):
    line = make_app(PLANBOT_DB=str(admin_db), PLANBOT_ADMIN_TOKEN=TOKEN)
    cookie = line.test_client().get("/admin/login").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" in cookie
    local = make_app(PLANBOT_DB=str(admin_db), PLANBOT_ADMIN_TOKEN=TOKEN,
                     LINE_CHANNEL_SECRET=None, LINE_CHANNEL_ACCESS_TOKEN=None)
    cookie = local.test_client().get("/admin/login").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie


def test_a_short_admin_token_is_refused(make_app):
    from bot.config import ConfigError

    with pytest.raises(ConfigError, match="at least 16"):
        make_app(PLANBOT_ADMIN_TOKEN="short")


def test_the_plans_page_lists_every_owner_with_its_names_sections_and_source(app):
    client = app.test_client()
    logged_in(client)
    page = html.unescape(client.get("/admin/").text)
    assert page.count("<tr data-owner=") == 5
    row = re.search(r'<tr data-owner="spm-13">(.*?)</tr>', page, re.S).group(1)
    assert "สพม.13" in row and "สพม. เขต 13" in row  # names teachers can type
    assert "วิสัยทัศน์ (0)" in row and "พันธกิจ (3)" in row
    assert "spm-13.txt" in row and "seeds/004_6c7f6f6f50bc0cc0.txt" in row  # file and source
    phrae = re.search(r'<tr data-owner="spp-phrae-1">(.*?)</tr>', page, re.S).group(1)
    assert "list number 1 repaired to 2" in phrae  # the index's warnings


def test_a_plans_year_and_quality_figure_are_shown_when_the_index_has_them(tmp_path, corpus):
    text = (corpus / "spm-13.txt").read_text("utf-8")
    (corpus / "spm-13.txt").write_text(text.replace("short: สพม.13\n",
                                                    "short: สพม.13\nyear: 2566-2570\n"
                                                    "quality: 0.04\n", 1), "utf-8")
    db = tmp_path / "q.db"
    build(corpus, db)
    loaded = plans.summaries(store.Store(db))
    spm = next(p for p in loaded if p.id == "spm-13")
    assert spm.year == "2566-2570" and spm.quality == pytest.approx(0.04)
    assert spm.items == sum(count for _, count in spm.sections) > 0


def test_a_plans_tree_is_what_index_show_prints(app, admin_db):
    client = app.test_client()
    logged_in(client)
    page = client.get("/admin/plans/spm-13").text
    tree = html.unescape(re.search(r'<pre class="tree" id="tree">(.*?)</pre>', page, re.S).group(1))
    printed = app.test_cli_runner().invoke(args=["index", "show", "spm-13", "--db", str(admin_db)])
    assert printed.exit_code == 0
    assert tree == printed.output.rstrip("\n")
    assert client.get("/admin/plans/no-such-plan").status_code == 404


def upload(client, csrf, data: bytes, name: str, **fields):
    return client.post(
        "/admin/upload",
        data={"csrf_token": csrf, "document": (__import__("io").BytesIO(data), name), **fields},
        content_type="multipart/form-data",
    )


def test_upload_checks_first_then_publishes_with_the_atomic_rebuild(app, corpus, admin_db):
    client = app.test_client()
    csrf = logged_in(client)
    listing, index_bytes = sorted(p.name for p in corpus.iterdir()), admin_db.read_bytes()
    checked = upload(client, csrf, NEW_PLAN.encode(), "แผน.txt", office="โรงเรียนน่านวิทยา",
                     year="2568", source="เว็บไซต์โรงเรียน", aliases="รร.น่าน, น่านวิทย์",
                     owner_id="nan-school")
    assert checked.status_code == 200
    page = html.unescape(checked.text)
    assert "ตรวจผ่าน" in page and 'id="publish"' in page
    assert "โรงเรียนน่านวิทยา  [nan-school]  (nan-school.txt)" in page  # the tree, as show prints
    assert "1. ส่งเสริมการอ่านในทุกห้องเรียน" in page
    # checked, not published: the corpus and the index are as they were
    assert sorted(p.name for p in corpus.iterdir()) == listing
    assert admin_db.read_bytes() == index_bytes

    stage_id = re.search(r'name="stage_id" value="([0-9a-f]+)"', checked.text).group(1)
    published = client.post("/admin/publish", data={"csrf_token": csrf, "stage_id": stage_id})
    assert published.status_code == 302 and published.location == "/admin/"
    assert "เผยแพร่แล้ว" in client.get("/admin/").text
    written = (corpus / "nan-school.txt").read_text("utf-8")
    assert written.startswith("---\noffice: โรงเรียนน่านวิทยา\n")
    assert "year: '2568'" in written and "- รร.น่าน\n- น่านวิทย์\n" in written
    loaded = plans.summaries(store.Store(admin_db))
    nan = next(p for p in loaded if p.id == "nan-school")
    assert nan.year == "2568" and nan.source == "เว็บไซต์โรงเรียน" and "รร.น่าน" in nan.names
    # the running app answers from the new index at its next message
    runtime = app.extensions["planbot"]
    reply = runtime.engine().answer("วิสัยทัศน์ โรงเรียนน่านวิทยา", None)
    assert reply.kind == "answer" and "รักการอ่านและคิดเป็น" in reply.text
    # a staged upload is published once
    again = client.post("/admin/publish", data={"csrf_token": csrf, "stage_id": stage_id})
    assert again.location == "/admin/upload"


def test_a_failed_check_changes_nothing(app, corpus, admin_db):
    client = app.test_client()
    csrf = logged_in(client)
    listing, index_bytes = sorted(p.name for p in corpus.iterdir()), admin_db.read_bytes()
    failed = upload(client, csrf, NO_SECTIONS.encode(), "broken.txt")
    assert failed.status_code == 422
    page = html.unescape(failed.text)
    assert "ตรวจไม่ผ่าน" in page and "broken.txt line 4: no plan sections found" in page
    assert 'id="publish"' not in page
    no_office = upload(client, csrf, NEW_PLAN.encode(), "nan.txt")  # no front matter, no form
    assert no_office.status_code == 422 and "no front matter" in html.unescape(no_office.text)
    not_utf8 = upload(client, csrf, NEW_PLAN.encode("tis-620"), "nan.txt", office="โรงเรียน ก")
    assert not_utf8.status_code == 422 and "not UTF-8" in not_utf8.text
    unreadable = upload(client, csrf, b"MZ\x90\x00", "plan.exe", office="โรงเรียน ก")
    assert unreadable.status_code == 400
    assert "cannot read &#39;.exe&#39; files" in unreadable.text
    assert all(s in unreadable.text for s in CORPUS_SUFFIXES)
    bad_id = upload(client, csrf, NEW_PLAN.encode(), "nan.txt", office="โรงเรียน ก",
                    owner_id="../../etc/passwd")
    assert bad_id.status_code == 400
    for stage_id in ("0" * 32, "../../index", ""):
        response = client.post("/admin/publish", data={"csrf_token": csrf, "stage_id": stage_id})
        assert response.location == "/admin/upload"
    assert sorted(p.name for p in corpus.iterdir()) == listing
    assert admin_db.read_bytes() == index_bytes


def test_a_failed_checks_stage_cannot_be_published(app, corpus, admin_db):
    client = app.test_client()
    csrf = logged_in(client)
    failed = upload(client, csrf, NO_SECTIONS.encode(), "broken.txt")
    stage_id = next(p.name for p in (admin_db.parent / plans.UPLOADS).iterdir())
    assert stage_id not in failed.text  # no publish form was offered...
    client.post("/admin/publish", data={"csrf_token": csrf, "stage_id": stage_id})
    assert not (corpus / "broken.txt").exists()  # ...and posting its id by hand does nothing


def test_an_upload_with_an_existing_owner_id_replaces_that_plan(app, corpus, admin_db):
    client = app.test_client()
    csrf = logged_in(client)
    plan = "---\noffice: สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา เขต 13\nshort: สพม.13\n---\n" + NEW_PLAN
    checked = upload(client, csrf, plan.encode(), "new-version.md", owner_id="spm-13")
    assert checked.status_code == 200 and "แทนที่ spm-13.txt" in html.unescape(checked.text)
    stage_id = re.search(r'name="stage_id" value="([0-9a-f]+)"', checked.text).group(1)
    client.post("/admin/publish", data={"csrf_token": csrf, "stage_id": stage_id})
    assert not (corpus / "spm-13.txt").exists() and (corpus / "spm-13.md").exists()
    reply = app.extensions["planbot"].engine().answer("พันธกิจ สพม.13", None)
    assert "ส่งเสริมการอ่านในทุกห้องเรียน" in reply.text


def test_a_failed_rebuild_puts_the_corpus_back(app, corpus, admin_db, monkeypatch):
    client = app.test_client()
    csrf = logged_in(client)
    original = (corpus / "spm-13.txt").read_bytes()
    plan = "---\noffice: สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา เขต 13\n---\n" + NEW_PLAN
    checked = upload(client, csrf, plan.encode(), "spm-13.txt")
    stage_id = re.search(r'name="stage_id" value="([0-9a-f]+)"', checked.text).group(1)
    index_bytes = admin_db.read_bytes()

    def broken_build(corpus_folder, db_path, progress=None):
        raise OSError("disk full")

    monkeypatch.setattr(plans, "build", broken_build)
    response = client.post("/admin/publish", data={"csrf_token": csrf, "stage_id": stage_id})
    assert response.location == "/admin/upload"
    assert "nothing changed: disk full" in html.unescape(client.get("/admin/upload").text)
    assert (corpus / "spm-13.txt").read_bytes() == original
    assert sorted(p.name for p in corpus.iterdir() if p.name.startswith(".")) == []
    assert admin_db.read_bytes() == index_bytes


def test_the_upload_form_accepts_every_suffix_the_index_reads(app, monkeypatch):
    import index.readers

    monkeypatch.setattr(index.readers, "READERS", {".pdf": None, ".docx": None}, raising=False)
    assert set(plans.readable_suffixes()) == {*CORPUS_SUFFIXES, ".pdf", ".docx"}
    client = app.test_client()
    logged_in(client)
    form = client.get("/admin/upload").text
    assert 'accept=".docx,.md,.pdf,.txt"' in form


def test_a_binary_plans_metadata_goes_in_a_sidecar(tmp_path):
    written = plans._write_document(tmp_path, "plan.pdf", b"%PDF-1.7", {"office": "โรงเรียน ก",
                                                                        "year": "2568"})
    assert written == ["plan.pdf", "plan.pdf.yaml"]
    assert (tmp_path / "plan.pdf.yaml").read_text("utf-8") == "office: โรงเรียน ก\nyear: '2568'\n"


def test_front_matter_from_the_form_replaces_only_the_keys_it_gives():
    text = "\ufeff---\r\noffice: เดิม\r\ncontact: 02\r\n---\r\nวิสัยทัศน์\r\n"
    merged = plans.with_front_matter(text, {"office": "ใหม่", "aliases": ["ก", "ข"]})
    assert merged == "---\noffice: ใหม่\ncontact: 2\naliases:\n- ก\n- ข\n---\nวิสัยทัศน์\n"
    assert plans.with_front_matter("วิสัยทัศน์\n", {}) == "วิสัยทัศน์\n"


# --- the unanswered-questions report ----------------------------------------------------------


def entry(text: str, kind: str = "dont_know", days_ago: float = 0.0) -> Entry:
    return Entry(text, kind, time.time() - days_ago * DAY)


def test_similar_wordings_are_one_group_and_other_plans_are_not():
    groups = report.group_questions([
        entry("วิสัยทัศน์ สพม.2", "not_in_corpus", 3),
        entry("วิสัยทัศน์ของ สพม.2 คืออะไรครับ", "not_in_corpus", 1),
        entry("วิสัยทัศน์ สพม.2", "not_in_corpus", 2),
        entry("วิสัยทัศน์ สพม.3", "not_in_corpus", 1),
        entry("งบประมาณปี 2568 เท่าไร", "dont_know", 0.5),
    ])
    assert [(g.wording, g.count) for g in groups] == [
        ("วิสัยทัศน์ สพม.2", 3),
        ("งบประมาณปี 2568 เท่าไร", 1),
        ("วิสัยทัศน์ สพม.3", 1),
    ]
    assert groups[0].variants == [("วิสัยทัศน์ของ สพม.2 คืออะไรครับ", 1)]
    assert groups[0].kind_names == [("ไม่มีแผนของหน่วยงานนี้", 3)]
    assert groups[0].last_seen == pytest.approx(time.time() - DAY, abs=5)


def grouped_by_every_pair(entries: list[Entry]) -> list[report.Group]:
    """The grouping as first written, each group compared with every earlier one: the
    reference the indexed grouping must agree with."""
    exact: dict = {}
    for e in entries:
        words = report.words_of(e.text)
        exact.setdefault(words, report.Group(words)).add(e)
    merged: list[report.Group] = []
    for group in sorted(exact.values(), key=lambda g: (-g.count, -g.last_seen)):
        home = next((m for m in merged if report.similar(m.words, group.words)), None)
        if home is None:
            merged.append(group)
        else:
            home.absorb(group)
    return sorted(merged, key=lambda g: (-g.count, -g.last_seen))


def described(groups: list[report.Group]) -> list[tuple]:
    return [(g.words, g.count, sorted(g.texts.items()), sorted(g.kinds.items()), g.last_seen)
            for g in groups]


@functools.lru_cache(maxsize=1)
def corpus_words() -> list[str]:
    """Words of the bundled plans, as questions would use them."""
    from index.tokenize import tokenize

    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")))
    return sorted({t for t in tokenize(text) if len(t) > 1 and not t.isdigit()})


def made_up_questions(rng, words: list[str], count: int, size=(2, 6)) -> list[Entry]:
    """`count` questions of random words, numbers now and then, and many rewordings of
    earlier ones (a polite ending, a word more or less), as a busy month's log holds."""
    made: list[Entry] = []
    while len(made) < count:
        if made and rng.random() < 0.35:
            base = rng.choice(made).text.split()
            if rng.random() < 0.5 and len(base) > 2:
                base.remove(rng.choice(base))
            else:
                base.append(rng.choice(words + ["ครับ", "ค่ะ", "คืออะไร"]))
            text = " ".join(base)
        else:
            text = " ".join(rng.sample(words, rng.randint(*size)))
            if rng.random() < 0.4:
                text += f" {rng.randint(1, 12)}"
        made.append(Entry(text, rng.choice(["dont_know", "which_owner"]), 1e9 + rng.random() * 1e6))
    return made


@pytest.mark.parametrize("seed", range(4))
def test_grouping_agrees_with_comparing_every_pair(seed):
    import random

    rng = random.Random(seed)
    few = [f"w{i}" for i in range(14)]  # a small vocabulary: many overlapping word sets
    entries = made_up_questions(rng, few, 600, size=(2, 8))
    assert described(report.group_questions(entries)) == described(grouped_by_every_pair(entries))
    merged = sum(1 for g in report.group_questions(entries) if len(g.texts) > 1)
    assert merged > 20  # the sample exercises merging, not only exact groups
    thai = made_up_questions(rng, corpus_words(), 800)
    assert described(report.group_questions(thai)) == described(grouped_by_every_pair(thai))


def test_five_thousand_questions_are_grouped_in_seconds():
    """Every pair compared took 31 s for 4,000 questions, past gunicorn's 30 s timeout."""
    import random

    entries = made_up_questions(random.Random(7), corpus_words(), 5000)
    assert len({e.text for e in entries}) > 4500
    started = time.perf_counter()
    groups = report.group_questions(entries)
    took = time.perf_counter() - started
    assert sum(g.count for g in groups) == 5000 and len(groups) > 3000
    assert took < 5, f"grouping 5,000 questions took {took:.1f} s"


def test_the_report_groups_the_latest_questions_and_says_how_many(app, monkeypatch):
    monkeypatch.setattr(report, "MAX_ROWS", 3)
    log = app.extensions["planbot"].questions
    now = time.time()
    for hours, text in enumerate(["ล่าสุด", "รองลงมา", "ที่สาม", "เก่ากว่า", "เก่าที่สุด"]):
        log.record(text, "dont_know", now=now - (hours + 1) * 3600)
    client = app.test_client()
    logged_in(client)
    page = html.unescape(client.get("/admin/questions?days=7").text)
    assert re.findall(r'<td class="wording">(.*?)</td>', page) == ["ล่าสุด", "รองลงมา", "ที่สาม"]
    assert "5 คำถาม" in page and "จัดกลุ่มเฉพาะ 3 คำถามล่าสุด" in page


def test_the_report_page_shows_groups_counts_and_last_seen_over_the_period(app):
    log = app.extensions["planbot"].questions
    now = time.time()
    log.record("กลยุทธ์ สพป.น่าน เขต 2", "not_in_corpus", now=now - 2 * DAY)
    log.record("กลยุทธ์ของ สพป.น่าน เขต 2", "not_in_corpus", now=now - 3600)
    log.record("กลยุทธ์ สพป.น่าน เขต 1", "not_in_corpus", now=now - 3600)
    log.record("ตัวชี้วัดเรื่องอาหารกลางวัน", "dont_know", now=now - 20 * DAY)
    client = app.test_client()
    logged_in(client)
    week = html.unescape(client.get("/admin/questions?days=7").text)
    rows = re.findall(r'<td class="wording">(.*?)</td>\s*<td class="num">(\d+)</td>\s*<td>(.*?)</td>',
                      week)
    assert [(w, int(n)) for w, n, _ in rows] == [
        ("กลยุทธ์ของ สพป.น่าน เขต 2", 2), ("กลยุทธ์ สพป.น่าน เขต 1", 1)
    ]
    assert rows[0][2] == report.thai_time(now - 3600)
    assert "อาหารกลางวัน" not in week
    month = html.unescape(client.get("/admin/questions?days=30").text)
    assert "ตัวชี้วัดเรื่องอาหารกลางวัน" in month and "ไม่พบคำตอบในแผน (1)" in month


def test_the_report_says_the_log_is_off(make_app, admin_db):
    app = make_app(PLANBOT_DB=str(admin_db), PLANBOT_ADMIN_TOKEN=TOKEN, PLANBOT_LOG_DAYS=0)
    client = app.test_client()
    logged_in(client)
    assert "PLANBOT_LOG_DAYS=0" in client.get("/admin/questions").text


def test_a_request_without_the_session_cookie_builds_no_cookie_signer(app, monkeypatch):
    """Every LINE webhook: Flask would make a signer per request for nothing. A session
    still works: the login sets the cookie, and the next page reads it."""
    from bot.web import CookieSessions

    built = []
    signer = CookieSessions.get_signing_serializer
    monkeypatch.setattr(CookieSessions, "get_signing_serializer",
                        lambda self, app: built.append(1) or signer(self, app))
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    assert client.post("/callback", data=b"{}").status_code == 400  # unsigned
    assert built == []
    logged_in(client)  # the CSRF token and the login live in the session cookie
    assert built and client.get("/admin/").status_code == 200
