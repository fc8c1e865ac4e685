/**
 * The other files a CWL document names — `run:` of a step, `$import` and `$include` — read from
 * its YAML or JSON text line by line. A reader, not a YAML parser: it finds the references written
 * as `key: value` on one line (as cwltool --pack and every hand-written workflow write them), and
 * ignores inline `run:` blocks and `#` fragments of the same file. Pure.
 */

const REFERENCE = /(?:^|[\s{,[-])["']?(run|\$import|\$include)["']?[ \t]*:[ \t]*(?:"([^"]*)"|'([^']*)'|([^\s#,}{\][]+))/gm;

/** The files the document refers to, without `#fragment`s, each once, in order. */
export function cwlReferences(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(REFERENCE)) {
    const value = (match[2] ?? match[3] ?? match[4] ?? "").trim();
    const file = value.split("#")[0]!;
    if (file === "" || file === "|" || file === ">") continue;
    found.add(file);
  }
  return [...found];
}

/** The `cwlVersion` the document declares, if any. */
export function cwlVersion(text: string): string | undefined {
  return /(?:^|[\s{,])["']?cwlVersion["']?\s*:\s*["']?([\w.-]+)/m.exec(text)?.[1];
}
