#!/usr/bin/env bash
# Reproduces the performance table of docs/performance.md: every row run by neuralj and by its peer (PyTorch for the
# workloads, OpenBLAS through numpy for GEMM, the library PyTorch's products call), interleaved, each run a fresh
# process under `flock /tmp/bench.lock` (so concurrent benchmark runs on the machine queue instead of overlapping),
# then a markdown table of medians with ratio = neuralj / peer.
#
# Usage: nn-bench/compare.sh [-n RUNS] [--no-build] [--out DIR] [ROW...]
#        nn-bench/compare.sh --table DIR       (only print the table of an earlier run's JSON lines)
#   ROW   a b c cnn gemm (default: all five); RUNS: runs per row and side, default 3
#   --no-build  use the nn-bench/target/benchmarks.jar that is there
#   --out DIR   where the JSON lines go (emptied first); default nn-bench/target/compare
# Needs: python3-torch python3-sklearn python3-threadpoolctl dataset-fashion-mnist (see nn-bench/peers/).
# neuralj runs with the launcher's JVM options (DEFAULT_JVM_OPTS in nn-examples/src/dist/bin/neuralj), so peak RSS
# is the one a user gets; extra options for our side can be given in NEURALJ_JAVA_OPTS, the java binary in JAVA_HOME.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd -P)
root=$(dirname "$here")
runs=3
build=1
out="$here/target/compare"
rows=()
table_only=0
while [ $# -gt 0 ]; do
  case $1 in
    -n) runs=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --out) out=$2; shift 2 ;;
    --table) out=$2; table_only=1; shift 2 ;;
    a|b|c|cnn|gemm) rows+=("$1"); shift ;;
    *) echo "unknown argument '$1'; usage: compare.sh [-n RUNS] [--no-build] [--out DIR] [a] [b] [c] [cnn] [gemm]" >&2
       exit 2 ;;
  esac
done
[ ${#rows[@]} -gt 0 ] || rows=(a b c cnn gemm)
case $runs in ''|*[!0-9]*|0) [ "$table_only" = 1 ] || echo "-n needs a positive number of runs, got '$runs'" >&2; exit 2 ;; esac

jar="$here/target/benchmarks.jar"
if [ "$table_only" = 1 ]; then
  build=0
  runs=0
fi
if [ "$build" = 1 ]; then
  (cd "$root" && ./mvnw -B -q -o package -pl nn-bench -am -DskipTests)
fi
[ "$table_only" = 1 ] || [ -f "$jar" ] || { echo "$jar is missing: build it (drop --no-build)" >&2; exit 1; }

# The launcher's JVM options: one definition, read from the launcher itself.
eval "$(grep '^DEFAULT_JVM_OPTS=' "$root/nn-examples/src/dist/bin/neuralj")"
if [ -n "${JAVA_HOME:-}" ]; then java=$JAVA_HOME/bin/java; else java=java; fi
# shellcheck disable=SC2086 # the options are words
ours=("$java" $DEFAULT_JVM_OPTS ${NEURALJ_JAVA_OPTS:-})
# PyTorch at its best on 2 cores (nn-bench/peers): Debian's interpreter, OpenBLAS not held to AVX2.
python=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3)

if [ "$table_only" = 0 ]; then
  rm -rf "$out"
  mkdir -p "$out"
fi
# Runs a command under the lock and appends the JSON lines of its output to a file.
record() {
  local file=$1; shift
  flock /tmp/bench.lock "$@" 2>>"$out/stderr.log" | grep '^{' >>"$out/$file" || {
    echo "failed: $* (see $out/stderr.log)" >&2; exit 1; }
}

start=$(date +%s)
for run in $(seq 1 "$runs"); do  # no runs with --table
  for row in "${rows[@]}"; do
    echo "run $run/$runs: $row" >&2
    case $row in
      gemm)
        flock /tmp/bench.lock "${ours[@]}" -jar "$jar" GemmBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s -p kernel=auto \
          -p shape="256x256x256 nn","512x512x512 nn","1024x1024x1024 nn" -rf json -rff "$out/jmh-$run.json" \
          >>"$out/jmh.log" 2>>"$out/stderr.log" || { echo "failed: GemmBenchmark (see $out/jmh.log)" >&2; exit 1; }
        python3 -c 'import json,sys
for b in json.load(open(sys.argv[1])):
    g = max(max(fork) for fork in b["secondaryMetrics"]["gflop"]["rawData"])  # the best 1 s iteration
    print(json.dumps({"n": int(b["params"]["shape"].split("x")[0]), "gflops": g}))' "$out/jmh-$run.json" \
          >>"$out/ours-gemm.jsonl"
        record peer-gemm.jsonl "${python[@]}" "$here/peers/numpy_sgemm.py" --threads 2 --sizes 256 512 1024
        ;;
      cnn)
        record ours-cnn.jsonl "${ours[@]}" -cp "$jar" org.neuralj.bench.Workloads cnn
        # The convolutions run on oneDNN's OpenMP pool: 2 intra-op threads is PyTorch's fastest setting for cnn.
        record peer-cnn.jsonl "${python[@]}" "$here/peers/torch_mlp.py" --task cnn --threads 2 --blas-threads 1 --quiet
        ;;
      *)
        record "ours-$row.jsonl" "${ours[@]}" -cp "$jar" org.neuralj.bench.Workloads "$row"
        record "peer-$row.jsonl" "${python[@]}" "$here/peers/torch_mlp.py" --task "$row" --threads 1 \
          --blas-threads 2 --quiet
        ;;
    esac
  done
