/**
 * Data isolation between users (issue #6). Every run writes under its owner's own folder of the
 * output bucket, `<HEALTHOMICS_OUTPUT_BUCKET>/users/<owner>/runs/<run_id>/`, and HealthOmics
 * runs all use one IAM role that can read whatever a user names. So the service, not IAM, must
 * refuse a run whose `workflow_params` name data the user may not read:
 *
 * - always: anything in the output area of the service (`<HEALTHOMICS_OUTPUT_BUCKET>`) outside the
 *   user's own folder — other users' outputs, outputs of the earlier `runs/<id>/` layout — and any
 *   mention that covers that area (the bucket root, a glob, a prefix of it);
 * - with WES_ALLOWED_INPUT_PREFIXES set: anything outside the locations it allows the user (the
 *   user's own output folder is always allowed, so runs can be chained).
 *
 * Admins are checked like everyone else: a run reads with the same role whoever submits it.
 * Pure functions; the settings come from data-access-config.ts.
 */
import { hex, sha256HexSync } from "../sha256";
import { clip } from "./submission-fields";
import { mentions, type Reading, type StoragePrefix } from "./storage-uri";

/** Owner names written as-is in S3 keys: safe characters, not starting with a dot (so never `.` or `..`). */
const PLAIN_OWNER = /^[A-Za-z0-9_@+-][A-Za-z0-9._@+-]{0,63}$/;
/** Longest `~<hex>` segment (an owner of up to 64 UTF-8 bytes); longer owners get a bounded one. */
const MAX_HEX_SEGMENT = 129;
/** Readable characters kept at the front of a bounded segment. */
const READABLE_PREFIX = 40;

/**
 * The S3 key segment of an owner. Configured user names (letters, digits, `. _ @ + -`) are used
 * as they are, so the layout is readable; anything else — a leading dot, other characters, more
 * than 64 characters — becomes `~` and the hex of its UTF-8 bytes, and when that would be longer
 * than 129 characters (an identity provider's `sub` may have 256), `~`, up to 40 of its readable
 * characters, `~` and 128 bits of its SHA-256: at most 74 characters, so the run's output URI stays
 * within StartRun's 750. `~` never starts a plain name and a hex segment has only one, so two
 * owners never share a folder.
 */
export function ownerSegment(owner: string): string {
  if (PLAIN_OWNER.test(owner)) return owner;
  const bytes = new TextEncoder().encode(owner);
  if (bytes.length * 2 + 1 <= MAX_HEX_SEGMENT) return `~${hex(bytes)}`;
  const readable = owner.replace(/[^A-Za-z0-9._@+-]/g, "").slice(0, READABLE_PREFIX);
  return `~${readable}~${sha256HexSync(owner).slice(0, 32)}`;
}

/** The owner's output folder: `<outputPrefix>users/<owner segment>/` (outputPrefix is `s3://bucket/prefix/`). */
export function userOutputPrefix(outputPrefix: string, owner: string): string {
  return `${outputPrefix}users/${ownerSegment(owner)}/`;
}

/** What one submission is checked against. */
export interface AccessPolicy {
  /** The submitting user (the run's owner). */
  user: string;
  /** HEALTHOMICS_OUTPUT_BUCKET normalised: `s3://bucket/prefix/`. */
  outputPrefix: string;
  /** Locations the user may read besides their own outputs; null: anywhere outside the output area (the default). */
  allowed: StoragePrefix[] | null;
}

/** Why a submission is refused: where the URI is, what it says, and the reason. */
export interface AccessRefusal {
  /** JSON path of the value, e.g. `workflow_params.samples[2].bam`. */
  path: string;
  /** The URI as the user wrote it (clipped). */
  uri: string;
  /** The decoded spelling that was refused, when it differs from `uri` (percent-encoding, backslashes). */
  readAs?: string;
  reason: string;
}

/** The 400 message for a refusal. */
export function refusalMessage(refusal: AccessRefusal): string {
  const readAs = refusal.readAs ? ` (read as '${refusal.readAs}')` : "";
  return `${refusal.path} refers to '${refusal.uri}'${readAs}, which ${refusal.reason}.`;
}

interface Area {
  bucket: string;
  /** Key prefix of the output area ("" or ending in `/`). */
  base: string;
  /** Key prefix of the user's own folder. */
  own: string;
  ownText: string;
  baseText: string;
}

