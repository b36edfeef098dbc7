"""OpenBLAS sgemm GFLOP/s through numpy, the reference for the matrix-product target.

Usage: /usr/bin/python3 nn-bench/peers/numpy_sgemm.py [--threads 2] [--sizes 512 1024]
Prints one JSON line per size: the best of several timed repetitions of C = A @ B in float32.
"""
import argparse
import json
import time

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--sizes", type=int, nargs="+", default=[128, 256, 512, 1024])
    args = ap.parse_args()
    with threadpool_limits(limits=args.threads, user_api="blas"):
        blas = [d.get("internal_api") + " " + str(d.get("version")) for d in threadpool_info()
                if d.get("user_api") == "blas"]
        rng = np.random.default_rng(1)
        for n in args.sizes:
            a = rng.uniform(-1, 1, (n, n)).astype(np.float32)
            b = rng.uniform(-1, 1, (n, n)).astype(np.float32)
            c = np.empty((n, n), dtype=np.float32)
            flop = 2.0 * n * n * n
            reps = max(1, int(2e9 / flop))
            best = 0.0
            for _ in range(7):
                t0 = time.perf_counter()
                for _ in range(reps):
                    np.matmul(a, b, out=c)
                best = max(best, flop * reps / (time.perf_counter() - t0) / 1e9)
            print(json.dumps({"peer": "numpy", "blas": blas, "threads": args.threads, "n": n,
                              "gflops_best": round(best, 1)}), flush=True)


if __name__ == "__main__":
    main()
