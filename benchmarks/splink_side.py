"""Splink's side of benchmarks/vs_splink.py; runs in benchmarks/.splink-venv (splink==5.0.0), never the project's.

    benchmarks/.splink-venv/bin/python benchmarks/splink_side.py --file crm_export=DIR/flat/crm_export.csv ... \
        --clusters OUT.csv --report OUT.json [--threshold 0.9]

Imports nothing from the project. A configuration in the style of Splink's published examples (its
README and the DuckDB deduplication tutorial), written down in benchmarks/README.md:
- DuckDB backend, in memory; all sources read into one table and deduplicated (``dedupe_only``);
- standardization in SQL, as the tutorials do before linking: names trimmed, inner spaces dropped,
  lower-cased; mobiles reduced to their last 11 digits (full-width digits folded, +86 / 0086 / spaces /
  dashes dropped); emails trimmed and lower-cased (full-width ＠ folded); dates parsed from the four
  formats the files use; a trailing 市 dropped from cities (北京市 -> 北京);
- comparisons: ``NameComparison("name")`` (exact, Jaro-Winkler 0.92 / 0.88 / 0.7) with term-frequency
  adjustments, ``ExactMatch("mobile")``, ``EmailComparison("email")``, ``DateOfBirthComparison``,
  ``ExactMatch("city")`` with term-frequency adjustments;
- blocking rules for prediction: mobile, name + city, email;
- training: ``estimate_probability_two_random_records_match`` on mobile / email (recall 0.7),
  ``estimate_u_using_random_sampling(max_pairs=5e6)``, EM on ``block_on("mobile")`` then ``block_on("name")``;
- ``predict(threshold_match_probability=0.5)``, then
  ``cluster_pairwise_predictions_at_threshold(..., 0.9)``.
Timed from reading the files to the clusters; writes unique_id,cluster_id and a JSON report.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import sys
import time
from pathlib import Path

DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y%m%d"]


def standardized_sql(paths: list[str]) -> str:
    files = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
    formats = ", ".join(f"'{f}'" for f in DATE_FORMATS)
    return f"""
    CREATE TABLE records AS
    WITH raw AS (
        SELECT * FROM read_csv([{files}], header = true, all_varchar = true, union_by_name = true)
    ), digits AS (
        SELECT *,
            regexp_replace(translate(coalesce(mobile, ''), '０１２３４５６７８９', '0123456789'), '[^0-9]', '', 'g')
                AS mobile_digits
        FROM raw
    )
    SELECT
        unique_id,
        source,
        nullif(lower(replace(replace(trim(name), ' ', ''), '　', '')), '') AS name,
        CASE WHEN length(mobile_digits) >= 11 THEN right(mobile_digits, 11) END AS mobile,
        nullif(lower(replace(replace(trim(replace(email, '＠', '@')), ' ', ''), '　', '')), '') AS email,
        CAST(try_strptime(birth_date, [{formats}]) AS DATE) AS birth_date,
        nullif(regexp_replace(lower(trim(city)), '市$', ''), '') AS city
    FROM digits
    """


def settings(threshold_tf: bool = True):  # noqa: ANN201 - splink types only exist in the splink venv
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            cl.NameComparison("name").configure(term_frequency_adjustments=threshold_tf),
            cl.ExactMatch("mobile"),
            cl.EmailComparison("email"),
            cl.DateOfBirthComparison("birth_date", input_is_string=False),
            cl.ExactMatch("city").configure(term_frequency_adjustments=threshold_tf),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("mobile"),
            block_on("name", "city"),
            block_on("email"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def run(paths: list[str], clusters_out: Path, threshold: float) -> dict:
    import duckdb
    import splink
    from splink import DuckDBAPI, Linker, block_on

    logging.getLogger("splink").setLevel(logging.WARNING)
    t0 = time.perf_counter()
    con = duckdb.connect()
    con.sql(standardized_sql(paths))
    records = con.sql("SELECT count(*) FROM records").fetchall()[0][0]
    db_api = DuckDBAPI(connection=con)
    sdf = db_api.register("records")
    linker = Linker(sdf, settings(), log_level=logging.WARNING)
    t1 = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match([block_on("mobile"), block_on("email")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("mobile"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name"))
    t2 = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    t3 = time.perf_counter()
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold)
    relation = clusters.as_duckdbpyrelation()
    out = str(clusters_out).replace("'", "''")
    relation.select("unique_id, cluster_id").write_csv(out)
    t4 = time.perf_counter()
    pairs = predictions.as_duckdbpyrelation().count("*").fetchall()[0][0]
    return {
        "records": records,
        "seconds": round(t4 - t0, 3),
        "seconds_read": round(t1 - t0, 3),
        "seconds_train": round(t2 - t1, 3),
        "seconds_predict": round(t3 - t2, 3),
        "seconds_cluster": round(t4 - t3, 3),
        "predicted_pairs_over_0_5": pairs,
        "version": splink.__version__,
        "duckdb": duckdb.__version__,
        "threshold": threshold,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", action="append", required=True, help="SOURCE=PATH (flat CSV)")
    parser.add_argument("--clusters", type=Path, required=True)
    parser.add_argument("--report", type=Path, required=True)
    parser.add_argument("--threshold", type=float, default=0.9)
    args = parser.parse_args(argv)
    paths = [spec.split("=", 1)[1] for spec in args.file]
    report = run(paths, args.clusters, args.threshold)
    report["peak_rss_mb_self"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    args.report.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
