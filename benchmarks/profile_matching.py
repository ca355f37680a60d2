"""Matching engine throughput, in memory: train and resolve timed apart, at several sizes.

    .venv/bin/python benchmarks/profile_matching.py [--n 20000 100000] [--seed 7] [--stage both]
        [--set generated|chinese|febrl4] [--cache DIR]

``--set generated`` (default): ``benchmarks/generate.py --n N --seed S --flat`` (the records
``vs_splink.py`` compares on: realistic namesakes, three sources), each flat file read as
``ours_side.py`` reads it. ``--set chinese``: the project's Chinese multi-source generator (benchmarks.demo_data, the
same as matching_offline's ``chinese_crm_seedN``: namesakes, masked mobiles, three files), read
and standardized by the real ingest code, about 2.8 records per true customer; ``--n`` is the
number of records wanted (the generator is asked for n / 2.78 customers). ``--set febrl4``:
Febrl 4a then 4b (10,000 records, ``--n`` ignored). Generated records are cached as a pickle in
``--cache`` (default: the system temp dir), since reading them is not what is measured.

``train`` is ``train(records, rules)``; ``resolve`` resolves the files one after the other against
what came before, with the trained params, as an import does. With ``--stage both`` (default) they
run on the same record objects, as benchmarks/ours_side.py does: the per-record matching keys are
computed once, in ``train``. ``--stage train`` or ``--stage resolve`` alone starts from freshly
loaded records (resolve then uses the rules file's default params).
Prints one JSON line per size: records/s per stage (wall clock; ``*_cpu_s`` is this process's CPU
time, steadier on a shared machine) and pairwise F1. Profile a stage with e.g.
``py-spy record -o out.svg -- .venv/bin/python benchmarks/profile_matching.py --n 20000 --stage train``.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from matching_offline import IdAllocator, chinese_crm_batches, febrl_batches, pair_scores  # noqa: E402

from custgraph.matching.engine import resolve, train  # noqa: E402
from custgraph.matching.params import ModelParams  # noqa: E402
from custgraph.matching.record import MatchRecord  # noqa: E402
from custgraph.matching.rules import load_rules  # noqa: E402

SOURCE_ORDER = ("crm_export", "store_members", "webform")  # as vs_splink.py imports them
RECORDS_PER_CUSTOMER = 2.78  # what the generator renders per true customer (three sources)


def _generated(n: int, seed: int, cache: Path) -> tuple[list[list[MatchRecord]], dict[str, str]]:
    import generate

    from custgraph.ingest.mapping import load_mapping
    from custgraph.ingest.models import IngestedRecord
    from custgraph.ingest.reading import iter_records

    out = cache / f"custgraph-generated-{seed}-{n}"
    if not (out / "manifest.json").exists():
        generate.main(["--n", str(n), "--seed", str(seed), "--flat", "--out", str(out)])
    mapping, batches, seq = load_mapping(out / "mappings" / "flat.yaml"), [], 0
    for source in SOURCE_ORDER:
        batch = []
        for item in iter_records(out / "flat" / f"{source}.csv", source=source, mapping=mapping):
            if isinstance(item, IngestedRecord):
                batch.append(MatchRecord(uid=item.uid, source=item.source, fields=dict(item.fields), seq=seq))
                seq += 1
        batches.append(batch)
    return batches, generate.load_truth(out / "truth.csv")


def _load(kind: str, n: int, seed: int, cache: Path) -> tuple[list[list[MatchRecord]], dict[str, str]]:
    path = cache / f"custgraph-profile-{kind}-{seed}-{n}.pickle"
    if not path.exists():
        if kind == "generated":
            data = _generated(n, seed, cache)
        elif kind == "febrl4":
            data = febrl_batches([("dataset4a", "febrl_a"), ("dataset4b", "febrl_b")])
        else:
            data = chinese_crm_batches(seed=seed, entities=round(n / RECORDS_PER_CUSTOMER), masked=True)
        path.write_bytes(pickle.dumps(data))
    return pickle.loads(path.read_bytes())  # fresh objects: no derived keys cached


def measure(kind: str, n: int, seed: int, stage: str, cache: Path) -> dict[str, object]:
    rules = load_rules()
    out: dict[str, object] = {"set": kind, "seed": seed}
    params = ModelParams.defaults(rules)
    if stage in ("train", "both"):
        batches, _ = _load(kind, n, seed, cache)
        records = [r for batch in batches for r in batch]
        t0, c0 = time.perf_counter(), time.process_time()
        params = train(records, rules)
        seconds = time.perf_counter() - t0
        out.update(records=len(records), train_s=round(seconds, 2), train_records_per_s=round(len(records) / seconds))
        out["train_cpu_s"] = round(time.process_time() - c0, 2)
        out["blocked_pairs"] = params.meta.get("blocked_pairs")
        out["distinct_vectors"] = params.meta.get("distinct_vectors")
    if stage in ("resolve", "both"):
        fresh, truth = _load(kind, n, seed, cache)
        batches = batches if stage == "both" else fresh
        count = sum(len(b) for b in batches)
        ids, existing, outcomes = IdAllocator(), [], Counter()
        t0, c0 = time.perf_counter(), time.process_time()
        for batch in batches:
            result = resolve(batch, existing, rules, params=params)
            ids.commit(result)
            by_uid = {r.uid: r for r in batch}
            existing += [by_uid[res.uid].with_customer(res.customer_id) for res in result.resolutions]
            outcomes.update(res.outcome for res in result.resolutions)
        seconds = time.perf_counter() - t0
        out["resolve_cpu_s"] = round(time.process_time() - c0, 2)
        out.update(records=count, resolve_s=round(seconds, 2), resolve_records_per_s=round(count / seconds))
        assignment = {rec.uid: ids.final(rec.customer_id) for rec in existing}
        scores = pair_scores(assignment, truth)
        out.update(precision=scores["precision"], recall=scores["recall"], f1=scores["f1"], outcomes=dict(outcomes))
    if "train_s" in out and "resolve_s" in out:
        out["records_per_s"] = round(int(out["records"]) / (float(out["train_s"]) + float(out["resolve_s"])))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", nargs="*", type=int, default=[20000, 100000], help="records wanted per run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--set", dest="kind", choices=("generated", "chinese", "febrl4"), default="generated")
    parser.add_argument("--stage", choices=("train", "resolve", "both"), default="both")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args(argv)
    sizes = [10000] if args.kind == "febrl4" else args.n
    for n in sizes:
        print(json.dumps(measure(args.kind, n, args.seed, args.stage, args.cache)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
