"""The per-file time budget is never swallowed.

When the budget runs out, ``FileTimedOut`` is raised wherever the code happens
to be: inside the YAML loader, inside pulldown-cmark's event stream, inside the
HTML tree builder or inside a rule. Each test makes it happen at exactly such a
place (a patched entry point raises it, after part of the parse is done), so
nothing depends on timing. Whatever was parsed before must not be reported: the
file gets exactly one ``file-timeout`` finding, the cache does not keep it, and
the next run lints the file again in full.
"""

from __future__ import annotations

import pyromark
import pytest

from newslint import frontmatter, html
from newslint.config import Config
from newslint.engine import lint_files
from newslint.limits import FileTimedOut
from newslint.rules.image_alt_missing import ImageAltMissing

POST = """---
title: 부산 디지털 트윈
tags: [지도, 도시]
---
첫 문단입니다.

![](first.png)

![](second.png)

<p>설명 <img src="third.png"> 그리고 <img src="fourth.png"></p>
"""


def _config() -> Config:
    return Config(rule_options={"file-timeout": {"seconds": 60.0}})


def _lint(path: str, cache_dir, stats: dict | None = None):
    results = list(lint_files([path], _config(), jobs=1, cache_dir=str(cache_dir), stats=stats))
    assert len(results) == 1
    return results[0]


def _rules(result) -> list[str]:
    return sorted(v.rule for v in result.violations)


@pytest.fixture
def post(tmp_path):
    p = tmp_path / "posts" / "2024-01-01-busan.md"
    p.parent.mkdir()
    p.write_text(POST, encoding="utf-8")
    return str(p)


def _full_result(post, tmp_path):
    return _lint(post, tmp_path / "reference-cache")


def _times_out_in_yaml(monkeypatch):
    def get_single_node(self):
        self.get_event()  # the loader has started reading the front matter
        raise FileTimedOut()

    monkeypatch.setattr(frontmatter._Loader, "get_single_node", get_single_node)


def _times_out_in_markdown(monkeypatch):
    real = pyromark.events_with_range

    def events_with_range(source, *args, **kwargs):
        # Hand out events until the first image is complete, then run out of
        # time: the view has an image without alt text by then.
        for ev, rng in real(source, *args, **kwargs):
            yield ev, rng
            if isinstance(ev, dict) and ev.get("End") == "Image":
                raise FileTimedOut()

    monkeypatch.setattr(pyromark, "events_with_range", events_with_range)


def _times_out_in_html(monkeypatch):
    real = html._Builder.finish

    def finish(self):
        assert self.elements  # the tree holds the <img> elements by now
        raise FileTimedOut()

    monkeypatch.setattr(html._Builder, "finish", finish)
    return real


def _times_out_in_a_rule(monkeypatch):
    real = ImageAltMissing.check

    def check(self, doc, options):
        found = list(real(self, doc, options))
        assert found  # the rule has findings to give when the budget runs out
        yield found[0]
        raise FileTimedOut()

    monkeypatch.setattr(ImageAltMissing, "check", check)


@pytest.mark.parametrize("trip", [_times_out_in_yaml, _times_out_in_markdown, _times_out_in_html,
                                  _times_out_in_a_rule],
                         ids=["yaml", "markdown", "html", "rule"])
def test_budget_running_out_gives_one_timeout_and_nothing_partial(tmp_path, monkeypatch, post, trip):
    full = _full_result(post, tmp_path)
    assert "image-alt-missing" in _rules(full) and "file-timeout" not in _rules(full)

    cache = tmp_path / "cache"
    with monkeypatch.context() as patch:
        trip(patch)
        timed_out = _lint(post, cache)
    assert _rules(timed_out) == ["file-timeout"]
    assert not timed_out.internal_error
    assert "longer than 60 s" in timed_out.violations[0].message

    # The timeout was not stored as the file's result: the next run lints it
    # again and reports everything, and only that full result is cached.
    stats: dict = {}
    again = _lint(post, cache, stats)
    assert stats["linted"] == 1
    assert _rules(again) == _rules(full)
    stats = {}
    third = _lint(post, cache, stats)
    assert stats["linted"] == 0
    assert _rules(third) == _rules(full)


def test_a_kept_handler_arms_the_timer_once_and_still_stops_a_late_post(monkeypatch):
    import signal
    import time

    from newslint import limits

    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0
    previous = signal.signal(signal.SIGALRM, signal.SIG_DFL)
    limits.keep_alarm_handler()
    calls = []
    real_setitimer = signal.setitimer
    monkeypatch.setattr(signal, "setitimer", lambda which, seconds: (calls.append(seconds), real_setitimer(which, seconds))[1])
    try:
        for _ in range(50):
            with limits.time_budget(0.4) as armed:
                assert armed
        assert len(calls) == 1  # armed by the first post, left running for the others
        time.sleep(0.2)
        # The timer armed by the first post fires in the middle of this one,
        # before its own deadline: it must be armed again for the rest, not
        # stop this post early, and stop it once its own budget is spent.
        started = time.monotonic()
        with pytest.raises(FileTimedOut):
            with limits.time_budget(0.4):
                while time.monotonic() - started < 5:
                    pass
        assert 0.39 <= time.monotonic() - started < 2
        assert len(calls) == 2
        with limits.time_budget(0.4):
            pass  # after a timeout the next post is guarded again
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0
    finally:
        monkeypatch.undo()
        limits._disarm()
        signal.signal(signal.SIGALRM, previous)
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_a_forked_child_knows_it_has_no_timer():
    import os
    import signal

    from newslint import limits

    previous = signal.signal(signal.SIGALRM, signal.SIG_DFL)
    limits.keep_alarm_handler()
    try:
        with limits.time_budget(30):
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child
                ok = limits._state == [0.0, 0.0] and signal.getitimer(signal.ITIMER_REAL)[0] == 0
                os._exit(0 if ok else 1)
            _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert limits._state[1] > 0  # the parent's timer runs on
    finally:
        limits._disarm()
        signal.signal(signal.SIGALRM, previous)
