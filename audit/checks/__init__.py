"""Check kinds: small functions, one module per family, each registered by name with
`audit.engine.kind`.

A rule in rules/*.yaml names its `kind`; the engine looks the function up and calls it with a
CheckContext. The function reports, per subject it examined, passed / failed (with a finding) /
not_applicable / insufficient_data. A check module reads the document, its facts and the analysis
(audit/analysis/); it never imports another check module nor loads rules.
"""
