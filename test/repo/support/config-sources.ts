/**
 * The four places that name the API Worker's variables — the schema (src/settings/schema.ts),
 * wrangler.toml `[vars]`, .dev.vars.example and docs/configuration.md — read into one comparable
 * shape, and the rule that they must agree.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";

/** Repository root. */
export const ROOT = join(import.meta.dirname, "..", "..", "..");

/** A variable's kind: a `[vars]` entry or a Worker secret. */
export type Kind = "var" | "secret";

/** What one source says: variable name → kind (null when the source does not say). */
export type Names = Map<string, Kind | null>;

/** wrangler.toml: every `[vars]` key, and those of any `[env.<name>.vars]` (all plain vars). */
export function wranglerVars(text: string): Names {
  const toml = parse(text) as { vars?: Record<string, unknown>; env?: Record<string, { vars?: Record<string, unknown> }> };
  const names: Names = new Map();
  for (const key of Object.keys(toml.vars ?? {})) names.set(key, "var");
  for (const env of Object.values(toml.env ?? {})) for (const key of Object.keys(env.vars ?? {})) names.set(key, "var");
  return names;
}

/** .dev.vars.example: `NAME=value` lines, and commented-out `# NAME=value` examples (kind unknown). */
export function devVarsNames(text: string): Names {
  const names: Names = new Map();
  for (const line of text.split("\n")) {
    const match = /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line);
    if (match) names.set(match[1]!, null);
  }
  return names;
}

/**
 * docs/configuration.md: every row of a table headed "Variable" whose first cell is a backticked
 * name, outside the "Local start" section (shell variables of `npm start`, not Worker variables). Where the table
 * has a "Kind" column, `secret` or `` `[vars]` `` is the documented kind.
 */
export function documentedNames(markdown: string): Names {
  const names: Names = new Map();
  let section = "";
  let variableTable = false;
  let kindColumn = -1;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("## ")) section = line.slice(3).trim();
    if (!line.startsWith("|")) {
      variableTable = false;
      continue;
    }
    const cells = line
      .split("|")
      .slice(1, -1)
      .map((cell) => cell.trim());
    if (!variableTable && cells[0] === "Variable") {
      variableTable = true;
      kindColumn = cells.indexOf("Kind");
      continue;
    }
    if (!variableTable || section.startsWith("Local start")) continue;
    const match = /^`([A-Z][A-Z0-9_]*)`$/.exec(cells[0] ?? "");
    if (!match) continue;
    const kindText = kindColumn >= 0 ? cells[kindColumn] : undefined;
    names.set(match[1]!, kindText === undefined ? null : kindText === "secret" ? "secret" : kindText === "`[vars]`" ? "var" : null);
  }
  return names;
}

/** The sources as found in the repository. */
export function repositorySources(): { wrangler: Names; devVars: Names; docs: Names } {
  const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
  return {
    wrangler: wranglerVars(read("wrangler.toml")),
    devVars: devVarsNames(read(".dev.vars.example")),
    docs: documentedNames(read("docs/configuration.md")),
  };
}

/**
 * Every disagreement between the schema and the other sources:
 * - a name in wrangler.toml, .dev.vars.example or the docs that the schema does not declare;
 * - a schema variable the docs do not list, or list with another kind;
 * - a plain variable missing from wrangler.toml `[vars]`; a secret in `[vars]` (Cloudflare refuses
 *   a secret and a var of one name) or missing from .dev.vars.example.
 */
export function coverageProblems(schema: Names, sources: { wrangler: Names; devVars: Names; docs: Names }): string[] {
  const problems: string[] = [];
  for (const [source, names] of Object.entries(sources)) {
    for (const name of names.keys()) if (!schema.has(name)) problems.push(`${source} names ${name}, which src/settings/schema.ts does not declare`);
  }
  for (const [name, kind] of schema) {
    const documented = sources.docs.get(name);
    if (!sources.docs.has(name)) problems.push(`docs/configuration.md does not list ${name}`);
    else if (documented === null) problems.push(`docs/configuration.md lists ${name} without its kind (secret or \`[vars]\`)`);
    else if (documented !== kind) problems.push(`docs/configuration.md calls ${name} a ${documented}; the schema says ${kind}`);
    if (kind === "var" && !sources.wrangler.has(name)) problems.push(`wrangler.toml [vars] lacks ${name}`);
    if (kind === "secret" && sources.wrangler.has(name)) problems.push(`wrangler.toml [vars] has the secret ${name}`);
    if (kind === "secret" && !sources.devVars.has(name)) problems.push(`.dev.vars.example lacks the secret ${name}`);
  }
  return problems;
}
