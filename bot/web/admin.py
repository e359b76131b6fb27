"""`/admin`: the console for office staff, behind PLANBOT_ADMIN_TOKEN (404 when it is unset).

Pages: the plans loaded, one plan's tree, uploading a plan (check, then publish) and the report
of unanswered questions. Every page needs a logged-in session (`bot.web.security`); every
form carries the session's CSRF token.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from bot.web import plans, report
from bot.web.security import admin_token, check_csrf, csrf_token, is_admin, log_in, token_matches
from bot.webhook import EXTENSION

logger = logging.getLogger(__name__)

bp = Blueprint("admin", __name__, url_prefix="/admin")

#: Periods the report offers, in days (those longer than PLANBOT_LOG_DAYS are left out).
PERIODS = (1, 7, 30, 90, 365)
#: Login attempts allowed per client address per minute: guessing a token takes forever anyway;
#: this keeps a script from trying.
LOGIN_TRIES = 10


@bp.before_request
def guard():
    """Off without a token; the login page for anyone else; the CSRF token on every POST."""
    if not admin_token():
        abort(404)
    if request.endpoint == "admin.upload" and request.method == "POST":
        request.max_content_length = plans.UPLOAD_MAX_BYTES  # before the form is read
    if request.endpoint != "admin.login" and not is_admin():
        if request.method == "GET":
            return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
        abort(403)
    check_csrf()
    return None


@bp.context_processor
def page_values():
    """What every console page's forms need: the session's CSRF token."""
    return {"csrf_token": csrf_token()}


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The token form; a right token starts an admin session."""
    target = local_path(request.values.get("next", "")) or url_for("admin.index")
    if request.method == "POST":
        if not _login_allowed():
            logger.warning("admin: too many login attempts from one address; refused for now")
            return render_template("admin/login.html", next=target, wrong=False,
                                   too_many=True), 429
        if token_matches(request.form.get("token", "")):
            log_in()
            logger.info("admin: logged in")
            return redirect(target)
        logger.warning("admin: a login with a wrong token was refused")
        return render_template("admin/login.html", next=target, wrong=True, too_many=False), 403
    return render_template("admin/login.html", next=target, wrong=False, too_many=False)


def local_path(target: str) -> str | None:
    r"""`target` if it is a path on this site, else None (a login's next= must not send the
    admin to another site). Browsers drop tabs and newlines from a URL and read a backslash
    as a slash, so "/\t/evil.example" and "/\evil.example" go where "//evil.example" goes:
    a target with any such character, or a space, is refused whole rather than cleaned."""
    if not target.startswith("/") or target.startswith("//"):
        return None
    if not target.isprintable() or " " in target or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _login_allowed() -> bool:
    """At most LOGIN_TRIES a minute per client address, counted in the shared state store
    (under a keyed hash of the address, like every key there)."""
    store = current_app.extensions[EXTENSION].store
    try:
        verdict = store.hit_rate(store.key("admin-login", request.remote_addr or "?"),
                                 LOGIN_TRIES, 60.0)
    except Exception:  # a broken state store must not lock the admin out
        logger.exception("admin: login attempts could not be counted")
        return True
    return verdict == "ok"


@bp.post("/logout")
def logout():
    """End the admin session."""
    session.clear()
    return redirect(url_for("admin.login"))


@bp.get("/")
def index():
    """The plans in the index the bot is answering from."""
    loaded = _loaded_index()
    if loaded is None:
        return render_template("admin/plans.html", meta={}, plans=[], page="plans")
    return render_template("admin/plans.html", meta=loaded.meta,
                           plans=plans.summaries(loaded), page="plans")


@bp.get("/plans/<owner_id>")
def plan(owner_id: str):
    """One plan's tree as `python -m index show` prints it."""
    loaded = _loaded_index()
    if loaded is None or owner_id not in loaded.owners:
        abort(404)
    lines = plans.tree_lines(loaded.owners[owner_id], loaded.plan(owner_id))
    return render_template("admin/plan.html", owner_id=owner_id, lines=lines, page="plans")


def _loaded_index():
    """The index the running engine answers from (`index.store.Store`), or None without one."""
    try:
        return current_app.extensions[EXTENSION].engine(fresh=True).store
    except Exception:  # no index built yet, or an engine without a store
        logger.warning("admin: no index to show", exc_info=True)
        return None


@bp.route("/upload", methods=["GET", "POST"])
def upload():
    """The upload form; posted, the document is staged and checked (nothing published yet)."""
    suffixes = plans.readable_suffixes()
    if request.method == "GET":
        return render_template("admin/upload.html", suffixes=suffixes, result=None, error="",
                               form={}, page="upload")
    document = request.files.get("document")
    try:
        if document is None or not document.filename:
            raise plans.UploadError("choose a plan document to upload")
        result = plans.stage(
            current_app.config["PLANBOT_DB"],
            document.filename,
            document.read(),
            plans.metadata(request.form),
            request.form.get("owner_id", ""),
        )
    except plans.UploadError as error:
        return render_template("admin/upload.html", suffixes=suffixes, result=None,
                               error=str(error), form=request.form, page="upload"), 400
    status = 200 if result.ok else 422
    return render_template("admin/upload.html", suffixes=suffixes, result=result, error="",
                           form=request.form, page="upload"), status


@bp.post("/publish")
def publish():
    """Publish a checked upload: into the corpus, and the index rebuilt atomically."""
    stage_id = request.form.get("stage_id", "")
    try:
        stats = plans.publish(current_app.config["PLANBOT_DB"], stage_id)
    except plans.UploadError as error:
        flash(str(error), "error")
        return redirect(url_for("admin.upload"))
    except Exception as error:  # the build's own message names the file and line
        logger.exception("admin: publishing failed; the corpus was restored")
        flash(f"publishing failed, nothing changed: {error}", "error")
        return redirect(url_for("admin.upload"))
    logger.info("admin: published a plan; index rebuilt: %s", stats.summary())
    flash(f"เผยแพร่แล้ว: ดัชนีสร้างใหม่ ({stats.summary()}); บอทตอบจากแผนใหม่ตั้งแต่ข้อความถัดไป",
          "ok")
    return redirect(url_for("admin.index"))


@bp.get("/questions")
def questions():
    """Unanswered questions over a chosen period, grouped by similar wording."""
    log = current_app.extensions[EXTENSION].questions
    if log is None:
        return render_template("admin/questions.html", log=None, groups=[], days=0,
                               periods=[], page="questions")
    periods = [d for d in PERIODS if d < log.days] + [log.days]
    days = request.args.get("days", type=int) or log.days
    days = min(max(days, 1), log.days)
    now = time.time()
    since = now - days * 86400
    entries = log.entries(since=since, until=now, limit=report.MAX_ROWS)  # the latest only
    total = len(entries) if len(entries) < report.MAX_ROWS else log.count(since, now)
    groups = report.group_questions(entries)
    return render_template("admin/questions.html", log=log, groups=groups, days=days,
                           periods=periods, total=total, grouped=len(entries), page="questions",
                           thai_time=report.thai_time, since=report.thai_time(since),
                           until=report.thai_time(now))