function outputArea(policy: AccessPolicy): Area {
  const rest = policy.outputPrefix.replace(/^s3:\/\//, "");
  const slash = rest.indexOf("/");
  const bucket = rest.slice(0, slash);
  const base = rest.slice(slash + 1);
  const own = `${base}users/${ownerSegment(policy.user)}/`;
  return { bucket, base, own, ownText: `s3://${bucket}/${own}`, baseText: `s3://${bucket}/${base}` };
}

/** Could this reading name an object in the output bucket? (Loose: URL-parser spellings and virtual-host names count.) */
function inOutputBucket(reading: Reading, bucket: string): boolean {
  if (reading.scheme !== "s3") return false;
  // An open host (a glob, or a mention cut inside it) may become the bucket or one of its endpoint hosts.
  if (reading.hostOpen) return bucket.startsWith(reading.hostStem) || reading.hostStem.startsWith(bucket);
  const host = reading.looseHost;
  return host === bucket || host.startsWith(`${bucket}.s3.`) || host.startsWith(`${bucket}.s3-`);
}

/** Why a reading in the output bucket is refused, or null when it stays inside the user's own folder. */
function outputAreaProblem(reading: Reading, area: Area): string | null {
  // A glob in the bucket name may match any key of the output bucket.
  const stem = reading.hostOpen ? "" : reading.stem;
  if (stem.startsWith(area.own)) return null;
  const usersText = `${area.base}users/`;
  const tail = `; runs may read only your own outputs there (${area.ownText})`;
  if (`${stem}/` === area.own) return `names your output folder without the trailing '/' (which would also match other users' folders); write ${area.ownText}`;
  if (stem.startsWith(usersText)) {
    const other = stem.slice(usersText.length);
    const slash = other.indexOf("/");
    return slash > 0
      ? `is in another user's output folder (s3://${area.bucket}/${usersText}${other.slice(0, slash)}/)${tail}`
      : `could match other users' output folders${tail}`;
  }
  if (stem.startsWith(area.base)) return `is in the service's output area (${area.baseText}) outside your own folder${tail}`;
  if (area.base.startsWith(stem)) return `covers the service's output area (${area.baseText}), which holds every user's outputs${tail}`;
  return null;
}

function allowedBy(reading: Reading, prefix: StoragePrefix): boolean {
  if (prefix.scheme !== reading.scheme) return false;
  if (prefix.host === null) return true;
  return reading.strictHost === prefix.host && reading.stem.startsWith(prefix.folder);
}

function listProblem(reading: Reading, area: Area, allowed: StoragePrefix[]): string | null {
  if (reading.scheme === "s3" && reading.strictHost === area.bucket && reading.stem.startsWith(area.own)) return null;
  if (allowed.some((prefix) => allowedBy(reading, prefix))) return null;
  const shown = allowed.slice(0, 5).map((p) => p.text);
  const more = allowed.length > 5 ? ` and ${allowed.length - 5} more` : "";
  const list = shown.length > 0 ? `${shown.join(", ")}${more}, and your own outputs (${area.ownText})` : `only your own outputs (${area.ownText})`;
  return `is not in a location your runs may read; you may use ${list}. Ask the operator to allow other locations (WES_ALLOWED_INPUT_PREFIXES)`;
}

/** The first refusal among the mentions in one string, or null. */
function checkString(value: string, path: string, policy: AccessPolicy, area: Area): AccessRefusal | null {
  // Fast path: no scheme or ARN, and nothing that could hide one (a percent sign, a control character).
  if (!/[%\u0000-\u001f\u007f]/.test(value) && !/(s3[an]?|omics|https?):|arn:/i.test(value)) return null;
  for (const mention of mentions(value)) {
    const refuse = (reason: string): AccessRefusal =>
      // A mention found only after decoding is reported as written, with the decoded spelling beside it.
      value.includes(mention.text)
        ? { path, uri: clip(mention.text, 120), reason }
        : { path, uri: clip(value.trim(), 120), readAs: clip(mention.text, 120), reason };
    if ("problem" in mention) return refuse(mention.problem);
    for (const reading of mention.readings) {
      const problem =
        (inOutputBucket(reading, area.bucket) ? outputAreaProblem(reading, area) : null) ??
        (policy.allowed ? listProblem(reading, area, policy.allowed) : null);
      if (problem) return refuse(problem);
    }
  }
  return null;
}

function childPath(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(clip(key, 40))}]`;
}

/**
 * Checks every string in `params` — values and keys, at any depth of objects and arrays — for
 * storage URIs the policy refuses. Returns the first refusal (with its JSON path), or null.
 * Non-string values are ignored.
 */
export function checkInputs(params: unknown, policy: AccessPolicy, root = "workflow_params"): AccessRefusal | null {
  const area = outputArea(policy);
  const stack: Array<[unknown, string]> = [[params, root]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value === "string") {
      const refusal = checkString(value, path, policy, area);
      if (refusal) return refusal;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], `${path}[${i}]`]);
    } else if (value !== null && typeof value === "object") {
      const entries = Object.entries(value as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const keyRefusal = checkString(key, `${childPath(path, key)} (the key)`, policy, area);
        if (keyRefusal) return keyRefusal;
        stack.push([child, childPath(path, key)]);
      }
    }
  }
  return null;
}
