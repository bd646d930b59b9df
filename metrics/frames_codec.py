"""Frames and plain values to bytes and back, for results kept in the store: numpy buffers and JSON, never pickle.

A stored payload is read by every web worker: it must not be able to run code, so only these kinds are
written — numpy columns (float, int, bool, datetime64), pandas' masked columns (Int64, boolean, Float64),
strings (as codes into a JSON list) and categoricals (codes plus their categories) — and anything else is
refused with the column's name. Layout: MAGIC, the header's length (4 bytes, little-endian), the JSON
header, then the column buffers one after another.
"""

from __future__ import annotations

import json
import struct
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # imported where frames are made: metrics.plain_csv reads the buffers with numpy alone
    import pandas as pd

FRAME_MAGIC = b"SDF1"
VALUE_MAGIC = b"SDV1"


class CodecError(TypeError):
    """A value this codec does not write (it names the column or the type)."""


class _Writer:
    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def add(self, array: np.ndarray) -> dict[str, Any]:
        data = np.ascontiguousarray(array).tobytes()
        spec = {"dtype": array.dtype.str, "offset": self.size, "count": len(array)}
        self.parts.append(data)
        self.size += len(data)
        return spec


def buffer(payload: memoryview, base: int, spec: dict[str, Any]) -> np.ndarray:
    """One column buffer a header names (a copy)."""
    # A copy: the arrays outlive the payload, and pandas may write to what it is given.
    dtype, at = np.dtype(spec["dtype"]), base + spec["offset"]
    return np.frombuffer(payload, dtype=dtype, count=spec["count"], offset=at).copy()


def _json_scalar(value: Any, where: str) -> Any:
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, np.generic):
        return value.item()
    raise CodecError(f"{where}: {type(value).__name__} values cannot be stored")


def _encode_column(values: Any, out: _Writer, where: str) -> dict[str, Any]:
    import pandas as pd

    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        cats = _encode_column(pd.Series(dtype.categories), out, f"{where} categories")
        codes = out.add(np.asarray(values.cat.codes))
        return {"kind": "category", "codes": codes, "categories": cats, "ordered": bool(dtype.ordered)}
    if isinstance(dtype, pd.StringDtype) or pd.api.types.is_object_dtype(dtype):
        try:
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
        except TypeError as exc:  # unhashable values: lists, dicts…
            raise CodecError(f"{where}: {exc}") from exc
        labels = [_json_scalar(v, where) for v in np.asarray(uniques, dtype=object)]
        return {"kind": "text", "dtype": str(dtype), "codes": out.add(codes.astype(np.int32)), "labels": labels}
    if isinstance(dtype, pd.api.extensions.ExtensionDtype) and hasattr(values.array, "_mask"):
        array = values.array
        numpy_type = array.dtype.numpy_dtype
        data = array.to_numpy(dtype=numpy_type, na_value=numpy_type.type(0))
        return {"kind": "masked", "dtype": str(dtype), "data": out.add(data), "mask": out.add(np.asarray(array.isna()))}
    if isinstance(dtype, np.dtype) and dtype.kind in "fiubmM":
        return {"kind": "numpy", "data": out.add(values.to_numpy())}
    raise CodecError(f"{where}: columns of dtype {dtype} cannot be stored")


def _decode_column(spec: dict[str, Any], payload: memoryview, base: int) -> Any:
    import pandas as pd

    kind = spec["kind"]
    if kind == "numpy":
        return buffer(payload, base, spec["data"])
    if kind == "masked":
        array_type = pd.api.types.pandas_dtype(spec["dtype"]).construct_array_type()
        return array_type(buffer(payload, base, spec["data"]), buffer(payload, base, spec["mask"]))
    if kind == "text":
        codes = buffer(payload, base, spec["codes"])
        labels = np.array(spec["labels"], dtype=object)
        values = np.empty(len(codes), dtype=object)
        known = codes >= 0
        values[known] = labels[codes[known]]
        values[~known] = None
        return pd.array(values, dtype=pd.api.types.pandas_dtype(spec["dtype"]))
    if kind == "category":
        categories = pd.Index(_decode_column(spec["categories"], payload, base))
        return pd.Categorical.from_codes(buffer(payload, base, spec["codes"]), categories, ordered=spec["ordered"])
    raise CodecError(f"unknown column kind {kind!r}")


def encode_frame(df: pd.DataFrame) -> bytes:
    """The frame (columns, dtypes, index) as bytes."""
    import pandas as pd

    out = _Writer()
    index: Any
    if isinstance(df.index, pd.RangeIndex) and df.index.start == 0 and df.index.step == 1:
        index = None
    else:
        levels = [pd.Series(df.index.get_level_values(i)) for i in range(df.index.nlevels)]
        index = [
            {"name": _json_scalar(name, "index"), **_encode_column(level, out, "index")}
            for name, level in zip(df.index.names, levels, strict=True)
        ]
    columns = []
    for name, series in df.items():
        if not isinstance(name, str):
            raise CodecError(f"column {name!r}: only text column names are stored")
        columns.append({"name": name, **_encode_column(series, out, f"column {name}")})
    header = json.dumps({"rows": len(df), "index": index, "columns": columns}, ensure_ascii=False).encode()
    return b"".join([FRAME_MAGIC, struct.pack("<I", len(header)), header, *out.parts])


def frame_header(payload: bytes) -> tuple[dict[str, Any], memoryview, int]:
    """A stored frame's header (rows, index, columns: each column's kind and buffers), the payload as a view, and
    where its buffers begin (what `buffer` takes)."""
    if payload[:4] != FRAME_MAGIC:
        raise CodecError("not a stored frame")
    (length,) = struct.unpack("<I", payload[4:8])
    return json.loads(payload[8 : 8 + length]), memoryview(payload), 8 + length


def decode_frame(payload: bytes) -> pd.DataFrame:
    """The frame encode_frame wrote."""
    import pandas as pd

    header, view, base = frame_header(payload)
    data = {c["name"]: _decode_column(c, view, base) for c in header["columns"]}
    index = None
    if header["index"] is not None:
        levels = [pd.Index(_decode_column(spec, view, base), name=spec["name"]) for spec in header["index"]]
        index = levels[0] if len(levels) == 1 else pd.MultiIndex.from_arrays(levels)
    if not data:
        return pd.DataFrame(index=index if index is not None else pd.RangeIndex(header["rows"]))
    return pd.DataFrame(data, index=index, copy=False)


def encode_value(value: Any) -> bytes:
    """A plain value (None, text, numbers, booleans, and tuples, lists and text-keyed dicts of them) as bytes."""
    return VALUE_MAGIC + json.dumps(_tagged(value), ensure_ascii=False).encode()


def decode_value(payload: bytes) -> Any:
    """The value encode_value wrote (tuples come back as tuples)."""
    if payload[:4] != VALUE_MAGIC:
        raise CodecError("not a stored value")
    return _untagged(json.loads(payload[4:]))


def _tagged(value: Any) -> Any:
    if isinstance(value, tuple):
        return {"tuple": [_tagged(v) for v in value]}
    if isinstance(value, list):
        return {"list": [_tagged(v) for v in value]}
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise CodecError("only dicts with text keys are stored")
        return {"dict": {k: _tagged(v) for k, v in value.items()}}
    return {"v": _json_scalar(value, "value")}


def _untagged(node: dict[str, Any]) -> Any:
    if "tuple" in node:
        return tuple(_untagged(v) for v in node["tuple"])
    if "list" in node:
        return [_untagged(v) for v in node["list"]]
    if "dict" in node:
        return {k: _untagged(v) for k, v in node["dict"].items()}
    return node["v"]
