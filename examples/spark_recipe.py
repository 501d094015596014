"""Audit a corpus with PySpark over the public API (docs/scale.md): one row per finding.

    spark-submit examples/spark_recipe.py "s3a://bucket/disclosures/**/*.pdf" s3a://bucket/audit-findings/

Each executor builds one audit.Auditor per partition and audits the files' bytes as Spark's
binaryFile source delivers them (PDF, Word, Excel or text). Needs pyspark, pandas and pyarrow on
the driver and executors, and `pip install budget-disclosure-audit` on the executors.
"""

from __future__ import annotations

import sys

FINDINGS_SCHEMA = (
    "path string, rule string, severity string, message string, line int, page int, "
    "stated string, computed string, suggestion string, fingerprint string, error string"
)


def audit_batches(batches):
    """mapInPandas: each pandas batch of (path, content) → one row per finding (and one row per
    unreadable file, with `error` set)."""
    import pandas as pd

    import audit

    auditor = audit.Auditor()
    columns = [c.split()[0] for c in FINDINGS_SCHEMA.split(", ")]
    for batch in batches:
        rows = []
        for path, content in zip(batch["path"], batch["content"]):
            report = auditor.check_bytes(bytes(content), name=path)
            if report.error:
                rows.append({"path": path, "error": report.error})
            for f in report.findings:
                rows.append({
                    "path": path, "rule": f.rule, "severity": f.severity.value, "message": f.message.zh,
                    "line": f.line, "page": f.page,
                    "stated": f.evidence.stated if f.evidence else None,
                    "computed": f.evidence.computed if f.evidence else None,
                    "suggestion": f.suggestion.zh if f.suggestion else None,
                    "fingerprint": f.fingerprint, "error": None,
                })
        yield pd.DataFrame(rows, columns=columns).astype({"line": "Int32", "page": "Int32"})


def findings(spark, pattern: str):
    """The findings of every file matching `pattern` (a path or URL with a glob), as a DataFrame."""
    folder, _, glob = pattern.rpartition("/")
    files = (
        spark.read.format("binaryFile")
        .option("pathGlobFilter", glob or "*")
        .option("recursiveFileLookup", "true")
        .load(folder or ".")
    )
    return files.select("path", "content").mapInPandas(audit_batches, schema=FINDINGS_SCHEMA)


def main(pattern: str, output: str) -> None:
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("audit").getOrCreate()
    findings(spark, pattern).write.mode("overwrite").parquet(output)
    spark.stop()


if __name__ == "__main__":
    main(*sys.argv[1:3])
