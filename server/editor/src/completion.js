// Completion for the query editor: keywords, prefixes, classes, properties and the query's own
// variables, narrowed by where the cursor stands (after `?p a aj:JAIFProject ;` only the properties
// of a JAIF project; after `a` only classes; after a property what fits its object).
import { TYPE_PREDICATES, queryVariables, readPatterns, tokenize } from "./query-context.js";

// A variable, a prefixed name, a keyword or an IRI being typed (the resource names an instance
// without a predeclared prefix by its full IRI).
const WORD = [/[?$]\w*/, /(?:[A-Za-z][\w.-]*)?:[\w.-]*/, /[A-Za-z_][\w-]*/, /<[^\s<>]*/]
  .map((part) => part.source)
  .join("|");
const WORD_BEFORE = new RegExp(`(?:${WORD})$`);
const STILL_A_WORD = new RegExp(`^(?:${WORD})$`);
const TYPE_KEYWORD = { label: "a", type: "keyword", detail: "rdf:type", boost: 50 };

/** The properties for a subject: those of its known classes, only (each once), or every property. */
function predicateOptions(index, classes) {
  const fitting = new Map(classes.flatMap((classId) => index.propertiesOf(classId)).map((o) => [o.label, o]));
  return [TYPE_KEYWORD, ...(fitting.size ? fitting.values() : [...index.prefixes, ...index.properties])];
}

/** What fits the object of `predicate`: classes after `a`, the property's values first otherwise. */
function objectOptions(index, predicate) {
  if (TYPE_PREDICATES.has(predicate)) return index.classes;
  const values = predicate && index.valuesOf(predicate);
  return values && values.length ? values : [...index.prefixes, ...index.instances, ...index.classes];
}

/** Every suggestion that fits the cursor's position, `variables` included. */
function optionsAt(index, position, types, variables) {
  const variableOptions = variables.map((name) => ({ label: name, type: "variable" }));
  switch (position.position) {
    case "predicate":
      return [...predicateOptions(index, types.get(position.subject) || []), ...variableOptions];
    case "object":
      return [...objectOptions(index, position.predicate), ...variableOptions];
    case "prologue":
      return [...index.keywords, ...index.prefixes, ...variableOptions];
    default: // a subject, or an expression: anything may come
      return [...variableOptions, ...index.keywords, ...index.prefixes, ...index.terms];
  }
}

/** The suggestions for the word before the cursor, from a loaded index (synchronous: no delay). */
function complete(index, context) {
  const typed = context.matchBefore(WORD_BEFORE);
  const word = typed || (context.explicit ? { from: context.pos, to: context.pos } : null); // Ctrl+Space
  if (!word) return null;
  const text = context.state.doc.toString();
  const before = tokenize(text.slice(0, word.from));
  const all = tokenize(text.slice(0, word.from) + text.slice(word.to));
  const options = optionsAt(index, readPatterns(before), readPatterns(all).types, queryVariables(all));
  return { from: word.from, options, validFor: STILL_A_WORD };
}

/** The completion source over `indexPromise` (null when the resource failed): at once once loaded. */
export function sparqlCompletionSource(indexPromise) {
  let index = null;
  indexPromise.then((loaded) => (index = loaded)).catch(() => {});
  return (context) => (index ? complete(index, context) : indexPromise.then((loaded) => loaded && complete(loaded, context)));
}
