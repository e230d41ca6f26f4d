// The completion resource (GET /sparql/completion.json, one document per dataset) turned once into
// ready-made CodeMirror options, so that answering a keystroke only picks lists: no work per term.

const OPTION_TYPE = { class: "class", property: "property", instance: "constant" };
const MAX_BOOST = 99;

/** One suggestion: the compact id, its label beside it, its definition's first line in the info panel. */
function termOption(term) {
  const option = { label: term.id, type: OPTION_TYPE[term.kind] || "text" };
  if (term.label) option.detail = term.label;
  if (term.definition) option.info = term.definition.split("\n")[0];
  return option;
}

/** The options for `ids`, ranked in their order (the resource lists the most used first). */
function rankedOptions(ids, options) {
  return ids
    .filter((id) => options.has(id))
    .map((id, rank) => ({ ...options.get(id), boost: Math.max(-MAX_BOOST, MAX_BOOST - rank) }));
}

/** Memoise `build(key)`: context lists are made the first time a context asks for them. */
function memo(build) {
  const made = new Map();
  return (key) => {
    if (!made.has(key)) made.set(key, build(key));
    return made.get(key);
  };
}

/** The index the completion source reads: option lists by kind, and by class and by property. */
export function buildIndex(resource) {
  const options = new Map(resource.terms.map((term) => [term.id, termOption(term)]));
  const ofKind = (kind) => resource.terms.filter((term) => term.kind === kind).map((term) => options.get(term.id));
  const propertyValues = resource.propertyValues || {};
  const classProperties = resource.classProperties || {};
  return {
    keywords: resource.keywords.map((keyword) => ({ label: keyword, type: "keyword" })),
    prefixes: Object.entries(resource.prefixes).map(([name, iri]) => ({
      label: name + ":",
      type: "namespace",
      detail: iri,
    })),
    terms: [...options.values()],
    classes: ofKind("class"),
    properties: ofKind("property"),
    instances: ofKind("instance"),
    propertiesOf: memo((classId) => rankedOptions(classProperties[classId] || [], options)),
    valuesOf: memo((propertyId) => {
      const values = propertyValues[propertyId];
      return values ? rankedOptions([...(values.classes || []), ...(values.instances || [])], options) : null;
    }),
  };
}

/** Fetch the resource once (the browser's cache revalidates it by its ETag) and index it. */
export async function loadIndex(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
  return buildIndex(await response.json());
}
