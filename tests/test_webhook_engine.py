"""The webhook with the real answer engine over a real index built into a temporary folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.webhook_support import (
    SECRET,
    TOKEN,
    USER_ID,
    mention_of,
    payload,
    post,
    source,
    text_event,
)

ROOT = Path(__file__).resolve().parent.parent
VISION_SPM13 = "เป็นผู้นำในการพัฒนาคุณภาพการศึกษาสู่ความเป็นเลิศ"
VISION_CHANGED = "เป็นองค์กรแห่งการเรียนรู้ที่ทดสอบการสร้างดัชนีใหม่"


def rebuild(corpus: Path, db: Path) -> None:
    """`python -m index rebuild`, the same command admins and the Procfile run."""
    subprocess.run(
        [sys.executable, "-m", "index", "rebuild", "--corpus", str(corpus), "--db", str(db)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


pytestmark = pytest.mark.usefixtures("clean_environment")


@pytest.fixture(scope="module")
def built_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("index")
    rebuild(ROOT / "corpus", folder / "index.db")
    return folder / "index.db"


@pytest.fixture
def make_client(make_app):
    """A client of an app answering from the index at `db` (rebuilt by some tests)."""

    def make(db: Path, state: Path, **overrides):
        config = {
            "PLANBOT_DB": str(db),
            "PLANBOT_STATE_DB": str(state),
            "PLANBOT_REPLY_WAIT": 30,  # the first answer loads the index and the tokenizer
            **overrides,
        }
        return make_app(**config).test_client()

    return make


def ask(client, fake_line, text: str, src: dict | None = None, mention: dict | None = None):
    """Send one message; return the JSON messages LINE received in reply."""
    before = len(fake_line.replies())
    assert post(client, payload(text_event(text, src, mention=mention))).status_code == 200
    reply = fake_line.wait_for(before + 1, path="/v2/bot/message/reply")[-1]
    assert reply.status == 200, reply.response
    return reply.messages


def shown_text(messages: list[dict]) -> str:
    """What a user reads: texts, or a Flex's altText (which carries the whole answer)."""
    return "\n".join(m.get("text") or m.get("altText", "") for m in messages)


def test_choose_owner_is_remembered_and_sdk_json_is_within_limits(built_index, tmp_path, fake_line, make_client):
    client = make_client(built_index, tmp_path / "state.db")
    owners = ask(client, fake_line, "เลือกเขต")
    items = owners[-1]["quickReply"]["items"]
    assert 2 <= len(items) <= 13
    assert all(len(i["action"]["label"]) <= 20 for i in items)
    spm13 = next(i["action"]["text"] for i in items if "สพม.13" in i["action"]["label"])
    ask(client, fake_line, spm13)
    answer = ask(client, fake_line, "พันธกิจ")
    assert len(answer) <= 5
    assert "สพม.13" in shown_text(answer)
    for message in answer:
        if message["type"] == "text":
            assert len(message["text"]) <= 5000
        else:
            assert message["type"] == "flex" and len(message["altText"]) <= 400
    assert "ส่งเสริม สนับสนุนให้โรงเรียนจัดการศึกษาอย่างมีคุณภาพ" in shown_text(answer)


def test_group_follow_up_with_mention_uses_the_group_state(built_index, tmp_path, fake_line, make_client):
    client = make_client(built_index, tmp_path / "state.db")
    first = "@planbot วิสัยทัศน์ สพม.13"
    ask(client, fake_line, first, source("group"), mention_of(first, "planbot"))
    follow_up = "@planbot แล้วพันธกิจล่ะ"
    answer = ask(client, fake_line, follow_up, source("group"), mention_of(follow_up, "planbot"))
    assert "พันธกิจ" in shown_text(answer) and "สพม.13" in shown_text(answer)


def test_rebuild_while_running_is_picked_up_at_the_next_message(tmp_path, fake_line, make_client):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    db = tmp_path / "index.db"
    rebuild(corpus, db)
    client = make_client(db, tmp_path / "state.db")
    assert VISION_SPM13 in shown_text(ask(client, fake_line, "วิสัยทัศน์ สพม.13"))
    built_before = client.get("/healthz").get_json()["index"]

    plan = corpus / "spm-13.txt"
    plan.write_text(plan.read_text(encoding="utf-8").replace(VISION_SPM13, VISION_CHANGED),
                    encoding="utf-8")
    rebuild(corpus, db)  # the app keeps running: no restart, no new client

    after = shown_text(ask(client, fake_line, "วิสัยทัศน์ สพม.13"))
    assert VISION_CHANGED in after and VISION_SPM13 not in after
    assert client.get("/healthz").get_json()["index"]["owners"] == built_before["owners"]


def test_healthz_with_a_real_index(built_index, tmp_path, fake_line, make_client):
    client = make_client(built_index, tmp_path / "state.db")
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.get_json()
    assert data["status"] == "ok"
    assert data["index"]["owners"] >= 1 and data["index"]["passages"] >= 1
    assert data["index"]["built_at"]
    assert SECRET not in response.text and TOKEN not in response.text and USER_ID not in response.text


def test_missing_index_still_returns_200_to_line(tmp_path, fake_line, make_client):
    client = make_client(tmp_path / "nothing.db", tmp_path / "state.db")
    assert post(client, payload(text_event("วิสัยทัศน์"))).status_code == 200
    [reply] = fake_line.wait_for(1, path="/v2/bot/message/reply")
    assert "ขออภัย" in reply.messages[0]["text"]
    assert client.get("/healthz").status_code == 503


def test_index_cli_is_mounted_on_the_app(runner):
    result = runner.invoke(args=["index", "--help"])
    assert result.exit_code == 0
    assert "rebuild" in result.output
