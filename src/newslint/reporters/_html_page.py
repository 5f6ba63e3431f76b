"""The styles and the script of the ``--format html`` page (inline, nothing loaded).

The script is allowed by its hash in the page's Content-Security-Policy
(``reporters.html`` computes it from ``PAGE_JS``): any change here changes the
hash with it. It only reads ``data-*`` attributes, form values and the URL's
fragment (``#severity=error&rule=...&path=...`` opens the page filtered), and
writes ``hidden`` flags, form values and a count, never markup (the count's
words come from the ``data-all`` and ``data-some`` attributes in another language).
"""

# System fonts only: Hangul comes from whichever Korean font the machine has.
_SANS = ('system-ui, -apple-system, "Segoe UI", "Apple SD Gothic Neo", "Malgun Gothic", "맑은 고딕", '
         '"Noto Sans KR", "Noto Sans CJK KR", "Source Han Sans KR", "Nanum Gothic", "나눔고딕", sans-serif')
_MONO = ('ui-monospace, "SFMono-Regular", Menlo, Consolas, "D2Coding", "Noto Sans Mono CJK KR", '
         '"Nanum Gothic Coding", "Malgun Gothic", "Apple SD Gothic Neo", monospace')

PAGE_CSS = """
:root { --error: #b42318; --error-bg: #fef3f2; --warning: #b54708; --warning-bg: #fffaeb;
  --info: #175cd3; --info-bg: #eff8ff; --ink: #1d2939; --muted: #667085; --line: #e4e7ec;
  --code-bg: #f8f9fb; --del: #ffebe9; --del-mark: #ffb3ad; --ins: #e6ffec; --ins-mark: #9be9a8; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 1120px; padding: 24px 28px 48px; color: var(--ink); background: #fff;
  font: 15px/1.55 SANS; word-break: keep-all; overflow-wrap: break-word; }
h1 { font-size: 26px; margin: 0 0 4px; letter-spacing: -0.01em; }
h2 { font-size: 18px; margin: 0 0 12px; }
a { color: #1849a9; }
code { font-family: MONO; font-size: 0.9em; background: #f2f4f7; border-radius: 4px; padding: 0 2px; }
.line { margin: 0 0 16px; color: var(--muted); }
.notes { margin: 0 0 16px; padding-left: 20px; color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin-bottom: 28px; }
.card { border: 1px solid var(--line); border-left: 6px solid var(--muted); border-radius: 8px;
  padding: 10px 16px; min-width: 130px; color: var(--muted); }
.card b { display: block; font-size: 26px; line-height: 1.2; color: var(--ink); }
.card.zero { opacity: .55; }
.card.error { border-left-color: var(--error); } .card.error b { color: var(--error); }
.card.warning { border-left-color: var(--warning); } .card.warning b { color: var(--warning); }
.card.info { border-left-color: var(--info); } .card.info b { color: var(--info); }
.rules { margin-bottom: 28px; }
.rules table { width: 100%; border-collapse: collapse; font-size: 14px; }
.rules th { text-align: left; color: var(--muted); font-weight: 600; border-bottom: 2px solid var(--line);
  padding: 6px 8px; }
.rules td { border-bottom: 1px solid var(--line); padding: 6px 8px; vertical-align: top; }
.rules .rn { white-space: nowrap; font-family: MONO; font-size: 13px; }
.num { white-space: nowrap; text-align: right; font-variant-numeric: tabular-nums; }
.bar { width: 120px; } .bar span { display: block; height: 10px; margin-top: 6px; border-radius: 5px; }
.bar .error { background: var(--error); } .bar .warning { background: var(--warning); }
.bar .info { background: var(--info); }
.sev { display: inline-block; white-space: nowrap; font-size: 12px; font-weight: 700; text-transform: uppercase; letter-spacing: .04em;
  border-radius: 4px; padding: 1px 7px; color: #fff; background: var(--muted); }
.sev.error { background: var(--error); } .sev.warning { background: var(--warning); }
.sev.info { background: var(--info); }
.code { color: var(--muted); font-size: 12px; font-family: MONO; }
.filters { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: 16px; align-items: center;
  background: #fff; border-bottom: 1px solid var(--line); padding: 10px 0; margin-bottom: 20px; font-size: 14px; }
.filters[hidden] { display: none; }
.filters select, .filters input { font: inherit; margin-left: 6px; padding: 3px 6px; }
.filters output { color: var(--muted); margin-left: auto; }
/* A report of a whole archive has thousands of findings: sections off screen are not laid out until seen. */
.file { margin: 0 0 28px; content-visibility: auto; contain-intrinsic-size: auto 800px; }
.file > h2 { font-family: MONO; font-size: 15px; padding: 8px 12px; background: #f2f4f7; border-radius: 6px;
  display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.file > h2 .path { margin-right: auto; overflow-wrap: anywhere; }
.pill { font-family: SANS; font-size: 12px; font-weight: 600; border-radius: 10px; padding: 0 8px; }
.pill.error { color: var(--error); background: var(--error-bg); }
.pill.warning { color: var(--warning); background: var(--warning-bg); }
.pill.info { color: var(--info); background: var(--info-bg); }
.finding { border: 1px solid var(--line); border-left: 5px solid var(--muted); border-radius: 6px;
  padding: 10px 14px 12px; margin: 0 0 14px 12px; }
.finding.error { border-left-color: var(--error); } .finding.warning { border-left-color: var(--warning); }
.finding.info { border-left-color: var(--info); }
.finding > header { display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; }
.finding .rule { font-weight: 700; font-family: MONO; font-size: 14px; }
.finding .where { margin-left: auto; color: var(--muted); font-size: 13px; text-decoration: none; }
.msg { margin: 6px 0 8px; font-size: 16px; }
.src { width: 100%; border-collapse: collapse; font: 13px/1.6 MONO; background: var(--code-bg);
  border: 1px solid var(--line); border-radius: 4px; margin: 6px 0; table-layout: fixed; }
.src td { padding: 0 8px; white-space: pre-wrap; word-break: break-all; vertical-align: top; tab-size: 4; }
.src td.ln { width: 4.5em; text-align: right; color: #98a2b3; user-select: none; border-right: 1px solid var(--line); }
.src td.sg { width: 1.6em; padding: 0 2px; text-align: center; color: var(--muted); user-select: none; }
.src mark { background: #fde68a; color: inherit; border-bottom: 2px solid var(--warning); border-radius: 2px; }
.error .src mark { background: #fecdca; border-bottom-color: var(--error); }
.info .src mark { background: #d1e9ff; border-bottom-color: var(--info); }
.src mark.at { display: inline-block; width: 0; height: 1.2em; vertical-align: text-bottom;
  border-left: 2px solid var(--error); border-bottom: 0; }
.src .cut { color: #98a2b3; }
.src tr.gap td { color: #98a2b3; }
.diff tr.del { background: var(--del); } .diff tr.ins { background: var(--ins); }
.error .diff tr.del mark, .diff tr.del mark { background: var(--del-mark); border-bottom: 0; }
.error .diff tr.ins mark, .diff tr.ins mark { background: var(--ins-mark); border-bottom: 0; }
.ch { display: inline-block; font: 10px/1.3 SANS; padding: 0 3px; margin: 0 1px; border: 1px solid #98a2b3;
  border-radius: 3px; color: #475467; background: #fff; vertical-align: 1px; }
.fix { margin-top: 8px; }
.fixhead { margin: 0; font-size: 14px; }
.tag { display: inline-block; font-size: 12px; font-weight: 700; border-radius: 4px; padding: 0 6px;
  border: 1px solid currentColor; }
.tag.safe { color: #067647; } .tag.unsafe { color: var(--warning); } .tag.display-only { color: var(--muted); }
.how, .more { color: var(--muted); font-size: 13px; }
.more { margin: 2px 0 0; }
.doc { margin: 8px 0 0; font-size: 13px; color: #475467; border-top: 1px dashed var(--line); padding-top: 6px; }
.clean { font-size: 18px; color: #067647; }
footer { margin-top: 40px; color: var(--muted); font-size: 13px; }
footer .version::after { content: attr(data-version); }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .msg { font-size: 10.5pt; margin: 2pt 0 4pt; }
  .src { font-size: 8pt; } .doc, .fixhead { font-size: 8.5pt; }
  .finding { padding: 6pt 10pt 8pt; margin-bottom: 8pt; }
  .filters { display: none !important; }
  .file { content-visibility: visible; }
  .finding, .rules tr, .card { break-inside: avoid; }
  .file > h2 { break-after: avoid; }
  .finding .where { text-decoration: none; color: var(--muted); }
  a { color: inherit; }
  .src td { white-space: pre-wrap; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
""".replace("SANS", _SANS).replace("MONO", _MONO)

