// The editor: CodeMirror mounted over the form's textarea, which stays the form field and the
// source of truth (every change is written back and announced with `input`; another script that
// replaces the query sets the textarea and sends `query-replaced`, and the editor loads it).
//
// The editor lives in a shadow root: CodeMirror's own styles then go into a constructed stylesheet
// of that root, which the page's Content-Security-Policy (`style-src 'self'`) allows, where in the
// document they would be an inline <style> element it refuses.
import { autocompletion, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { Annotation, EditorState, Prec, StateEffect, StateField } from "@codemirror/state";
import { Decoration, EditorView, keymap, lineNumbers } from "@codemirror/view";
import { sparqlCompletionSource } from "./completion.js";
import { sparqlHighlighting, sparqlLanguage } from "./sparql-language.js";

const replacedFromOutside = Annotation.define();
const clearErrorLine = StateEffect.define();

/** The line the server's error names (1-based), marked until the query is replaced. */
function errorLineField(lineNumber) {
  return StateField.define({
    create(state) {
      if (!lineNumber || lineNumber > state.doc.lines) return Decoration.none;
      const line = state.doc.line(lineNumber);
      return Decoration.set([Decoration.line({ class: "error-line" }).range(line.from)]);
    },
    update(marks, transaction) {
      if (transaction.effects.some((effect) => effect.is(clearErrorLine))) return Decoration.none;
      return marks.map(transaction.changes);
    },
    provide: (field) => EditorView.decorations.from(field),
  });
}

/** Every document change goes back to the textarea, announced with `input` (not the ones it sent). */
function writeBack(textarea) {
  return EditorView.updateListener.of((update) => {
    if (!update.docChanged || update.transactions.some((tr) => tr.annotation(replacedFromOutside))) return;
    textarea.value = update.state.doc.toString();
    textarea.dispatchEvent(new Event("input"));
  });
}

/**
 * Typing over a selection is done here, not by the browser: Chromium, replacing selected styled
 * text natively, wraps the new character in a span with a style attribute (to keep the look of what
 * it replaced), which the policy refuses and reports, before CodeMirror redraws the line anyway.
 */
const typeOverSelection = EditorView.domEventHandlers({
  beforeinput(event, view) {
    if (event.inputType !== "insertText" || !event.data || event.isComposing) return false;
    if (view.state.selection.ranges.every((range) => range.empty)) return false;
    event.preventDefault();
    view.dispatch(view.state.replaceSelection(event.data), { scrollIntoView: true, userEvent: "input.type" });
    return true;
  },
});

/** A host beside the textarea with an open shadow root holding the page's stylesheet. */
function shadowHost(textarea) {
  const host = document.createElement("div");
  host.className = "query-editor";
  textarea.after(host);
  const root = host.attachShadow({ mode: "open" });
  const pageStyles = document.querySelector('link[rel="stylesheet"]');
  if (pageStyles) root.append(pageStyles.cloneNode());
  return root;
}

function extensions({ textarea, form, prefixes, errorLine, completionIndex }) {
  return [
    lineNumbers(),
    history(),
    EditorView.lineWrapping,
    typeOverSelection,
    EditorView.contentAttributes.of({ "aria-label": "SPARQL query" }),
    sparqlLanguage(new Set(Object.keys(prefixes))),
    sparqlHighlighting,
    autocompletion({ override: [sparqlCompletionSource(completionIndex)], activateOnTypingDelay: 20 }),
    Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => (form.requestSubmit(), true) }])),
    keymap.of([...completionKeymap, ...historyKeymap, ...defaultKeymap]),
    errorLineField(errorLine),
    writeBack(textarea),
  ];
}

/** Mount the editor over `textarea` and keep the two in step; the textarea is hidden, not removed. */
export function mountEditor(options) {
  const { textarea } = options;
  const view = new EditorView({
    parent: shadowHost(textarea),
    state: EditorState.create({ doc: textarea.value, extensions: extensions(options) }),
  });
  textarea.addEventListener("query-replaced", () => {
    view.dispatch({
      changes: { from: 0, to: view.state.doc.length, insert: textarea.value },
      annotations: replacedFromOutside.of(true),
      effects: clearErrorLine.of(null),
    });
  });
  textarea.hidden = true;
  return view;
}
