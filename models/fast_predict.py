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


class FastPredictor:
    """Probabilities and contributions of single float64 rows, with one thread."""

    def __init__(self, booster: lgb.Booster):
        self._booster = booster  # the handles below point into it: keep it alive
        self._lib = lgb.basic._LIB
        self.num_features = booster.num_feature()
        self._normal = self._init(PREDICT_NORMAL)
        self._contrib = self._init(PREDICT_CONTRIB)
        self._predict = self._lib.LGBM_BoosterPredictForMatSingleRowFast
        weakref.finalize(self, _free, self._lib, self._normal, self._contrib)

    def _init(self, predict_type: int) -> ctypes.c_void_p:
        handle = ctypes.c_void_p()
        lgb.basic._safe_call(
            self._lib.LGBM_BoosterPredictForMatSingleRowFastInit(
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

    def _run(self, handle, row: np.ndarray, out: np.ndarray) -> None:
        length = ctypes.c_int64(0)
        lgb.basic._safe_call(
            self._predict(
                handle,
                row.ctypes.data_as(ctypes.c_void_p),
                ctypes.byref(length),
                out.ctypes.data_as(ctypes.POINTER(ctypes.c_double)),
            )
        )

    def probabilities(self, matrix: np.ndarray) -> np.ndarray:
        """P(label) for each row of a (n, num_features) matrix."""
        matrix = self._checked(matrix)
        out = np.empty(len(matrix), dtype=np.float64)
        cell = np.empty(1, dtype=np.float64)
        for i, row in enumerate(matrix):
            self._run(self._normal, row, cell)
            out[i] = cell[0]
        return out

    def contributions(self, row: np.ndarray) -> np.ndarray:
        """Per-feature contributions of one row in raw log-odds, bias last."""
        row = self._checked(row[None, :])[0]
        out = np.empty(self.num_features + 1, dtype=np.float64)
        self._run(self._contrib, row, out)
        return out

    def _checked(self, matrix: np.ndarray) -> np.ndarray:
        if matrix.ndim != 2 or matrix.shape[1] != self.num_features:
            raise ValueError(
                f"expected rows of {self.num_features} features, got shape {matrix.shape}"
            )
        return np.ascontiguousarray(matrix, dtype=np.float64)


def _free(lib, *handles: ctypes.c_void_p) -> None:
    for handle in handles:
        lib.LGBM_FastConfigFree(handle)
