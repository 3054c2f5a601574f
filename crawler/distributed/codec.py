"""JSON codec for requests queued in Redis, used instead of scrapy-redis's pickle.

scrapy-redis stores each queued request as ``Request.to_dict()`` serialised by a module with
``dumps`` and ``loads`` (``SCHEDULER_SERIALIZER``); its default is pickle, and unpickling what
anyone who can write to Redis put there runs their code. JSON only ever yields data. Bytes
(bodies, headers) become ``{"$b": base64}`` and dicts with non-string keys (headers)
``{"$d": [[key, value], ...]}``. A meta value that is not plain data raises TypeError naming it.
"""

from __future__ import annotations

import base64
import json
from typing import Any


def _encode(value: Any, where: str) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$b": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, (list, tuple)):
        return [_encode(item, where) for item in value]
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value) and not ({"$b", "$d"} & set(value)):
            return {key: _encode(item, f"{where}.{key}") for key, item in value.items()}
        return {
            "$d": [[_encode(k, where), _encode(v, f"{where}[{k!r}]")] for k, v in value.items()]
        }
    raise TypeError(
        f"cannot queue a request in Redis: {where} is a {type(value).__name__}; only strings, "
        "numbers, bytes, lists and dicts can be queued (keep other objects out of Request.meta)"
    )


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if isinstance(value, dict):
        if set(value) == {"$b"}:
            return base64.b64decode(value["$b"])
        if set(value) == {"$d"}:
            return {_decode(k): _decode(v) for k, v in value["$d"]}
        return {key: _decode(item) for key, item in value.items()}
    return value


def dumps(obj: dict[str, Any]) -> bytes:
    """Serialise a ``Request.to_dict()``; raises TypeError for a value JSON cannot carry."""
    return json.dumps(_encode(obj, "request"), separators=(",", ":")).encode("utf-8")


def loads(data: bytes | str) -> dict[str, Any]:
    """Inverse of :func:`dumps`."""
    return _decode(json.loads(data))
