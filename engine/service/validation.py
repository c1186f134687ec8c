"""Pydantic validation with the engine's error: the first problem, as :class:`~engine.errors.InputError`."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import InputError

__all__ = ["validated"]

M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], data: Any, source: str, prefix: str = "") -> M:
    """``data`` as ``model``; a problem names ``source`` and the field (dotted, after ``prefix``)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise InputError(first["msg"], path=source, field=f"{prefix}{field}" if field else None) from None
