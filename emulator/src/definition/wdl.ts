/**
 * What the emulator reads from a WDL document: the version (HealthOmics runs WDL 1.0, 1.1 and
 * development, not draft-2), the workflow's name, its `input {}` declarations (required = no
 * default and a type not ending in `?`, as HealthOmics derives the parameter template), the calls
 * (task names of a run, `call lib.x as y` → `y`) and the `output {}` declarations. A reader, not a
 * WDL parser: enough structure (comments, strings, brackets) to find those blocks. Pure.
 */
import type { ParameterTemplate } from "../validation";
import { DefinitionError, type OutputKind, type OutputSpec } from "./types";

/** What a WDL workflow declares. */
export interface WdlWorkflow {
  name: string;
  inputs: ParameterTemplate;
  calls: string[];
  outputs: OutputSpec[];
}

/** Removes `#` comments (outside strings). */
function stripComments(text: string): string {
  let out = "";
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      out += c;
      if (c === "\\") out += text[++i] ?? "";
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
      out += c;
    } else if (c === "#") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else out += c;
  }
  return out;
}

/** The text between the brace at `open` and its match (strings and nested brackets skipped). */
function block(text: string, open: number): string {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return text.slice(open + 1, i);
  }
  throw new DefinitionError("The WDL workflow block is not closed (unbalanced braces)");
}

/** A block `<keyword> {` at the top level of `body` (not nested in scatter/if), if present. */
function topLevelSection(body: string, keyword: string): string | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "{" || c === "[" || c === "(") depth++;
    else if (c === "}" || c === "]" || c === ")") depth--;
    else if (depth === 0 && body.startsWith(keyword, i) && !/\w/.test(body[i - 1] ?? " ")) {
      const m = new RegExp(`^${keyword}\\s*\\{`).exec(body.slice(i));
      if (m) return block(body, i + m[0].length - 1);
    }
  }
  return undefined;
}

/** Declarations of a section, one per logical line (a default may span lines inside brackets or strings). */
function declarations(section: string): { type: string; name: string; hasDefault: boolean }[] {
  const statements: string[] = [];
  let current = "";
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < section.length; i++) {
    const c = section[i]!;
    if (quote) {
      if (c === "\\") current += c + (section[++i] ?? "");
      else {
        if (c === quote) quote = undefined;
        current += c;
      }
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if ("[({".includes(c)) depth++;
    else if ("])}".includes(c)) depth--;
    if (c === "\n" && depth === 0) {
      statements.push(current);
      current = "";
    } else current += c;
  }
  statements.push(current);
  const out: { type: string; name: string; hasDefault: boolean }[] = [];
  for (const statement of statements.map((s) => s.trim()).filter((s) => s !== "")) {
    const m = /^([A-Za-z_]\w*(?:\s*\[[\s\S]*\])?\s*[+?]*)\s+([A-Za-z_]\w*)\s*(=[\s\S]*)?$/.exec(statement);
    if (!m) throw new DefinitionError(`Cannot read the WDL declaration '${statement.slice(0, 80)}'`);
    out.push({ type: m[1]!.replace(/\s+/g, ""), name: m[2]!, hasDefault: m[3] !== undefined });
  }
  return out;
}

/** `parameter_meta { x: "text" }` descriptions (simple string values only). */
function descriptions(body: string): Map<string, string> {
  const meta = topLevelSection(body, "parameter_meta");
  const found = new Map<string, string>();
  if (!meta) return found;
  for (const m of meta.matchAll(/(^|\n)\s*([A-Za-z_]\w*)\s*:\s*"([^"\n]{1,256})"/g)) found.set(m[2]!, m[3]!);
  return found;
}

function outputKind(type: string): OutputKind | undefined {
  const t = type.replace(/\?$/, "");
  if (t === "File") return "File";
  if (/^Array\[File\??\]\+?$/.test(t)) return "File[]";
  if (t === "Directory") return "Directory";
  if (t === "String") return "string";
  if (t === "Int") return "int";
  if (t === "Float") return "float";
  if (t === "Boolean") return "boolean";
  return undefined;
}

/** Reads the workflow of a WDL main file; DefinitionError when HealthOmics could not run it. */
export function readWdl(source: string, path: string): WdlWorkflow {
  const text = stripComments(source);
  const version = /^\s*version\s+(\S+)/m.exec(text)?.[1];
  if (version === undefined) {
    throw new DefinitionError(`${path} has no version statement (WDL draft-2): HealthOmics runs WDL 1.0, 1.1 and development`);
  }
  if (!["1.0", "1.1", "development"].includes(version))
    throw new DefinitionError(`${path} declares WDL version ${version}: HealthOmics runs WDL 1.0, 1.1 and development`);
  const header = /(^|\n)\s*workflow\s+([A-Za-z_]\w*)\s*\{/.exec(text);
  if (!header) throw new DefinitionError(`${path} has no workflow block`);
  const body = block(text, header.index + header[0].length - 1);
  const described = descriptions(body);
  const inputs: ParameterTemplate = {};
  for (const d of declarations(topLevelSection(body, "input") ?? "")) {
    const description = described.get(d.name);
    inputs[d.name] = { ...(description ? { description } : {}), optional: d.hasDefault || d.type.endsWith("?") };
  }
  const calls = [...body.matchAll(/\bcall\s+([A-Za-z_][\w.]*)(?:\s+as\s+([A-Za-z_]\w*))?/g)].map((m) => m[2] ?? m[1]!.split(".").pop()!);
  const outputs: OutputSpec[] = [];
  for (const d of declarations(topLevelSection(body, "output") ?? "")) {
    const kind = outputKind(d.type);
    if (kind) outputs.push({ name: d.name, kind });
  }
  return { name: header[2]!, inputs, calls, outputs };
}
