"""The exit codes of `newslint check`, as ruff has them (plus 3 for newslint's own failures)."""

EXIT_CLEAN = 0  # no findings (at or above --fail-level)
EXIT_FINDINGS = 1  # findings
EXIT_USAGE = 2  # a usage or configuration error
EXIT_INTERNAL = 3  # newslint failed on a file, or a fix was reverted or did not converge


def failing(by_severity: dict[str, int], fail_level: str) -> bool:
    """Any finding at ``fail_level`` or above (error > warning > info)?"""
    order = ("error", "warning", "info")
    return any(by_severity.get(s) for s in order[: order.index(fail_level) + 1])
