"""Errors the centre answers with: each carries an HTTP status and a message for people."""

from __future__ import annotations


class CenterError(Exception):
    status = 400

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class BadRequest(CenterError):
    status = 400


class Unauthorized(CenterError):
    status = 401


class Forbidden(CenterError):
    status = 403


class UpgradeRequired(CenterError):
    status = 426
