#!/usr/bin/env python3
"""The peer of SozmonTimings' locate_* operations: spopt.locate (PuLP with CBC) on the same generated points.

Usage: locate.py OPERATION DEMANDxCANDIDATES REPETITIONS   (OPERATION: locate_pmedian_exact, locate_mclp_exact)
Prints {"operation", "seconds" (median, end to end: cost matrix, model, solve), "times", "check" (objective),
"build_seconds" (the cost matrix and PuLP model alone)}. spopt has no heuristic; both names solve exactly."""
import json
import sys
import time

import numpy as np
import pulp
from spopt.locate import MCLP, PMedian


def points(n, m):
    a, b = 0.6180339887498949, 0.7548776662466927
    i, j = np.arange(n, dtype=float), np.arange(m, dtype=float)
    demand = np.column_stack([30000 * np.mod(i * a, 1.0), 30000 * np.mod(i * b, 1.0)])
    cand = np.column_stack([30000 * np.mod(0.5 + j * a, 1.0), 30000 * np.mod(0.25 + j * b, 1.0)])
    weights = 1.0 + (np.arange(n) * 7919) % 1000
    return demand, cand, weights


def main():
    operation, size, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    n, m = (int(v) for v in size.split("x"))
    demand, cand, weights = points(n, m)
    times, builds, objective = [], [], None
    for _ in range(reps):
        start = time.perf_counter()
        cost = np.hypot(demand[:, None, 0] - cand[None, :, 0], demand[:, None, 1] - cand[None, :, 1])
        if "mclp" in operation:
            model = MCLP.from_cost_matrix(cost, weights, service_radius=1500.0, p_facilities=10)
        else:
            model = PMedian.from_cost_matrix(cost, weights, p_facilities=10)
        builds.append(time.perf_counter() - start)
        model.solve(pulp.PULP_CBC_CMD(msg=False))
        times.append(time.perf_counter() - start)
        objective = float(model.problem.objective.value())
    print(json.dumps({"operation": operation, "argument": size, "seconds": sorted(times)[len(times) // 2], "times": times,
                      "check": objective, "build_seconds": sorted(builds)[len(builds) // 2],
                      "spopt": __import__("spopt").__version__, "pulp": pulp.__version__}))


if __name__ == "__main__":
    main()
