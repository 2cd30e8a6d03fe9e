"""JSON at the edge: snake_case models from camelCase replies, and request values the server reads exactly."""
from __future__ import annotations

import dataclasses
import re
import sys
import typing
from typing import Any, Dict, Mapping, Type, TypeVar

T = TypeVar("T")

# Coffre runs on JavaScript: integers beyond 2^53 - 1 lose digits as JSON numbers, so they go as decimal strings.
_MAX_SAFE_INTEGER = 2**53 - 1
_CAMEL_BOUNDARY = re.compile(r"_([a-z0-9])")


def to_camel(name: str) -> str:
    return _CAMEL_BOUNDARY.sub(lambda m: m.group(1).upper(), name)


def json_safe(value: Any) -> Any:
    """Big integers as decimal strings, bytes as 0x-hex; containers copied; other values as they are."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return str(value) if abs(value) > _MAX_SAFE_INTEGER else value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "0x" + bytes(value).hex()
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


def camel_body(**fields: Any) -> Dict[str, Any]:
    """A request body from snake_case keyword arguments; None means "not given" and is left out."""
    return {to_camel(k): json_safe(v) for k, v in fields.items() if v is not None}


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Union:
        for arg in args:
            if arg is not type(None):
                if dataclasses.is_dataclass(arg) or typing.get_origin(arg) in (list, typing.List):
                    return _convert(arg, value)
        return value
    if origin in (list, typing.List) and args:
        return [_convert(args[0], item) for item in value]
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return from_json(hint, value)
    return value


def from_json(cls: Type[T], data: Mapping[str, Any], **extra: Any) -> T:
    """Builds dataclass ``cls`` from a camelCase JSON object; fields a newer server adds are ignored."""
    module = sys.modules[cls.__module__]
    hints = typing.get_type_hints(cls, vars(module))
    values: Dict[str, Any] = {}
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        if field.name in extra:
            values[field.name] = extra[field.name]
            continue
        key = to_camel(field.name)
        if key in data:
            values[field.name] = _convert(hints[field.name], data[key])
        elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:  # type: ignore[misc]
            values[field.name] = None
    return cls(**values)
