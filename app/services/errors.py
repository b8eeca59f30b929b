"""Errors a user can act on, each with a message in Chinese that the UI and CLI show as they are."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a forbidden action: shown to the user; nothing was changed."""

    def __init__(self, message: str, errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or [message]


class ValidationError(UserError):
    """Input that breaks a rule; the messages say which field and why."""


class PermissionDenied(UserError):
    """The logged-in role may not do this."""


class AuthError(UserError):
    """Login refused: wrong password, locked or inactive account."""
