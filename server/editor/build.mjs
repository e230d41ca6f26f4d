// Bundle src/ into the one static file the query page loads (server/aichr_kg/web/static/query-editor.js).
// Its first line carries the sha256 of the sources (package.json, package-lock.json, this script,
// src/*.js): tests/test_query_editor_bundle.py recomputes it to prove the committed bundle is current.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const OUTPUT = join(here, "..", "aichr_kg", "web", "static", "query-editor.js");

/** The files the bundle is made from, relative to this folder, in a fixed order. */
function sourceFiles() {
  const sources = readdirSync(join(here, "src")).filter((name) => name.endsWith(".js"));
  return ["build.mjs", "package-lock.json", "package.json", ...sources.map((name) => `src/${name}`)].sort();
}

/** sha256 over each file's path, a NUL, its bytes, a NUL: the same recipe as the test's. */
function sourceHash() {
  const hash = createHash("sha256");
  for (const path of sourceFiles()) {
    hash.update(path + "\0");
    hash.update(readFileSync(join(here, path)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

await build({
  entryPoints: [join(here, "src", "main.js")],
  outfile: OUTPUT,
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  legalComments: "eof",
  banner: {
    js: `/* query-editor sources-sha256:${sourceHash()} - built from server/editor by \`make editor\` (CodeMirror 6, MIT) */`,
  },
});
