# Renders many Markdown bodies with the real kramdown, in one process.
# Reads a JSON array of strings on stdin; writes a JSON array with, for each,
# the HTML kramdown makes and the text of its code blocks and code spans.
# Options are Jekyll's defaults for kramdown (the GFM parser), without a
# syntax highlighter: the code's text is the same.
require "json"
require "kramdown"
require "kramdown-parser-gfm"

OPTIONS = {
  input: "GFM", auto_ids: true, toc_levels: (1..6).to_a, entity_output: "as_char",
  smart_quotes: "lsquo,rsquo,ldquo,rdquo", hard_wrap: false, footnote_nr: 1,
  show_warnings: false, syntax_highlighter: nil,
}.freeze

def code_of(el, out)
  out << el.value if el.type == :codeblock || el.type == :codespan
  el.children.each { |child| code_of(child, out) }
  out
end

bodies = JSON.parse($stdin.read)
results = bodies.map do |body|
  doc = Kramdown::Document.new(body, OPTIONS)
  { "html" => doc.to_html, "code" => code_of(doc.root, []) }
rescue StandardError => e
  { "error" => "#{e.class}: #{e.message}" }
end
$stdout.write(JSON.generate(results))
