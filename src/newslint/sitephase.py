"""The checks across a site: after every post of the run is linted, once per site.

Each post's facts (see :mod:`newslint.site.facts`) come from the worker that
linted it, from the cache for a post the cache answered, or, for a content
file of the site that this run does not lint (``--changed-since``,
``--shard``, a pre-commit hook's few files, a sub-folder), from the cache or
a parse here. The site rules read a :class:`~newslint.site.index.SiteIndex`
and say which file and line each finding is on; findings land only on the
files of this run, with each file's own configuration (enabled, severity,
per-file ignores) and suppression comments applied, and the file's
findings sorted again.
"""

from __future__ import annotations

import os
from typing import Any, Iterator

from .model import FileResult, Violation

_FREEZE_EVERY = 256  # results held between two freezes of the collector (see fed)


def prefetch(run: Any, keys: list[Any], seen: dict[str, tuple[int, int]] | None = None) -> None:
    """Start each site's index in a thread while the workers lint (the parent
    only waits for them meanwhile): its files and, when needed already, their
    stat (``seen``: the size and time of the files the cache lookup stat'ed
    already, by path).
    The URL map is read from the cache, or made from the posts' facts as
    they come in, only when a check needs it."""
    import threading

    from .site.index import SiteIndex

    if seen:
        absolute = _absolute_maker()
        seen = {absolute(path): got for path, got in seen.items()}
    for key in keys:
        root = key[1]
        if root in run.site_indexes:
            continue
        index = _new_index(run, key)
        index.known_stats = seen or {}

        def make(index: SiteIndex = index) -> None:
            try:
                index.prefetch()
            except Exception:  # made again, and the error raised, where it is needed
                pass
        thread = threading.Thread(target=make, name=f"newslint-site-{os.path.basename(root)}", daemon=True)
        thread.start()
        run.site_indexes[root] = (index, thread)


def fed(run: Any, keys: list[Any], results: Iterator[FileResult],
        seen: dict[str, tuple[int, ...]] | None = None) -> Iterator[FileResult]:
    """``results`` as they come, each post's facts fed to its site's index
    (see :meth:`~newslint.site.index.SiteIndex.feed`), with the stat its
    worker took (``seen``, by path, filled as the results come)."""
    import gc

    indexes = run.site_indexes
    absolute = _absolute_maker()
    stat_of = (seen if seen is not None else {}).get
    frozen = False
    try:
        for n, (key, result) in enumerate(zip(keys, results), 1):
            if not n % _FREEZE_EVERY:
                # Every result waits for the site phase: plain findings and
                # facts, without cycles. Frozen as they come, they are not walked
                # again by each young collection while the rest come in.
                gc.freeze()
                frozen = True
            if result.facts is not None and key[1] is not None:
                made = indexes.get(key[1])
                if made is not None:
                    made[0].feed(absolute(result.path), result.facts, stat_of(result.path))
            yield result
    finally:
        if frozen:
            # Back to the oldest generation, which young collections do not
            # walk either: nothing stays frozen in a process that goes on (a server).
            gc.unfreeze()


def check_sites(run: Any, files: list[str], keys: list[Any], results: list[FileResult], *,
                from_disk: bool = True) -> Iterator[FileResult]:
    """Add each site's findings to ``results``. ``from_disk``: every file is as
    it is on disk (a check run; not a buffer, not a fix), so a site whose files
    are all as they were last time gets last time's findings."""
    by_root: dict[str, list[int]] = {}
    last, wanted = None, None  # a folder's files share one key object: asked once for them
    for i, key in enumerate(keys):
        if key is not last:
            last, wanted = key, by_root.setdefault(key[1], []) if key[1] is not None and run._site_rules(key) else None
        if wanted is not None:
            wanted.append(i)
    for root, indexes in by_root.items():
        _check_site(run, root, indexes, files, keys, results, from_disk and run.fix is None and run.use_cache)
    return iter(results)


def _check_site(run: Any, root: str, indexes: list[int], files: list[str], keys: list[Any],
                results: list[FileResult], reuse: bool) -> None:
    key0 = keys[indexes[0]]
    facts: dict[str, dict[str, Any]] = {}
    here: dict[str, int] = {}  # absolute path -> index in results
    absolute = _absolute_maker()
    for i in indexes:
        full = absolute(files[i])
        here[full] = i
        if results[i].facts is not None:
            facts[full] = results[i].facts
    made = run.site_indexes.pop(root, None)
    if made is not None:
        index, thread = made
        thread.join()
    else:
        index = _new_index(run, key0)
    found = _stored(run, index, key0) if reuse else None
    if reuse and run.replay is not None:
        run.replay.site_states[root] = index.urls_key  # what this report's site findings came from
    if found is None:
        index.keep_map = not reuse
        found = _run_rules(run, index, key0, facts, here)
        if reuse:
            _store(run, index, key0, found)
    touched: set[int] = set()
    rules = {r.name: r for r in run._site_rules(key0)}
    for name, path, line, col, eline, ecol, message, related in found:
        i = here.get(path)
        if i is None:
            continue  # a finding on a file this run does not report on
        rule = rules[name]
        file_config = run.config_for(keys[i])
        if rule not in run._site_rules(keys[i]) or rule.name in file_config.ignored_for(files[i]):
            continue
        v = Violation(path=files[i], line=line, column=col, end_line=eline, end_column=ecol, rule=rule.name,
                      code=rule.code, severity=file_config.severity_of(rule), message=message)
        if related:
            v.extra["related"] = [{"path": _shown(p, files[i]), "line": ln} for p, ln in related]
        results[i].violations.append(v)
        touched.add(i)
    for i in touched:
        results[i].violations.sort(key=Violation.sort_key)


