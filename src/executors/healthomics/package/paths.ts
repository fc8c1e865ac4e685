/**
 * Relative paths inside a workflow package: joined and normalised like URL paths, never leaving
 * the package (`..` above its root is refused by the caller). Pure.
 */

/** The folder of `path` ("" at the root). */
export function dirname(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

/**
 * `reference` resolved against the folder of `from`, normalised; undefined when it climbs above
 * the root or is absolute (a URL or `/path`).
 */
export function resolveRelative(from: string, reference: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(reference) || reference.startsWith("/")) return undefined;
  const parts = dirname(from) === "" ? [] : dirname(from).split("/");
  for (const segment of reference.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(segment);
  }
  return parts.length === 0 ? undefined : parts.join("/");
}

/** True for an absolute URL (`scheme:`). */
export function isUrl(reference: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(reference);
}
