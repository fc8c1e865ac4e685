/**
 * A finished HealthOmics run's outputs from its output summary, as pure logic over an S3 listing
 * and the summary's text. Where the summary lives differs between AWS's pages and real accounts
 * (`<runOutputUri>/logs/outputs.json`, `<runOutputUri>/<runUuid>/logs/outputs.json`, and the WDL
 * section's `output.json`), so it is found in the listing, never at one hard-coded key. Shapes:
 * - WDL: `{"Workflow.output": "s3://…" | ["s3://…", …] | 42 | …}`;
 * - CWL: `{"output": {"class": "File", "location": "s3://…", "basename", "size"} | [File, …] | Directory}`;
 * - Nextflow: no summary; every object under the run's prefix but its `logs/` is an output.
 * Reference: HealthOmics user guide, "Run outputs" and "Monitoring runs".
 */

/** An output file: its S3 URI and its path relative to the run's output prefix (for download links). */
export interface OutputFile {
  location: string;
  path: string;
}

/** Most files recorded per run (the rest stay readable in S3; a note says so). */
export const MAX_OUTPUT_FILES = 1000;

/** The summary names this service looks for, best first. */
const SUMMARY_NAMES = ["logs/outputs.json", "logs/output.json"];
/** A uuid directory level (HealthOmics' run uuid). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The key of the run's output summary among `keys` (all under `prefix`, which ends in `/`):
 * `<prefix>logs/outputs.json` or `<prefix><uuid>/logs/outputs.json` (`output.json` likewise),
 * preferring `outputs.json`, then the shallower key; undefined when there is none.
 */
export function findSummaryKey(keys: readonly string[], prefix: string): string | undefined {
  const candidates: Array<{ key: string; rank: number }> = [];
  for (const key of keys) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    for (const [index, name] of SUMMARY_NAMES.entries()) {
      if (rest === name) candidates.push({ key, rank: index * 2 });
      else if (rest.endsWith(`/${name}`) && UUID.test(rest.slice(0, -name.length - 1))) candidates.push({ key, rank: index * 2 + 1 });
    }
  }
  candidates.sort((a, b) => a.rank - b.rank || a.key.localeCompare(b.key));
  return candidates[0]?.key;
}

/** `s3://bucket/key` → its key when it lies in `bucket` under `prefix`; undefined otherwise. */
function keyUnder(uri: string, bucket: string, prefix: string): string | undefined {
  const head = `s3://${bucket}/`;
  if (!uri.startsWith(head)) return undefined;
  const key = uri.slice(head.length);
  return key.startsWith(prefix) && key.length > prefix.length ? key : undefined;
}

/** Every S3 URI a summary value names: strings (WDL), `location` of File/Directory objects and their listings (CWL). */
function collectLocations(value: unknown, into: string[], depth = 0): void {
  if (depth > 32) return;
  if (typeof value === "string") {
    if (value.startsWith("s3://")) into.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectLocations(item, into, depth + 1);
  } else if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (o.class === "File" && typeof o.location === "string") into.push(o.location);
    // CWL secondary files and directory listings.
    for (const key of ["secondaryFiles", "listing"]) if (Array.isArray(o[key])) collectLocations(o[key], into, depth + 1);
    if (o.class !== "File" && o.class !== "Directory") for (const item of Object.values(o)) collectLocations(item, into, depth + 1);
  }
}

/** Outputs read from a summary or listing. */
export interface ReadOutputs {
  /** The engine's outputs as the engine names them (WES `outputs` top level). */
  outputs: Record<string, unknown>;
  files: OutputFile[];
  /** Why the outputs are incomplete, when they are. */
  note?: string;
}

function filesOf(locations: readonly string[], bucket: string, prefix: string): { files: OutputFile[]; dropped: number } {
  const seen = new Set<string>();
  const files: OutputFile[] = [];
  let dropped = 0;
  for (const location of locations) {
    const key = keyUnder(location, bucket, prefix);
    if (key === undefined || seen.has(key)) continue;
    seen.add(key);
    if (files.length >= MAX_OUTPUT_FILES) dropped += 1;
    else files.push({ location, path: key.slice(prefix.length) });
  }
  return { files, dropped };
}

function capNote(dropped: number): string | undefined {
  return dropped > 0 ? `${dropped} more output files are not listed here (at most ${MAX_OUTPUT_FILES})` : undefined;
}

/**
 * Parses a summary's text. A summary that is not a JSON object is an error (the run stays
 * COMPLETE; the caller notes it). Files outside the run's prefix keep their place in `outputs`
 * but get no download path.
 */
export function parseSummary(text: string, bucket: string, prefix: string): ReadOutputs | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: "the output summary is not JSON" };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { error: "the output summary is not a JSON object" };
  const outputs = Object.fromEntries(Object.entries(value as Record<string, unknown>));
  const locations: string[] = [];
  collectLocations(outputs, locations);
  const { files, dropped } = filesOf(locations, bucket, prefix);
  const note = capNote(dropped);
  return note ? { outputs, files, note } : { outputs, files };
}

/** Whether a key (relative to the run's prefix) is HealthOmics' own: its `logs/` folder, at the top or under the run uuid. */
function isServiceKey(rest: string): boolean {
  return rest.startsWith("logs/") || /^[0-9a-f-]{36}\/logs\//i.test(rest);
}

/** Nextflow (no summary): every object under the prefix but HealthOmics' logs, as `{"files": [...]}`. */
export function listedOutputs(keys: readonly string[], bucket: string, prefix: string, listingComplete: boolean): ReadOutputs {
  const locations = keys.filter((key) => key.startsWith(prefix) && !isServiceKey(key.slice(prefix.length))).map((key) => `s3://${bucket}/${key}`);
  const { files, dropped } = filesOf(locations, bucket, prefix);
  const notes = [capNote(dropped), listingComplete ? undefined : "the output listing was cut short; more files may exist"].filter(Boolean);
  const result: ReadOutputs = { outputs: { files: files.map((f) => f.location) }, files };
  if (notes.length > 0) result.note = notes.join("; ");
  return result;
}
