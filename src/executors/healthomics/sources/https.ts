/**
 * A WDL or CWL workflow at an `https://` URL, with its imports fetched relative to it (same origin
 * only: an import elsewhere is refused, since HealthOmics reads imports from the package). The
 * package keeps the files' relative layout: paths are taken from the deepest folder all the URLs
 * share, so `../common/x.wdl` imports still resolve inside the zip.
 */
import { badRequest } from "../../../errors";
import { type CollectLimits, collectDefinition, type Engine } from "../package/collect";
import { type FetchLimits, FETCH_LIMITS, fetchBounded } from "./fetch-bounded";
import type { UrlPolicy } from "./url-policy";

/** The files of a workflow, by package path, and its main file. */
export interface FileSet {
  files: Map<string, Uint8Array>;
  main: string;
}

function withoutHash(url: URL): string {
  const copy = new URL(url);
  copy.hash = "";
  return copy.toString();
}

/** Package paths for a set of same-origin URLs: relative to the deepest folder they share. */
export function packagePaths(urls: readonly string[]): Map<string, string> {
  const split = urls.map((u) => new URL(u).pathname.split("/").slice(1));
  let common = split[0]!.slice(0, -1);
  for (const parts of split) {
    const folder = parts.slice(0, -1);
    let i = 0;
    while (i < common.length && i < folder.length && common[i] === folder[i]) i++;
    common = common.slice(0, i);
  }
  return new Map(urls.map((u, i) => [u, split[i]!.slice(common.length).map(decodeURIComponent).join("/")]));
}

/** Fetches `url` and its imports. */
export async function fromHttps(
  url: string,
  engine: Engine,
  policy: UrlPolicy,
  limits: CollectLimits,
  fetchLimits: FetchLimits = FETCH_LIMITS,
): Promise<FileSet> {
  if (engine === "NEXTFLOW") {
    throw badRequest(
      "A Nextflow workflow cannot be run from an https URL: it needs files no include names (bin/, templates/, nextflow.config). Submit it through TRS (a trs:// or TRS descriptor URL) or attach its files with workflow_attachment.",
    );
  }
  const origin = new URL(url).origin;
  const files = await collectDefinition(
    withoutHash(new URL(url)),
    engine,
    {
      resolve(from, reference) {
        let target: URL;
        try {
          target = new URL(reference, from);
        } catch {
          throw badRequest(`The import '${reference.slice(0, 200)}' in ${from} is not a valid URL or path.`);
        }
        if (target.origin !== origin) {
          throw badRequest(`The import '${reference.slice(0, 200)}' in ${from} is on another host; imports must be relative to the workflow URL.`);
        }
        return withoutHash(target);
      },
      async read(location, budget) {
        return (await fetchBounded(location, policy, budget, fetchLimits)).bytes;
      },
    },
    limits,
  );
  const paths = packagePaths([...files.keys()]);
  const main = paths.get(withoutHash(new URL(url)))!;
  return { files: new Map([...files].map(([u, bytes]) => [paths.get(u)!, bytes])), main };
}
