"""`newslint check --stdin-filename PATH -`: lint (or fix) standard input as if it were PATH.

The text is linted with the config that applies to PATH (its per-file
ignores too). The report goes to standard output; with ``--fix`` the fixed
text goes there instead and the report of what remains to standard error,
as ruff does, so an editor can replace its buffer with standard output.
"""

from __future__ import annotations

import sys
from typing import TextIO

from .config import Config
from .exitcodes import EXIT_CLEAN, EXIT_FINDINGS, EXIT_INTERNAL, failing
from .model import Violation


def check_stdin(opts, config: Config, stdout: TextIO, stderr: TextIO) -> int:
    from .document import Document
    from .fixer import fix_text
    from .linter import Prepared, lint_bytes

    from .engine import Linting

    path = opts.stdin_filename
    raw = sys.stdin.buffer.read()
    prepared = Prepared(config)
    # One file's run: it finds the file's site, and checks across that site.
    run = Linting(config, jobs=1, use_cache=opts.use_cache, cache_dir=opts.cache_dir)
    key = run.key_for(path)
    site = run.site_of(key)
    if opts.fix or opts.diff:
        doc = Document(path, raw, site=site)
        violations = lint_bytes(path, raw, config, prepared.rules, prepared=prepared, site=site).violations
        fixed_text, remaining, problems, fixed, failed = doc.text, violations, [], 0, False
        if doc.ok and not any(v.rule in ("file-timeout", "internal-error") for v in violations):
            result = fix_text(doc.text, path, config, bom=doc.bom, unsafe=opts.unsafe_fixes, doc=doc,
                              violations=violations, prepared=prepared)
            fixed_text, remaining, problems, fixed = result.text, result.violations, result.problems, result.fixed
            failed = result.failed
        if opts.diff:
            from .fixer import unified_diff

            if fixed_text != doc.text:
                stdout.write(unified_diff(path, doc.text, fixed_text))
            stderr.write(f"newslint: would fix {fixed} finding{'s' if fixed != 1 else ''}\n")
            return EXIT_FINDINGS if fixed_text != doc.text else EXIT_CLEAN
        data = (b"\xef\xbb\xbf" if doc.bom else b"") + fixed_text.encode("utf-8", "surrogatepass") if doc.ok else raw
        out = getattr(stdout, "buffer", None)
        if out is not None:
            stdout.flush()
            out.write(data)
            out.flush()
        else:
            stdout.write(data.decode("utf-8", "surrogateescape"))
        return _report([*remaining, *problems], opts, config, stderr, fixed=fixed, fixing=True, failed=failed)
    wants_site = site.root is not None and any(r.site_wide for r in prepared.rules)
    result = lint_bytes(path, raw, config, prepared.rules, prepared=prepared, site=site, facts=wants_site)
    if wants_site and result.facts is not None:
        # The text on stdin stands for PATH; the rest of the site is read from disk (or the cache).
        from .sitephase import check_sites

        list(check_sites(run, [path], [key], [result], from_disk=False))
    return _report(result.violations, opts, config, stdout, fixed=0, fixing=False, failed=result.internal_error)


def _report(violations: list[Violation], opts, config: Config, out: TextIO, *, fixed: int, fixing: bool, failed: bool) -> int:
    from .reporters import Summary, stream_report
    from .lang import resolve_lang

    violations = sorted(violations, key=Violation.sort_key)
    summary = Summary(files=1, fixed=fixed, fixing=fixing, unsafe_fixes=opts.unsafe_fixes,
                          checked=[opts.stdin_filename])
    for v in violations:
        summary.by_severity[v.severity] = summary.by_severity.get(v.severity, 0) + 1
    summary.lang = resolve_lang(opts.lang, config.lang)
    report = stream_report(out, summary, opts.format, statistics=opts.statistics)
    report.begin()
    report.file(opts.stdin_filename, violations)
    report.end()
    if failed:
        return EXIT_INTERNAL
    return EXIT_FINDINGS if failing(summary.by_severity, opts.fail_level) and not opts.exit_zero else EXIT_CLEAN
