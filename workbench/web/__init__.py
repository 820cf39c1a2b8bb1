"""The web editor: an app factory, one blueprint per module, no work at import time."""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Flask, Response, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import RequestEntityTooLarge

from workbench.config import Settings, ensure_instance, load_settings
from workbench.db.session import Database
from workbench.errors import StaleVersion, WorkbenchError

log = logging.getLogger(__name__)

csrf = CSRFProtect()


def create_app(test_config: dict[str, Any] | None = None, *, settings: Settings | None = None) -> Flask:
    settings = ensure_instance(settings or load_settings())
    app = Flask(__name__, instance_path=str(settings.instance_path.resolve()))
    app.config.from_mapping(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=(settings.max_upload_mb + 1) << 20,  # one photo per request, and its form
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(settings.secure_cookies),
        WTF_CSRF_TIME_LIMIT=None,
        WORKBENCH_SETTINGS=settings,
    )
    if test_config:
        app.config.from_mapping(test_config)
    app.extensions["workbench.db"] = Database(settings.resolved_database_url)
    _register_timing(app)  # first, so the login check is timed too
    _register_security_headers(app)
    csrf.init_app(app)

    from workbench.web import auth, delos, downloads, editor, files, pages, search, upload

    auth.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(editor.bp)
    app.register_blueprint(files.bp)
    app.register_blueprint(delos.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(upload.bp)
    app.register_blueprint(downloads.bp)
    _register_errors(app)
    return app


# Scripts and styles come only from the app's own static files: no inline script can run, whatever text
# a transcription holds.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
                           "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
                           "frame-ancestors 'none'")


def _register_security_headers(app: Flask) -> None:
    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


def _register_timing(app: Flask) -> None:
    """A Server-Timing header on every response: the server's own share of a request, for benchmarks."""

    @app.before_request
    def start_clock() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def stop_clock(response: Response) -> Response:
        if "started" in g:
            response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - g.started) * 1000:.2f}"
        return response


def _wants_json() -> bool:
    return request.is_json or request.path.startswith("/api/")


def _error_response(message: str, status: int, **extra: Any) -> tuple[Response | str, int]:
    """JSON for the scripts, the error page for a person."""
    if _wants_json():
        return jsonify({"error": message, **extra}), status
    return render_template("error.html", message=message, status=status), status


def _register_errors(app: Flask) -> None:
    @app.errorhandler(WorkbenchError)
    def workbench_error(exc: WorkbenchError) -> tuple[Response | str, int]:
        extra = {"current_version": exc.current_version} if isinstance(exc, StaleVersion) else {}
        return _error_response(str(exc), exc.http_status, **extra)

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc: RequestEntityTooLarge) -> tuple[Response | str, int]:
        return _error_response(
            f"The upload is larger than the {settings().max_upload_mb} MB limit; nothing was stored.", 413)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> tuple[Response | str, int]:
        return _error_response(
            f"The form had expired or came from elsewhere ({exc.description}); reload the page.", 400)


def database() -> Database:
    from flask import current_app

    db: Database = current_app.extensions["workbench.db"]
    return db


def settings() -> Settings:
    from flask import current_app

    value: Settings = current_app.config["WORKBENCH_SETTINGS"]
    return value
