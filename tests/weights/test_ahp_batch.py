"""The batched AHP priorities (mcda_ckm.weights.ahp.priorities_batch), used by the sensitivity
analysis's sampling: equal, matrix by matrix, to ahp.priorities."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcda_ckm.model import scale
from mcda_ckm.weights import ahp


@st.composite
def stacks(draw: st.DrawFn) -> np.ndarray:
    """A stack of reciprocal matrices of one size, Saaty-scale judgements, some missing (but
    every matrix linked: the first row is always known)."""
    n = draw(st.integers(2, 7))
    count = draw(st.integers(1, 6))
    out = np.empty((count, n, n))
    for k in range(count):
        for i in range(n):
            out[k, i, i] = 1.0
            for j in range(i + 1, n):
                missing = i > 0 and draw(st.booleans())
                v = np.nan if missing else draw(st.sampled_from(scale.VALUES))
                out[k, i, j], out[k, j, i] = v, 1 / v
    return out


@settings(max_examples=80, deadline=None)
@given(stacks(), st.sampled_from(["eigenvector", "geometric_mean"]))
def test_priorities_batch_equals_priorities_per_matrix(stack, method):
    got = ahp.priorities_batch(stack, method)
    for k, a in enumerate(stack):
        np.testing.assert_allclose(got[k], ahp.priorities(a, method).weights, rtol=1e-12)


@pytest.mark.parametrize("method", ["eigenvector", "geometric_mean"])
def test_priorities_batch_of_consistent_matrices_are_their_weights(method):
    """Hand-derived: a consistent matrix a_ij = w_i / w_j has A w = n w, so its principal
    eigenvector and its row geometric means are w; with a judgement missing, Harker's matrix
    and the Laplacian system are still solved by w."""
    w = np.array([[0.4, 0.3, 0.2, 0.1], [0.1, 0.2, 0.3, 0.4]])
    stack = w[:, :, None] / w[:, None, :]
    stack[1, 0, 3] = stack[1, 3, 0] = np.nan
    np.testing.assert_allclose(ahp.priorities_batch(stack, method), w, rtol=1e-9)
