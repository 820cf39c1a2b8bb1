"""One exception tree; each class carries its CLI exit code and HTTP status.

The CLI turns these into exit codes in one place (cli.main); the web app turns them into
responses in one place (web.create_app).
"""

from __future__ import annotations


class WorkbenchError(Exception):
    exit_code = 1
    http_status = 500


class BadInput(WorkbenchError):
    """Input the user gave that cannot be used (a file, an option, a form field)."""

    exit_code = 2
    http_status = 400


class NotFound(WorkbenchError):
    exit_code = 2
    http_status = 404


class Forbidden(WorkbenchError):
    """The user's role does not allow this."""

    exit_code = 2
    http_status = 403


class ConfigError(WorkbenchError):
    exit_code = 3


class MissingDependency(WorkbenchError):
    """An external program or its data is missing; the message says how to install it."""

    exit_code = 4


class OcrError(WorkbenchError):
    """OCR failed on one page; the batch records it and goes on."""

    exit_code = 5
    http_status = 422


class OcrTimeout(OcrError):
    pass


class ImageError(BadInput):
    """A file that cannot be read as an image."""


class StaleVersion(WorkbenchError):
    """A save based on a version that is no longer the current one."""

    exit_code = 6
    http_status = 409

    def __init__(self, message: str, *, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version


class BatchHadFailures(WorkbenchError):
    """The batch finished, but some pages failed; their reasons are recorded."""

    exit_code = 7
