"""The long fuzz run: at least 100,000 mutated posts through the linter and the fixer.

The CI fuzz test (tests/robustness/test_fuzz.py) runs the same mutation fuzzer
(tests/robustness/fuzzing.py) for about a minute; this runs it for as many
inputs as asked, reproducibly (a seed), and prints a JSON summary:

    .venv/bin/python bench/fuzz_long.py --inputs 100000 --seed 7 [--corpus ../shared/corpus]
        [--save-dir /tmp/newslint-fuzz]  # crashing and hanging inputs are written here

Exit status: 0 when there was no crash and no hang, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "robustness"))

import fuzzing  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--inputs", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--corpus", default=str(HERE.parent.parent / "shared" / "corpus"))
    ap.add_argument("--fix-every", type=int, default=3, help="fix in memory every Nth input (default 3)")
    ap.add_argument("--hang-after", type=float, default=10.0, help="seconds after which an input is a hang")
    ap.add_argument("--save-dir", default=None, help="write crashing and hanging inputs here")
    args = ap.parse_args(argv)

    files = fuzzing.corpus_files(Path(args.corpus))
    if not files:
        print(f"no posts under {args.corpus}", file=sys.stderr)
        return 2

    def progress(rep: fuzzing.Report) -> None:
        if rep.inputs % 10_000 == 0:
            print(f"{rep.inputs} inputs, {rep.seconds:.0f} s, {rep.counts}", file=sys.stderr, flush=True)

    report = fuzzing.run(files, args.seed, args.inputs, fix_every=args.fix_every, hang_after=args.hang_after,
                         on_progress=progress)
    bad = [f for f in report.failures if f[0] in ("crash", "hang")]
    if args.save_dir and bad:
        # Re-create the failing inputs from the seed (the stream is reproducible).
        out = Path(args.save_dir)
        out.mkdir(parents=True, exist_ok=True)
        wanted = {(src, tuple(names)) for _, src, names, _ in bad}
        for i, (data, path, names, src) in enumerate(fuzzing.inputs(files, args.seed)):
            if i >= report.inputs or not wanted:
                break
            if (src, tuple(names)) in wanted:
                wanted.discard((src, tuple(names)))
                (out / f"input-{i}{Path(path).suffix}").write_bytes(data)
    summary = {
        "inputs": report.inputs,
        "seed": args.seed,
        "corpus_files": len(files),
        "seconds": round(report.seconds, 1),
        "per_input_ms": round(1000 * report.seconds / max(1, report.inputs), 2),
        "outcomes": report.counts,
        "crashes": sum(1 for f in bad if f[0] == "crash"),
        "hangs": sum(1 for f in bad if f[0] == "hang"),
        "slowest_seconds": round(report.slowest[0], 2),
        "slowest_input": report.slowest[1],
        "failures": [{"kind": k, "source": s, "mutations": m, "detail": d[:300]} for k, s, m, d in bad[:50]],
        "fix_failed_examples": [{"source": s, "mutations": m, "detail": d[:300]}
                                for k, s, m, d in report.failures if k == "fix-failed"][:10],
    }
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