done
[ "$table_only" = 1 ] || echo "$(( $(date +%s) - start )) s for $runs runs; JSON lines in $out" >&2

python3 - "$out" "$(cat /proc/loadavg 2>/dev/null || true)" "${ours[*]}" <<'PY'
import json, os, statistics, sys

out, load, ours_cmd = sys.argv[1], sys.argv[2], sys.argv[3]

def lines(name):
    path = os.path.join(out, name)
    return [json.loads(l) for l in open(path)] if os.path.exists(path) else []

def med(records, key):
    values = [key(r) for r in records]
    return statistics.median(values) if values else None

def fmt(x, unit):
    if x is None:
        return "-"
    if unit == "k/s":
        return f"{x / 1000:.0f}k" if x >= 10_000 else f"{x / 1000:.1f}k"
    if unit == "MiB":
        return f"{x:.0f} MiB"
    if unit == "%":
        return f"{100 * x:.2f}%"
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"

rows = []
def row(label, ours, peer, unit, target):
    ratio = f"{ours / peer:.2f}" if ours is not None and peer else "-"
    rows.append(f"| {label} | {fmt(ours, unit)} | {fmt(peer, unit)} | {ratio} | {target} |")

for w, label, target in (("a", "A digits 64-30-10 sigmoid, SGD, batch 10, 30 epochs: training s", "<= 0.10 s"),
                         ("b", "B digits 64-128-10 ReLU, Adam, batch 32, 50 epochs: training s", "<= 0.15 s")):
    o, p = lines(f"ours-{w}.jsonl"), lines(f"peer-{w}.jsonl")
    if o or p:
        row(label, med(o, lambda r: r["train_s"]), med(p, lambda r: r["train_s"]), "s", target)
for w, name, t_epoch, t_all in (("c", "C Fashion 784-256-128-10, Adam, batch 128", "<= 0.25 s", "<= 1.4 s"),
                                ("cnn", "CNN Fashion LeNet-5, Adam, batch 64", "", "")):
    o, p = lines(f"ours-{w}.jsonl"), lines(f"peer-{w}.jsonl")
    if not (o or p):
        continue
    epochs = "5" if w == "c" else "3"
    row(f"{name}: s per epoch (median)", med(o, lambda r: r["epoch_s_median"]),
        med(p, lambda r: r["epoch_s_median"]), "s", t_epoch)
    row(f"{w.upper()}: first epoch, s", med(o, lambda r: r["epoch_s"][0]), med(p, lambda r: r["epoch_s"][0]), "s", "")
    row(f"{w.upper()}: {epochs} epochs in all, first epoch included", med(o, lambda r: r["train_s"]),
        med(p, lambda r: r["train_s"]), "s", t_all)
    row(f"{w.upper()}: test accuracy", med(o, lambda r: r["test_accuracy"]), med(p, lambda r: r["final_acc"]), "%", "")
    row(f"{w.upper()}: peak RSS, as a user launches it", med(o, lambda r: r["peak_rss_mib"]),
        med(p, lambda r: r["peak_rss_mib"]), "MiB", "<= 450 MiB" if w == "c" else "")
    row(f"{w.upper()}: inference batch 1, samples/s", med(o, lambda r: r["infer_b1_samples_per_s"]),
        med(p, lambda r: r["infer_b1_samples_per_s"]), "k/s", ">= 2.0x" if w == "c" else "")
    row(f"{w.upper()}: inference batch 1024, samples/s", med(o, lambda r: r["infer_b1024_samples_per_s"]),
        med(p, lambda r: r["infer_b1024_samples_per_s"]), "k/s", ">= 1.2x" if w == "c" else "")
o, p = lines("ours-gemm.jsonl"), lines("peer-gemm.jsonl")
for n, target in ((256, ">= 0.9"), (512, ">= 1.0"), (1024, ">= 1.0")):
    on = [r for r in o if r["n"] == n]
    pn = [r for r in p if r["n"] == n]
    if on or pn:
        row(f"GEMM 2 threads n = {n}, GFLOP/s, best of 5 s (peer: OpenBLAS sgemm via numpy, best of 7)",
            med(on, lambda r: r["gflops"]), med(pn, lambda r: r["gflops_best"]), "GF", target)

runs = max([len(lines(f)) for f in os.listdir(out) if f.startswith("ours-") and f != "ours-gemm.jsonl"]
           + [len(lines("ours-gemm.jsonl")) // 3])
print(f"Medians of {runs} runs per side, interleaved, each a fresh process; ratio = neuralj / peer "
      f"(times: lower is better; rates: higher). Load average at the end: {load}. neuralj: `{ours_cmd}`.\n")
print("| workload | neuralj | peer | ratio | target |")
print("|---|---|---|---|---|")
print("\n".join(rows))
PY
