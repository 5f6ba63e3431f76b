"""The language server: pygls handlers over a :class:`~newslint.server.analysis.Session`.

- Diagnostics when a post is opened, changed (after a pause in typing:
  :data:`DEBOUNCE_SECONDS`) and saved; the rule's name is the ``code``, its
  docs the ``codeDescription``, ``newslint`` the ``source``.
- Code actions: each finding's fix (``quickfix``), every safe fix at once
  (``source.fixAll.newslint``, what ``newslint check --fix`` writes) and a
  suppression comment for the finding.
- Hover: the summary of the rules whose findings are under the cursor.

The editor's buffer is linted, never the file on disk, and the server writes
nothing: every change is a WorkspaceEdit on the open document's version that
the editor applies. A handler that fails logs the error and answers as if
there were nothing to offer: a bad buffer never stops the server.
"""

from __future__ import annotations

import functools
import logging
import os
from typing import Any, Callable

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import to_fs_path

from .. import __version__
from ..config import CONFIG_NAMES
from ..model import Edit, Violation
from .analysis import CONFIG_ERROR, Action, Analysis, Session
from .positions import UTF8, UTF16, UTF32

DEBOUNCE_SECONDS = 0.3
SOURCE = "newslint"
FIX_ALL = "source.fixAll.newslint"
SEVERITIES = {"error": lsp.DiagnosticSeverity.Error, "warning": lsp.DiagnosticSeverity.Warning,
              "info": lsp.DiagnosticSeverity.Information}
_ENCODINGS = {lsp.PositionEncodingKind.Utf8: UTF8, lsp.PositionEncodingKind.Utf16: UTF16,
              lsp.PositionEncodingKind.Utf32: UTF32}
log = logging.getLogger("newslint.server")


class _Dropped:
    """A message answered already: pygls's dispatcher logs and drops it (not JSON-RPC 2.0)."""

    jsonrpc = "dropped"

    def __repr__(self) -> str:
        return "(a request answered with its error)"


class _Protocol(LanguageServerProtocol):
    def structure_message(self, data: Any) -> Any:
        """pygls leaves a request whose params do not fit the protocol
        unanswered (the editor would wait for ever): answer it with the error."""
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if isinstance(data, dict) and "id" in data and "method" in data:
                why = _why(exc.__cause__)
                log.warning("newslint: a %s request that does not fit the protocol: %s", data.get("method"), why)
                error = exc.to_response_error()
                if why:
                    error.message = f"{error.message}: {why}"
                self._send_response(data["id"], error=error)
                return _Dropped()
            raise


def _why(exc: BaseException | None) -> str:
    """What was wrong with a message, in a line (cattrs names the missing or bad fields)."""
    if exc is None:
        return ""
    try:
        from cattrs import transform_error

        return "; ".join(transform_error(exc))  # type: ignore[arg-type]
    except Exception:
        return f"{type(exc).__name__}: {exc}"


