// Where the cursor stands in a query's triple patterns, and which classes its subjects have, read
// from the text alone: no parse tree is needed to know "after `?p a aj:JAIFProject ;` comes a
// property of a JAIF project", and the text before the cursor is usually not a valid query yet.

// A literal is one token with its language tag or datatype, so that neither reads as a next term.
const LITERAL = /(?:"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?)(?:@[\w-]+|\^\^(?:<[^<>\s]*>|[\w.-]*:[\w.-]*))?/;
const IRI = /<[^<>"{}|^`\\\s]*>/;
const PREFIXED_NAME = /(?:[A-Za-z][\w.-]*)?:(?:[\w.-]*[\w-])?/;
const TOKEN = new RegExp(
  [/#[^\n]*/, LITERAL, IRI, /[?$]\w*/, PREFIXED_NAME, /[A-Za-z_][\w-]*/, /\d+(?:\.\d+)?/, /\S/]
    .map((part) => part.source)
    .join("|"),
  "g",
);
const WORD = /^[A-Za-z_][\w-]*$/;
export const TYPE_PREDICATES = new Set(["a", "rdf:type"]); // how queries here say it (rdf: is predeclared)
const VARIABLE = /^[?$]\w+$/;

/** The query's tokens, comments left out. */
export function tokenize(text) {
  return (text.match(TOKEN) || []).filter((token) => !token.startsWith("#"));
}

/** The index of the `)` closing the group opened by `(` at `start`, or -1 while it is still open. */
function groupEnd(tokens, start) {
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    if (tokens[i] === "(") depth++;
    else if (tokens[i] === ")" && --depth === 0) return i;
  }
  return -1;
}

/** A term's effect on the walk: it fills the slot the position names and moves to the next. */
function placeTerm(walk, term) {
  if (walk.position === "predicate") {
    walk.predicate = term;
    walk.position = "object";
  } else if (walk.position === "object") {
    if (TYPE_PREDICATES.has(walk.predicate) && walk.subject) addType(walk.types, walk.subject, term);
    walk.position = "after-object";
  } else {
    walk.subject = term;
    walk.position = "predicate";
  }
}

function addType(types, subject, type) {
  if (!types.has(subject)) types.set(subject, []);
  if (!types.get(subject).includes(type)) types.get(subject).push(type);
}

const PUNCTUATION = { ".": "subject", ";": "predicate", ",": "object", "]": "after-object" };
const BETWEEN_PATTERNS = new Set(["subject", "after-object"]); // where a bare word is a keyword (OPTIONAL, FILTER)

/**
 * Walk the tokens as triple patterns: the position reached at their end (prologue, subject,
 * predicate, object, after-object or expression), its subject and predicate, and the classes the
 * patterns give their subjects (`?p a aj:JAIFProject`), as a Map from subject to class ids.
 */
export function readPatterns(tokens) {
  const walk = { depth: 0, position: "prologue", subject: null, predicate: null, types: new Map() };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === "{" || token === "}") {
      walk.depth = Math.max(0, walk.depth + (token === "{" ? 1 : -1));
      walk.position = walk.depth > 0 ? "subject" : "prologue";
    } else if (token === "(") {
      const end = groupEnd(tokens, i);
      if (end < 0) return { ...walk, position: "expression" }; // FILTER(, BIND(, (COUNT(: still open
      if (walk.depth > 0) walk.position = "subject";
      i = end;
    } else if (walk.depth === 0) {
      continue; // the SELECT clause and the modifiers: no triple patterns
    } else if (token in PUNCTUATION) {
      walk.position = PUNCTUATION[token];
    } else if (token === "[") {
      Object.assign(walk, { subject: "[]", position: "predicate" }); // a blank node: no class known
    } else if (BETWEEN_PATTERNS.has(walk.position) && WORD.test(token) && token !== "a") {
      walk.position = "subject";
      if (token.toUpperCase() === "GRAPH") i++; // GRAPH ?g { ... }: the graph's name is no subject
    } else if (token !== "/" && token !== "^") {
      placeTerm(walk, token);
    }
  }
  return walk;
}

/** The variables the query names, in order of first use. */
export function queryVariables(tokens) {
  return [...new Set(tokens.filter((token) => VARIABLE.test(token)))];
}
