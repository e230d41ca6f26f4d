// The page's links that follow the query: the permalink, the download links, the examples menu.
// They read the textarea (the source of truth), so they work whether or not the editor mounted.

// What the page's URL says besides the query that the links keep: the graphs the query runs over
// (for every link), and the result view shown (for the permalink; a download has no view).
const DATASET_PARAMETERS = ["default-graph-uri", "named-graph-uri"];

function queryUrl(query, format) {
  const page = new URL(window.location.href).searchParams;
  const url = new URL("/sparql", window.location.href);
  url.searchParams.set("query", query);
  if (format) url.searchParams.set("format", format);
  for (const name of DATASET_PARAMETERS) {
    page.getAll(name).forEach((value) => url.searchParams.append(name, value));
  }
  if (!format && page.has("view")) url.searchParams.set("view", page.get("view"));
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