class NewslintServer(LanguageServer):
    def __init__(self) -> None:
        # Whole texts on each change: posts are small, and the buffer is then
        # exactly the editor's (no line-splitting of ours to disagree with it).
        super().__init__("newslint", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Full,
                         protocol_cls=_Protocol)
        self.session = Session()
        self.analyses: dict[str, tuple[int | None, Analysis]] = {}
        self.pending: dict[str, Any] = {}  # uri -> the timer of its next lint
        self._shipped: Any = None

    # -- buffers -----------------------------------------------------------------------
    def encoding(self) -> str:
        try:
            return _ENCODINGS.get(self.workspace.position_encoding, UTF16)  # type: ignore[arg-type]
        except Exception:
            return UTF16

    def path_of(self, uri: str) -> str:
        """The file a buffer will be saved to (its config applies); an unsaved
        buffer is linted as a post at the top of the workspace."""
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if not path:
            name = uri.rstrip("/").rpartition("/")[2].rpartition(":")[2] or "untitled"
            if not name.lower().endswith((".md", ".markdown", ".html", ".htm")):
                document = self.workspace.text_documents.get(uri)
                name += ".html" if document is not None and document.language_id == "html" else ".md"
            path = os.path.join(self.session.root, name)
        return path

    def analysis(self, uri: str) -> Analysis | None:
        """The findings of the open buffer ``uri`` as it is now (linted now if it changed)."""
        document = self.workspace.text_documents.get(uri)
        if document is None:
            return None
        known = self.analyses.get(uri)
        if known is not None and known[0] == document.version and known[1].text == document.source:
            return known[1]
        found = self.session.analyse(self.path_of(uri), document.source, self.encoding())
        self.analyses[uri] = (document.version, found)
        return found

    def lint_now(self, uri: str) -> None:
        timer = self.pending.pop(uri, None)
        if timer is not None:
            timer.cancel()
        try:
            found = self.analysis(uri)
            if found is None:
                return
            version = self.analyses[uri][0]
            lang = self.lang(found.path)
            diagnostics = [self.diagnostic(found, v, lang) for v in found.violations]
        except Exception as exc:
            log.exception("newslint: linting %s failed", uri)
            self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Error,
                                                         f"newslint: linting {uri} failed: {exc!r}"))
            return
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, diagnostics, version))

    def lint_later(self, uri: str) -> None:
        import asyncio

        timer = self.pending.pop(uri, None)
        if timer is not None:
            timer.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.lint_now(uri)
            return
        self.pending[uri] = loop.call_later(DEBOUNCE_SECONDS, self.lint_now, uri)

    def forget(self, uri: str) -> None:
        timer = self.pending.pop(uri, None)
        if timer is not None:
            timer.cancel()
        self.analyses.pop(uri, None)
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, []))

    def relint_all(self) -> None:
        self.session.reload()
        self.analyses.clear()
        for uri in list(self.workspace.text_documents):
            self.lint_now(uri)

    # -- protocol values -----------------------------------------------------------------
    def lsp_range(self, analysis: Analysis, start: int, end: int) -> lsp.Range:
        (sl, sc), (el, ec) = analysis.lsp_range(start, end)
        return lsp.Range(lsp.Position(sl, sc), lsp.Position(el, ec))

    def docs_url(self, rule: str) -> str | None:
        from ..reporters.base import Summary
        from ..reporters.sarif import docs_uri

        if self._shipped is None:
            self._shipped = Summary()
        return docs_uri(rule) if self._shipped.ships(rule) else None

    def lang(self, path: str) -> str:
        """The language of the messages for ``path``: its config's `lang`, else the environment's."""
        from ..lang import resolve_lang

        try:
            configured = self.session.prepared(path).config.lang
        except Exception:  # a broken config: its error is a diagnostic already
            configured = None
        return resolve_lang(None, configured)

    def diagnostic(self, analysis: Analysis, v: Violation, lang: str = "en") -> lsp.Diagnostic:
        start, end = analysis.span(v)
        message = v.message
        if lang != "en":
            from ..i18n import message as translated

            message = translated(lang, message)
        url = self.docs_url(v.rule)
        tags = [lsp.DiagnosticTag.Unnecessary] if v.rule == "unused-suppression" else None
        return lsp.Diagnostic(
            range=self.lsp_range(analysis, start, end),
            message=message,
            severity=SEVERITIES.get(v.severity, lsp.DiagnosticSeverity.Warning),
            code=v.rule,
            code_description=lsp.CodeDescription(href=url) if url else None,
            source=SOURCE,
            tags=tags,
            data={"code": v.code, "fixable": v.fix is not None} if v.rule != CONFIG_ERROR else None,
        )

    def workspace_edit(self, uri: str, analysis: Analysis, edits: list[Edit]) -> lsp.WorkspaceEdit:
        version = self.analyses.get(uri, (None,))[0]
        text_edits: list[lsp.TextEdit | lsp.AnnotatedTextEdit | lsp.SnippetTextEdit] = [
            lsp.TextEdit(self.lsp_range(analysis, e.start, e.end), e.content) for e in edits]
        return lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(
            lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version), text_edits)])

    def code_action(self, uri: str, analysis: Analysis, action: Action,
                    diagnostics: list[lsp.Diagnostic] | None) -> lsp.CodeAction:
        kind = {"fix": lsp.CodeActionKind.QuickFix, "disable": lsp.CodeActionKind.QuickFix}.get(action.kind, FIX_ALL)
        return lsp.CodeAction(
            title=action.title,
            kind=kind,
            diagnostics=diagnostics,
            is_preferred=action.preferred or None,
            disabled=lsp.CodeActionDisabled(action.disabled) if action.disabled else None,
            edit=None if action.disabled else self.workspace_edit(uri, analysis, action.edits),
        )


def _wanted(kind: str, only: list[str] | None) -> bool:
    """True when a code action of ``kind`` answers a request limited to ``only``."""
    return not only or any(kind == o or kind.startswith(o + ".") for o in only)


