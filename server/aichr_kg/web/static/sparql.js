// The query page's enhancements: highlighting, Ctrl+Enter, examples, permalink, downloads, error line.
// The page works without this script: the form submits and the server renders the results.
(function () {
  "use strict";
  const textarea = document.getElementById("query");
  const highlight = document.getElementById("highlight");
  const form = document.getElementById("query-form");
  const errorBox = document.getElementById("error");
  const config = JSON.parse(document.getElementById("config").textContent);
  const knownPrefixes = new Set(Object.keys(config.prefixes));
  const KEYWORDS = /^(SELECT|ASK|CONSTRUCT|DESCRIBE|WHERE|PREFIX|BASE|FROM|NAMED|GRAPH|OPTIONAL|FILTER|UNION|MINUS|BIND|VALUES|GROUP|BY|ORDER|ASC|DESC|LIMIT|OFFSET|DISTINCT|REDUCED|HAVING|AS|NOT|EXISTS|IN|COUNT|SUM|AVG|MIN|MAX|SAMPLE|GROUP_CONCAT|SEPARATOR|STR|LANG|DATATYPE|IRI|BOUND|IF|COALESCE|REGEX|CONTAINS|STRSTARTS|LCASE|UCASE|YEAR|MONTH|a)$/i;
  const TOKEN = /(#[^\n]*)|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(<[^<>"{}|^`\\\s]*>)|([?$][\w]+)|([A-Za-z][\w-]*)?:([\w.-]*[\w-])?|([A-Za-z_]+)|(\d+(?:\.\d+)?)|([\s\S])/g;

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  function span(cls, text) {
    return '<span class="tok-' + cls + '">' + escapeHtml(text) + "</span>";
  }

  function highlightQuery(text) {
    return text.replace(TOKEN, (match, comment, string, iri, variable, prefix, local, word, number) => {
      if (comment) return span("comment", match);
      if (string) return span("string", match);
      if (iri) return span("iri", match);
      if (variable) return span("variable", match);
      if (prefix !== undefined || local !== undefined) {
        return span(knownPrefixes.has(prefix || "") ? "prefixed" : "prefixed-unknown", match);
      }
      if (word && KEYWORDS.test(word)) return span("keyword", match);
      if (number) return span("number", match);
      return escapeHtml(match);
    });
  }

  function markErrorLine(html) {
    if (!errorBox || !errorBox.dataset.line) return html;
    const lineNumber = parseInt(errorBox.dataset.line, 10);
    const lines = html.split("\n");
    if (lineNumber >= 1 && lineNumber <= lines.length) {
      lines[lineNumber - 1] = '<span class="error-line">' + (lines[lineNumber - 1] || " ") + "</span>";
    }
    return lines.join("\n");
  }

  function queryUrl(format) {
    const url = new URL("/sparql", window.location.href);
    url.searchParams.set("query", textarea.value);
    if (format) url.searchParams.set("format", format);
    return url.pathname + url.search;
  }

  function refresh() {
    highlight.innerHTML = markErrorLine(highlightQuery(textarea.value)) + "\n";
    document.getElementById("permalink").href = queryUrl(null);
    document.querySelectorAll("#downloads a[data-format]").forEach((link) => {
      link.href = queryUrl(link.dataset.format);
    });
  }

  textarea.addEventListener("input", refresh);
  textarea.addEventListener("scroll", () => {
    highlight.scrollTop = textarea.scrollTop;
    highlight.scrollLeft = textarea.scrollLeft;
  });
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  document.getElementById("examples").addEventListener("change", (event) => {
    const option = event.target.selectedOptions[0];
    if (option && option.dataset.query) {
      textarea.value = option.dataset.query;
      refresh();
    }
  });
  document.body.classList.add("js");
  refresh();
})();
