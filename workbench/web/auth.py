"""Logging in and out; every other route needs a logged-in user (see require_login)."""

from __future__ import annotations

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
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("pages.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | BaseResponse | tuple[str, int]:
    from workbench.db.users import authenticate

    if request.method == "GET":
        return render_template("auth/login.html", next=request.args.get("next", ""))
    name = request.form.get("name", "")
    password = request.form.get("password", "")
    with database().session() as session:
        user = authenticate(session, name, password)
        signed_in = _signed_in(user) if user is not None else None
    if signed_in is None:
        flash("Wrong name or password.")
        return render_template("auth/login.html", next=request.form.get("next", ""), name=name), 401
    login_user(signed_in)
    return redirect(_safe_next(request.form.get("next")))


@bp.post("/logout")
def logout() -> BaseResponse:
    logout_user()
    return redirect(url_for("auth.login"))