def _guarded(default: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A handler that logs its failure and answers ``default`` instead of raising."""
    def wrap(handler: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(handler)
        def run(ls: NewslintServer, params: Any) -> Any:
            try:
                return handler(ls, params)
            except Exception as exc:
                log.exception("newslint: %s failed", handler.__name__)
                try:
                    ls.window_log_message(lsp.LogMessageParams(
                        lsp.MessageType.Error, f"newslint: {handler.__name__} failed: {type(exc).__name__}: {exc}"))
                except Exception:
                    pass
                return default
        return run
    return wrap


def build_server() -> NewslintServer:
    server = NewslintServer()

    @server.feature(lsp.INITIALIZE)
    @_guarded(None)
    def initialize(ls: NewslintServer, params: lsp.InitializeParams) -> None:
        root = None
        if params.workspace_folders:
            root = to_fs_path(params.workspace_folders[0].uri)
        elif params.root_uri:
            root = to_fs_path(params.root_uri)
        elif params.root_path:
            root = params.root_path
        ls.session.close()
        ls.session = Session(root if root and os.path.isdir(root) else None)

    @server.feature(lsp.INITIALIZED)
    @_guarded(None)
    def initialized(ls: NewslintServer, params: lsp.InitializedParams) -> None:
        # Ask to hear of config files, where the client lets a server ask: a
        # new one changes which configuration applies (an edited one is seen anyway).
        watched = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
        if watched and watched.dynamic_registration:
            ls.client_register_capability(lsp.RegistrationParams([lsp.Registration(
                "newslint-config-files", lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                lsp.DidChangeWatchedFilesRegistrationOptions([lsp.FileSystemWatcher(
                    glob_pattern=f"**/{{{','.join(CONFIG_NAMES)}}}")]))]))

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    @_guarded(None)
    def did_open(ls: NewslintServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.lint_now(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    @_guarded(None)
    def did_change(ls: NewslintServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.lint_later(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    @_guarded(None)
    def did_save(ls: NewslintServer, params: lsp.DidSaveTextDocumentParams) -> None:
        ls.analyses.pop(params.text_document.uri, None)  # linted again: a schema or pack may have changed
        ls.lint_now(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    @_guarded(None)
    def did_close(ls: NewslintServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @_guarded(None)
    def did_change_watched_files(ls: NewslintServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        ls.relint_all()  # a config file, a schema or a rule pack changed

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
        code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=False))
    @_guarded([])
    def code_action(ls: NewslintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        uri = params.text_document.uri
        analysis = ls.analysis(uri)
        if analysis is None:
            return []
        only = list(params.context.only) if params.context.only else None
        index = analysis.index
        lo = index.offset(params.range.start.line, params.range.start.character)
        hi = index.offset(params.range.end.line, params.range.end.character)
        out: list[lsp.CodeAction] = []
        if _wanted(lsp.CodeActionKind.QuickFix, only):
            for v in analysis.within(min(lo, hi), max(lo, hi)):
                diagnostics = [ls.diagnostic(analysis, v, ls.lang(analysis.path))]
                for action in (ls.session.quick_fix(analysis, v), ls.session.disable(analysis, v)):
                    if action is not None:
                        out.append(ls.code_action(uri, analysis, action, diagnostics))
        if _wanted(FIX_ALL, only):
            action = ls.session.fix_all(analysis)
            if action is not None:
                out.append(ls.code_action(uri, analysis, action, None))
        return out

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    @_guarded(None)
    def hover(ls: NewslintServer, params: lsp.HoverParams) -> lsp.Hover | None:
        analysis = ls.analysis(params.text_document.uri)
        if analysis is None:
            return None
        offset = analysis.index.offset(params.position.line, params.position.character)
        found = analysis.at(offset)
        if not found:
            return None
        parts = []
        seen: set[str] = set()
        for v in found:
            if v.rule in seen:
                continue
            seen.add(v.rule)
            rule = ls.session.rule(analysis.path, v.rule)
            lang = ls.lang(analysis.path)
            if rule is not None and lang != "en":
                from ..i18n import rule_text

                summary = rule_text(lang, rule, "summary") or v.message
            else:
                summary = (rule.summary() if rule is not None else "") or v.message
            head = f"**newslint** `{v.rule}`" + (f" ({v.code})" if v.code else "")
            url = ls.docs_url(v.rule)
            parts.append(f"{head}: {summary}" + (f"\n\n[Docs for `{v.rule}`]({url})" if url else ""))
        start, end = analysis.span(found[0])
        return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, "\n\n---\n\n".join(parts)),
                         ls.lsp_range(analysis, start, end))

    @server.feature(lsp.SHUTDOWN)
    @_guarded(None)
    def shutdown(ls: NewslintServer, params: Any) -> None:
        for timer in ls.pending.values():
            timer.cancel()
        ls.pending.clear()
        ls.session.close()

    return server
