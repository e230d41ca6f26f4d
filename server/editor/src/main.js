// The query page's script: the editor with completion, Ctrl+Enter, the examples, the permalink and
// download links, the error line. The page works without it: the form submits and the server
// renders the results.
import { loadIndex } from "./completion-data.js";
import { mountEditor } from "./editor.js";
import { followQuery, offerExamples } from "./page-links.js";

function start() {
  const textarea = document.getElementById("query");
  const form = document.getElementById("query-form");
  const configBlock = document.getElementById("config");
  if (!textarea || !form || !configBlock) return;
  const config = JSON.parse(configBlock.textContent);
  const errorBox = document.getElementById("error");
  const completionIndex = config.completion
    ? loadIndex(config.completion).catch((error) => (console.warn("query completion is off:", error), null))
    : Promise.resolve(null);
  followQuery(textarea);
  const examples = document.getElementById("examples");
  if (examples) offerExamples(textarea, examples);
  mountEditor({
    textarea,
    form,
    prefixes: config.prefixes || {},
    errorLine: errorBox ? parseInt(errorBox.dataset.line, 10) || null : null,
    completionIndex,
  });
  document.body.classList.add("js");
}

start();
