"""LightGBM's single-row prediction API, for the real-time path.

`Booster.predict` re-validates its input, re-parses its parameters and builds a new
predictor on every call: ~20 µs of a five-row score and ~100 µs of a one-row
`pred_contrib`, a third of the request's model time. LightGBM's C API has a variant made
for real-time scoring (`LGBM_BoosterPredictForMatSingleRowFastInit` once, then
`LGBM_BoosterPredictForMatSingleRowFast` per row) that does that work once per model;
this class wraps it. The results are the booster's own (a test compares them with
`Booster.predict`); only the per-call overhead goes. The C library keeps each handle's
scratch space behind its own mutex, so concurrent threads are safe; outputs are fresh
arrays per call.
"""

import ctypes
import weakref

import lightgbm as lgb
import numpy as np

PREDICT_NORMAL = 0  # C_API_PREDICT_NORMAL: probabilities
PREDICT_CONTRIB = 3  # C_API_PREDICT_CONTRIB: SHAP values, bias last
FLOAT64 = 1  # C_API_DTYPE_FLOAT64
PARAMETERS = b"num_threads=1"  # one interaction per call: OpenMP start-up costs more
# (config handle, row address, out length, output address) -> 0 or -1. A prototype of our
# own: raw addresses need no per-call ctypes wrapping (half the cost of a five-row score).
_PREDICT_ROW = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_int64), ctypes.c_void_p
)


class FastPredictor:
    """Probabilities and contributions of single float64 rows, with one thread."""

    def __init__(self, booster: lgb.Booster):
        self._booster = booster  # the handles below point into it: keep it alive
        lib = lgb.basic._LIB
        self.num_features = booster.num_feature()
        self._normal = self._init(lib, PREDICT_NORMAL)
        self._contrib = self._init(lib, PREDICT_CONTRIB)
        self._predict = _PREDICT_ROW(("LGBM_BoosterPredictForMatSingleRowFast", lib))
        weakref.finalize(self, _free, lib, self._normal, self._contrib)

    def _init(self, lib, predict_type: int) -> ctypes.c_void_p:
        handle = ctypes.c_void_p()
        lgb.basic._safe_call(
            lib.LGBM_BoosterPredictForMatSingleRowFastInit(
                self._booster._handle,
                ctypes.c_int(predict_type),
                ctypes.c_int(0),  # start iteration
                ctypes.c_int(-1),  # every iteration
                ctypes.c_int(FLOAT64),
                ctypes.c_int32(self.num_features),
                ctypes.c_char_p(PARAMETERS),
                ctypes.byref(handle),
            )
        )
        return handle

    def probabilities(self, matrix: np.ndarray) -> np.ndarray:
        """P(label) for each row of a (n, num_features) matrix."""
        matrix = self._checked(matrix)
        out = np.empty(len(matrix), dtype=np.float64)
        self._rows(self._normal, matrix, out.ctypes.data, out.itemsize)
        return out

    def contributions(self, row: np.ndarray) -> np.ndarray:
        """Per-feature contributions of one row in raw log-odds, bias last."""
        matrix = self._checked(row[None, :])
        out = np.empty(self.num_features + 1, dtype=np.float64)
        self._rows(self._contrib, matrix, out.ctypes.data, 0)
        return out

    def _rows(self, handle, matrix: np.ndarray, out_address: int, out_step: int) -> None:
        """Predict each row of a C-contiguous float64 matrix into memory at `out_address`."""
        length = ctypes.c_int64(0)
        row_address, row_step = matrix.ctypes.data, matrix.strides[0]
        for i in range(len(matrix)):
            code = self._predict(
                handle, row_address + i * row_step, ctypes.byref(length), out_address + i * out_step
            )
            if code != 0:
                raise lgb.basic.LightGBMError(lgb.basic._LIB.LGBM_GetLastError().decode())

    def _checked(self, matrix: np.ndarray) -> np.ndarray:
        if matrix.ndim != 2 or matrix.shape[1] != self.num_features:
            raise ValueError(
                f"expected rows of {self.num_features} features, got shape {matrix.shape}"
            )
        return np.ascontiguousarray(matrix, dtype=np.float64)


def _free(lib, *handles: ctypes.c_void_p) -> None:
    for handle in handles:
        lib.LGBM_FastConfigFree(handle)
