"""Benchmark `events run` against a raw spaCy parse of the same articles (`make bench`).

For 1 and 2 workers it times `events run` end to end (a fresh DuckDB file, process start to exit) and a raw
`nlp.pipe` of the same texts with the same model (the pipe call alone, model already loaded: the harder baseline),
and reports articles/s, words/s, the ratio raw_time / run_time and the peak resident memory of the whole process
tree. Each is run `--repeat` times (5), the worker counts interleaved, and the median is reported with every
run's time, since timings on a shared machine vary by about 10%. It also runs one worker on a corpus 10x larger to
show that memory stays flat.

The corpus is `bench/corpus/news_feed.jsonl`, a general news feed written for the project (see its README),
repeated `--scale` times under new ids. Results go to bench/results/bench.json and bench/results/bench.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "bench" / "corpus" / "news_feed.jsonl"
RESULTS = ROOT / "bench" / "results"
EVENTS = [sys.executable, "-m", "events"]

RAW_SCRIPT = """
import json, sys, time
from events.parse import default_model_name
import spacy
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
nlp = spacy.load(default_model_name())
start = time.perf_counter()
for _ in nlp.pipe(texts, batch_size=32, n_process=int(sys.argv[2])):
    pass
print(time.perf_counter() - start)
"""


def write_corpus(path: Path, scale: int) -> tuple[int, int]:
    """The feed repeated `scale` times under new ids; returns (articles, words)."""
    records = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles = words = 0
    with path.open("w", encoding="utf-8") as handle:
        for copy in range(scale):
            for record in records:
                handle.write(json.dumps({**record, "id": f"{record['id']}-{copy}"}) + "\n")
                articles += 1
                words += len(record["text"].split())
    return articles, words


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc (Linux). The tree is walked through each
    thread's `children` file, a few reads per sample, so the sampler itself takes almost no CPU from the run it
    measures (scanning all of /proc took about 1 ms a sample, 2% of a core)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(child) for child in (task / "children").read_text().split())
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, ValueError):
            continue
    return total


def measure(command: list[str]) -> tuple[float, int, str]:
    """(wall seconds, peak RSS of the process tree in MB, stdout) of a command."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    done.set()
    sampler.join()
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"command failed ({process.returncode}): {' '.join(command)}\n{err.strip()[-2000:]}")
    return elapsed, peak // 1024, out


def run_events(corpus: Path, workers: int, folder: Path) -> dict:
    db = folder / f"bench-{workers}-{corpus.stem}.duckdb"
    db.unlink(missing_ok=True)
    elapsed, peak_mb, out = measure(
        [*EVENTS, "run", str(corpus), "--db", str(db), "--workers", str(workers), "--quiet"]
    )
    return {"seconds": round(elapsed, 2), "peak_rss_mb": peak_mb, "summary": out.strip().splitlines()[-1]}


def run_raw(corpus: Path, workers: int) -> dict:
    elapsed, peak_mb, out = measure([sys.executable, "-c", RAW_SCRIPT, str(corpus), str(workers)])
    return {
        "seconds": round(float(out.strip().splitlines()[-1]), 2),
        "process_seconds": round(elapsed, 2),
        "peak_rss_mb": peak_mb,
    }


def median_run(runs: list[dict]) -> dict:
    """The run with the median time, with every run's time and the highest peak memory of them all."""
    ordered = sorted(runs, key=lambda run: run["seconds"])
    middle = dict(ordered[(len(ordered) - 1) // 2])
    middle["all_seconds"] = [run["seconds"] for run in runs]
    middle["peak_rss_mb"] = max(run["peak_rss_mb"] for run in runs)
    return middle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10, help="copies of the feed for the throughput runs")
    parser.add_argument("--memory-scale", type=int, default=10, help="how much larger the memory run is")
    parser.add_argument("--workers", default="1,2", help="worker counts to time")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each; the median is reported")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    results: dict = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count()}, "runs": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = folder / "feed.jsonl"
        articles, words = write_corpus(corpus, args.scale)
        results["corpus"] = {"articles": articles, "words": words, "scale": args.scale}
        results["repeat"] = args.repeat
        counts = [int(w) for w in args.workers.split(",")]
        timings: dict[int, tuple[list[dict], list[dict]]] = {w: ([], []) for w in counts}
        # Rounds interleave the worker counts, so a slow spell on the machine does not land on one of them.
        for _ in range(args.repeat):
            for workers in counts:
                timings[workers][0].append(run_events(corpus, workers, folder))
                timings[workers][1].append(run_raw(corpus, workers))
        for workers in counts:
            ours, raw = (median_run(runs) for runs in timings[workers])
            results["runs"].append(
                {
                    "workers": workers,
                    "events_run": ours,
                    "raw_spacy": raw,
                    "articles_per_s": round(articles / ours["seconds"], 1),
                    "words_per_s": round(words / ours["seconds"]),
                    "raw_articles_per_s": round(articles / raw["seconds"], 1),
                    "ratio_raw_over_run": round(raw["seconds"] / ours["seconds"], 2),
                }
            )
            print(json.dumps(results["runs"][-1]), flush=True)
        one = next((r for r in results["runs"] if r["workers"] == 1), None)
        two = next((r for r in results["runs"] if r["workers"] == 2), None)
        if one and two:
            results["speedup_2_over_1"] = round(
                one["events_run"]["seconds"] / two["events_run"]["seconds"], 2
            )
        small = folder / "small.jsonl"
        large = folder / "large.jsonl"
        write_corpus(small, 1)
        write_corpus(large, args.memory_scale)
        small_run = run_events(small, 1, folder)
        large_run = run_events(large, 1, folder)
        results["memory"] = {
            "articles_small": articles // args.scale,
            "articles_large": articles // args.scale * args.memory_scale,
            "peak_rss_mb_small": small_run["peak_rss_mb"],
            "peak_rss_mb_large": large_run["peak_rss_mb"],
            "growth_percent": round(100 * (large_run["peak_rss_mb"] / small_run["peak_rss_mb"] - 1), 1),
        }
    (RESULTS / "bench.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / "bench.md").write_text(markdown(results))
    print(markdown(results))


def markdown(results: dict) -> str:
    corpus = results["corpus"]
    lines = [
        f"Corpus: {corpus['articles']:,} articles, {corpus['words']:,} words (news feed x{corpus['scale']}); "
        f"{results['machine']['cpus']} CPUs; each time is the median of {results['repeat']} runs.",
        "",
        "| workers | events run (s) | articles/s | words/s | raw spaCy pipe (s) | raw / run | peak RSS (MB) |",
        "|---|---|---|---|---|---|---|",
    ]
    for run in results["runs"]:
        lines.append(
            f"| {run['workers']} | {run['events_run']['seconds']} | {run['articles_per_s']} | {run['words_per_s']:,} | "
            f"{run['raw_spacy']['seconds']} | {run['ratio_raw_over_run']} | {run['events_run']['peak_rss_mb']} |"
        )
    for run in results["runs"]:
        lines.append(
            f"\nAll runs, {run['workers']} worker(s): events run {run['events_run']['all_seconds']} s, "
            f"raw spaCy {run['raw_spacy']['all_seconds']} s."
        )
    if "speedup_2_over_1" in results:
        lines.append(f"\nTwo workers vs one: {results['speedup_2_over_1']}x.")
    memory = results.get("memory")
    if memory:
        lines.append(
            f"\nMemory, one worker: {memory['peak_rss_mb_small']} MB for {memory['articles_small']:,} articles, "
            f"{memory['peak_rss_mb_large']} MB for {memory['articles_large']:,} ({memory['growth_percent']:+}%)."
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
