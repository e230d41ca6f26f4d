// The page's links that follow the query: the permalink, the download links, the examples menu.
// They read the textarea (the source of truth), so they work whether or not the editor mounted.

function queryUrl(query, format) {
  const url = new URL("/sparql", window.location.href);
  url.searchParams.set("query", query);
  if (format) url.searchParams.set("format", format);
  return url.pathname + url.search;
}

/** Point the permalink and the download links at the textarea's query, now and after every change. */
export function followQuery(textarea) {
  const refresh = () => {
    const permalink = document.getElementById("permalink");
    if (permalink) permalink.href = queryUrl(textarea.value, null);
    document.querySelectorAll("#downloads a[data-format]").forEach((link) => {
      link.href = queryUrl(textarea.value, link.dataset.format);
    });
  };
  textarea.addEventListener("input", refresh);
  textarea.addEventListener("query-replaced", refresh);
  refresh();
}

/** Picking an example replaces the query, the way any other script replaces it. */
export function offerExamples(textarea, examples) {
  examples.addEventListener("change", () => {
    const option = examples.selectedOptions[0];
    if (!option || !option.dataset.query) return;
    textarea.value = option.dataset.query;
    textarea.dispatchEvent(new CustomEvent("query-replaced"));
  });
}
