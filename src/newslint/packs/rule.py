"""The rule class every pack rule is made from, and the matching of its patterns."""

from __future__ import annotations

from typing import Any, ClassVar

from ..model import Finding
from ..ruleapi import Rule
from .prefilter import MATCH_TIMEOUT, Plan
from .views import trim, views_of


class PackRule(Rule):
    """Base class of the rules made from packs (never registered itself)."""

    name = "pack-rule"
    code = "NL700"
    kind: ClassVar[str] = "existence"
    scopes: ClassVar[tuple[str, ...]] = ()
    message: ClassVar[str] = ""
    patterns: ClassVar[tuple[tuple[Any, str | None], ...]] = ()  # (compiled regex, suggestion)
    followed_by_link: ClassVar[int | None] = None
    pack_file: ClassVar[str] = ""
    ignorecase: ClassVar[bool] = False
    # The prefilters, made with the class when the pack loads: most posts
    # contain no promo phrase, and the plan tells so without running the
    # patterns (see prefilter.py).
    plan: ClassVar[Plan | None] = None

    @classmethod
    def prepare(cls, options) -> None:
        """Compile the prefilters' shadows in the parent process, before the pool forks."""
        if cls.plan is not None:
            cls.plan.with_shadows()

    def check(self, doc, options):
        # A plain function: most posts are settled by the prefilters, with
        # no generator made for them.
        plan = self.plan
        if not doc.ok or (plan is not None and not plan.doc_may_match(doc)):
            return ()
        return self._findings(doc, plan)

    def findings(self, doc, plan: Plan | None):
        """The findings in ``doc``; with ``plan`` None every pattern runs on
        every segment (what the prefilters must never differ from)."""
        if plan is not None and not plan.doc_may_match(doc):
            return
        yield from self._findings(doc, plan)

    def _findings(self, doc, plan: Plan | None):
        views = views_of(doc)
        for scope in self.scopes:
            yield from self._check_segments(views, views.segments(scope), plan)

    def _check_segments(self, views, segments, plan: Plan | None):
        for seg_start, text in segments:
            may = plan.segment_patterns(views, seg_start, text) if plan is not None else None
            for i, (pattern, suggestion) in enumerate(self.patterns):
                if may is not None and not may[i]:
                    continue
                try:
                    matches = list(pattern.finditer(text, timeout=MATCH_TIMEOUT))
                except TimeoutError:
                    yield Finding(seg_start, seg_start, f"pattern {pattern.pattern!r} of `{self.name}` "
                                  f"took longer than {MATCH_TIMEOUT} s and was stopped; simplify it")
                    return  # the other scopes still run
                for m in matches:
                    s, e = trim(text, m.start(), m.end())
                    if e <= s:
                        continue
                    if self.followed_by_link is not None and not views.link_follows(seg_start + e, self.followed_by_link):
                        continue
                    found = " ".join(text[s:e].split())
                    msg = self.message.replace("{match}", found).replace("{suggestion}", suggestion or "")
                    yield Finding(seg_start + s, seg_start + e, msg)
