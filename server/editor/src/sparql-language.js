// SPARQL highlighting: CodeMirror's legacy SPARQL mode, with IRIs, numbers and prefixed names told
// apart (a prefix the server does not predeclare, and the query does not declare, is marked).
import { StreamLanguage, syntaxHighlighting } from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { Tag, tags, tagHighlighter } from "@lezer/highlight";

const unknownPrefix = Tag.define();
const PREFIXED = /^([A-Za-z][\w.-]*)?:/;
const NUMBER = /^\d+(\.\d+)?$/;

/** A token's style from the legacy mode, refined where our page distinguishes more. */
function refine(style, text, knownPrefixes) {
  if (style === "atom") {
    if (text.startsWith("<")) return "iri";
    const prefixed = PREFIXED.exec(text);
    if (prefixed && !knownPrefixes.has(prefixed[1] || "")) return "unknownPrefix";
    return "prefixed";
  }
  if (style === "variable" && NUMBER.test(text)) return "number";
  return style;
}

/** The language for `knownPrefixes` (a Set of prefix names: those the server predeclares). */
export function sparqlLanguage(knownPrefixes) {
  return StreamLanguage.define({
    ...sparql,
    token(stream, state) {
      const style = sparql.token(stream, state);
      return style && refine(style, stream.current(), knownPrefixes);
    },
    tokenTable: { iri: tags.url, prefixed: tags.namespace, unknownPrefix, number: tags.number },
  });
}

// The class names the page's stylesheet colours (the same as the page had before the editor).
export const sparqlHighlighting = syntaxHighlighting(
  tagHighlighter([
    { tag: [tags.keyword, tags.standard(tags.variableName)], class: "tok-keyword" },
    { tag: tags.local(tags.variableName), class: "tok-variable" },
    { tag: tags.string, class: "tok-string" },
    { tag: tags.url, class: "tok-iri" },
    { tag: tags.namespace, class: "tok-prefixed" },
    { tag: unknownPrefix, class: "tok-prefixed-unknown" },
    { tag: tags.comment, class: "tok-comment" },
    { tag: tags.number, class: "tok-number" },
  ]),
);
