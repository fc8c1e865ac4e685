/**
 * What the service reads from a WDL file before packaging it: the `version` line (HealthOmics
 * runs WDL 1.0, 1.1 and development; a file without one is draft-2, which it does not run) and the
 * `import` statements to follow. A reader, not a parser: comments are skipped, nothing else is
 * interpreted. Pure.
 */

/** WDL versions HealthOmics runs (HealthOmics guide, "Version support for workflow definition languages"). */
export const WDL_VERSIONS = ["1.0", "1.1", "development"] as const;

/** Removes `#` comments outside strings, keeping line breaks. */
export function stripWdlComments(text: string): string {
  let out = "";
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      out += c;
      if (c === "\\" && i + 1 < text.length) out += text[++i];
      else if (c === quote || c === "\n") quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
      out += c;
    } else if (c === "#") {
      while (i + 1 < text.length && text[i + 1] !== "\n") i++;
    } else out += c;
  }
  return out;
}

/**
 * The version the file declares (`version 1.0` as its first statement), or undefined for a file
 * without one (draft-2 by the WDL spec).
 */
export function wdlVersion(text: string): string | undefined {
  const match = /^\s*version\s+([^\s]+)/.exec(stripWdlComments(text.replace(/^\uFEFF/, "")));
  return match?.[1];
}

/** The paths or URLs of the file's `import` statements, in order. */
export function wdlImports(text: string): string[] {
  const imports: string[] = [];
  for (const match of stripWdlComments(text).matchAll(/(?:^|\n)\s*import\s+("([^"]*)"|'([^']*)')/g)) {
    imports.push(match[2] ?? match[3] ?? "");
  }
  return imports;
}