PAGE_JS = """
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var items = Array.prototype.slice.call(document.querySelectorAll("article.finding"));
  var files = Array.prototype.slice.call(document.querySelectorAll("section.file"));
  var shown = document.getElementById("shown");
  function apply() {
    var sev = form.elements.severity.value, rule = form.elements.rule.value;
    var part = form.elements.path.value.trim().toLowerCase(), n = 0;
    items.forEach(function (el) {
      var ok = (!sev || el.dataset.severity === sev) && (!rule || el.dataset.rule === rule) &&
        (!part || el.dataset.path.toLowerCase().indexOf(part) >= 0);
      el.hidden = !ok;
      if (ok) { n += 1; }
    });
    files.forEach(function (f) { f.hidden = !f.querySelector("article.finding:not([hidden])"); });
    var said = n === items.length ? shown.dataset.all || "{total} findings" : shown.dataset.some || "{n} of {total} findings shown";
    shown.textContent = said.replace("{n}", String(n)).replace("{total}", String(items.length));
  }
  // A link can open the page filtered: report.html#severity=error&path=ko-
  var wanted = new URLSearchParams(location.hash.slice(1));
  ["severity", "rule", "path"].forEach(function (name) {
    if (wanted.has(name)) { form.elements[name].value = wanted.get(name); }
  });
  form.addEventListener("input", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.hidden = false;
  apply();
  document.documentElement.setAttribute("data-filters", "on");
})();
"""
