"""Logging in and out; every other route needs a logged-in user (see require_login)."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, flash, jsonify, redirect, render_template, request, url_for
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from werkzeug.wrappers import Response as BaseResponse

from workbench.db.models import Role, User
from workbench.errors import Forbidden
from workbench.web import database

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
OPEN_ENDPOINTS = frozenset({"auth.login", "static"})


@dataclass(frozen=True, slots=True)
class SignedIn(UserMixin):
    id: int
    name: str
    role: Role

    def get_id(self) -> str:
        return str(self.id)


def _signed_in(user: User) -> SignedIn:
    return SignedIn(id=user.id, name=user.name, role=user.role)


@login_manager.user_loader
def load_user(user_id: str) -> SignedIn | None:
    if not user_id.isdigit():
        return None
    with database().session() as session:
        user = session.get(User, int(user_id))
        return _signed_in(user) if user is not None and user.active else None


def init_app(app: Flask) -> None:
    settings = app.config["WORKBENCH_SETTINGS"]
    app.extensions["workbench.throttle"] = Throttle(settings.login_attempts, settings.login_window)
    login_manager.init_app(app)
    app.before_request(require_login)
    app.context_processor(lambda: {"me": current_user})


def require_login() -> Response | BaseResponse | tuple[Response, int] | None:
    """Login on every route, images and downloads included, but the login page and static assets."""
    if request.endpoint in OPEN_ENDPOINTS or current_user.is_authenticated:
        return None
    if request.path.startswith("/api/"):
        return jsonify({"error": "log in first"}), 401
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def me() -> SignedIn:
    user: SignedIn = current_user._get_current_object()
    return user


def require_role_to_verify() -> None:
    if not me().role.can_verify:
        raise Forbidden("only a reviewer or an admin can mark a page verified")


def _safe_next(target: str | None) -> str:
    """Only a path on this site, never another host."""
    if not target:
        return url_for("pages.index")
    parts = urlsplit(target)
    if (parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//")
            or "\\" in target or any(ord(ch) < 32 for ch in target)):  # browsers read /\host as //host
        return url_for("pages.index")
    return target


class Throttle:
    """Failed logins per name and address; past the limit within the window, logging in waits."""

    def __init__(self, attempts: int, window: float) -> None:
        self.attempts, self.window = attempts, window
        self._failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def wait(self, key: tuple[str, str]) -> float:
        """Seconds until another try is allowed; 0 when it is allowed now."""
        with self._lock:
            failures = self._failures[key]
            now = time.monotonic()
            while failures and now - failures[0] > self.window:
                failures.popleft()
            return self.window - (now - failures[0]) if len(failures) >= self.attempts else 0.0

    def failed(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._failures[key].append(time.monotonic())

    def succeeded(self, key: tuple[str, str]) -> None:
        with self._lock:
            self._failures.pop(key, None)


def _throttle() -> Throttle:
    from flask import current_app

    throttle: Throttle = current_app.extensions["workbench.throttle"]
    return throttle


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | BaseResponse | tuple[str, int] | tuple[str, int, dict[str, str]]:
    from workbench.db.users import authenticate

    if request.method == "GET":
        return render_template("auth/login.html", next=request.args.get("next", ""))
    name = request.form.get("name", "")
    password = request.form.get("password", "")
    key = (name.strip().casefold(), request.remote_addr or "")
    wait = _throttle().wait(key)
    if wait:
        minutes = max(1, round(wait / 60))
        flash(f"Too many wrong passwords for this name; try again in about {minutes} minute(s).")
        return (render_template("auth/login.html", next=request.form.get("next", ""), name=name), 429,
                {"Retry-After": str(int(wait) + 1)})
    with database().session() as session:
        user = authenticate(session, name, password)
        signed_in = _signed_in(user) if user is not None else None
    if signed_in is None:
        _throttle().failed(key)
        flash("Wrong name or password.")
        return render_template("auth/login.html", next=request.form.get("next", ""), name=name), 401
    _throttle().succeeded(key)
    login_user(signed_in)
    return redirect(_safe_next(request.form.get("next")))


@bp.post("/logout")
def logout() -> BaseResponse:
    logout_user()
    return redirect(url_for("auth.login"))