def _new_index(run: Any, key: Any) -> Any:
    """The SiteIndex of a file key's site, keeping what it may in the run's cache folder."""
    from .site.index import SiteIndex

    cached = run.use_cache
    return SiteIndex(run.site_of(key), {}, cache_dir=str(run._cache_path()) if cached else None,
                     code_key=run._fingerprint(key) if cached else "")


def _absolute_maker() -> Any:
    """``os.path.abspath``, with the working folder read once: a path the walk
    wrote (no `.` or empty part, no trailing separator) only needs it in front."""
    abspath = os.path.abspath
    if os.sep != "/" or os.altsep:
        return abspath
    cwd = os.getcwd()
    prefix = cwd if cwd.endswith("/") else cwd + "/"

    def absolute(path: str) -> str:
        if not path or path[0] == "." or "/." in path or "//" in path or path[-1] == "/":
            return abspath(path)
        return path if path[0] == "/" else prefix + path
    return absolute


def _stored_key(run: Any, index: Any, key: Any) -> str:
    from ._hashing import blake2b

    blob = f"{run._fingerprint(key)}\0{index.urls_key}".encode("utf-8", "surrogateescape")
    return blake2b(blob, digest_size=12).hexdigest()


def _stored(run: Any, index: Any, key: Any) -> list | None:
    """Last run's findings across this site, when no file of it changed since
    (the URL map's key covers every file's size and time) and nothing else did."""
    from .cachefiles import load_json

    kept = load_json(str(run._cache_path()), "site", _stored_key(run, index, key))
    try:
        return [(n, p, ln, c, el, ec, m, [tuple(r) for r in rel]) for n, p, ln, c, el, ec, m, rel in kept]
    except (TypeError, ValueError):
        return None


def _store(run: Any, index: Any, key: Any, found: list) -> None:
    from .cachefiles import save_json

    save_json(str(run._cache_path()), "site", _stored_key(run, index, key), found, keep=8)


def _run_rules(run: Any, index: Any, key0: Any, facts: dict[str, dict[str, Any]], here: dict[str, int]) -> list:
    """Every finding of the site rules on the whole site, suppression comments applied."""
    site = index.site
    wanted = [f for f in _content_files(run, site, key0) if f not in facts]
    # A named file outside the content folders is still this run's.
    listed = set(wanted)
    wanted += [f for f in here if f not in facts and f not in listed]
    facts.update(_facts_of(run, wanted))
    index.facts = facts
    config = run.config_for(key0)
    out = []
    for rule in run._site_rules(key0):
        options = config.options_for(rule)
        for path, line, col, eline, ecol, message, related in rule().check_site(index, options):
            if not _suppressed(facts.get(path), rule.name, line):
                out.append((rule.name, path, line, col, eline, ecol, message, [tuple(r) for r in related]))
    return out


def _shown(path: str, like: str) -> str:
    """``path`` written as the run writes its files (relative when they are)."""
    return path if os.path.isabs(like) else os.path.relpath(path)


def _content_files(run: Any, site: Any, key: Any) -> list[str]:
    """Every content file of the site, as the walk of `newslint check ROOT` finds it (absolute paths)."""
    memo = run.site_files
    got = memo.get(site.root)
    roots, found = run.walked
    root = site.root
    if got is None and any(root == r or root.startswith(r.rstrip(os.sep) + os.sep) for r in roots):
        inside = root.rstrip(os.sep) + os.sep
        got = memo[root] = [full for full in map(_absolute_maker(), found) if full.startswith(inside)]
    if got is None:
        from .discovery import discover
        from .site.walk import ContentFilter

        config = run.config_for(key)
        content = ContentFilter(run.sites, config.generator, str(config.root), gitignore=config.respect_gitignore)
        got = memo[site.root] = [os.path.abspath(f) for f in discover([site.root], content=content).files]
    return got


def _facts_of(run: Any, fulls: list[str]) -> dict[str, dict[str, Any]]:
    """The facts of files whose worker gave none (the cache answered, or this
    run does not lint them): from the cache when the stat proves them
    current, else from a parse here (and cached for next time)."""
    import json

    from .cache import stat_signature

    out: dict[str, dict[str, Any]] = {}
    by_key: dict[Any, list[str]] = {}
    for full in fulls:
        by_key.setdefault(run.key_for(full), []).append(full)
    memo = run.facts_memo  # a long run (the editor server) parses an unchanged file once
    for key, paths in by_key.items():
        cache = run._cache(key)
        stored = cache.facts(paths) if cache is not None else {}
        for full in paths:
            try:
                sig = stat_signature(os.stat(full))
            except OSError:
                continue
            known = memo.get(full)
            if known is not None and known[0] == sig:
                out[full] = known[1]
                continue
            got = stored.get(full)
            if got is not None and tuple(got[0]) == sig:
                try:
                    out[full] = json.loads(got[1])
                    continue
                except ValueError:
                    pass
            facts = _parse_facts(run, key, full)
            if facts is not None:
                out[full] = facts
                memo[full] = (sig, facts)
                if cache is not None:
                    cache.store_facts(full, sig, facts)
    return out


def _parse_facts(run: Any, key: Any, full: str) -> dict[str, Any] | None:
    from .document import Document
    from .site.facts import extract

    try:
        with open(full, "rb") as fh:
            raw = fh.read()
        return extract(Document(full, raw, site=run.site_of(key)), resolve=run.prepared(key).resolve)
    except Exception:  # a file that cannot be read or parsed has no facts; its own run reports it
        return None


def _suppressed(facts: dict[str, Any] | None, rule: str, line: int) -> bool:
    for first, last, rules in (facts or {}).get("suppress", ()):
        if first <= line <= last and (rules is None or rule in rules):
            return True
    return False
