/**
 * What StartRun is known to refuse, so that the service refuses it first: the length and pattern
 * constraints of the API model (botocore `omics` service-2.json, `StartRunRequest` and its member
 * shapes) for the members this service sends, and the 50 KB limit on run parameters that the
 * HealthOmics guide documents ("Managing input parameter size", workflows-run-inputs.html).
 *
 * Checked at submit (src/wes/runs-create.ts, on the StartRun a run will send) and again when the
 * start step builds StartRun (run/start-input.ts), so a later rewrite of the parameters
 * cannot slip past: a run that would break a limit ends SYSTEM_ERROR with the reason.
 */
import type { StartRunInput } from "../client/wire-types";

/** HealthOmics' limit on run parameters ("up to 50 KB"), as UTF-8 bytes of their JSON. */
export const MAX_RUN_PARAMETERS_BYTES = 50_000;

/** Length of `text` in UTF-8 bytes, without encoding it. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4; // a surrogate pair is one 4-byte character
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Size of run parameters as StartRun sends them: UTF-8 bytes of their JSON. */
export function parametersBytes(parameters: unknown): number {
  return utf8Length(JSON.stringify(parameters ?? {}));
}

/** 12345 → "12,345" (messages; no Intl needed). */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * Why `workflow_params` is too large for StartRun, with what to do instead; null when it fits.
 * Checked at submit before anything reads the parameters.
 */
export function workflowParamsSizeProblem(params: unknown): string | null {
  const bytes = parametersBytes(params);
  if (bytes <= MAX_RUN_PARAMETERS_BYTES) return null;
  return (
    `workflow_params is ${grouped(bytes)} bytes of JSON; HealthOmics accepts at most 50,000 bytes of run parameters. ` +
    "Instead of listing every file, pass a folder (an S3 prefix such as s3://bucket/project/, which HealthOmics imports as a directory) " +
    "or a sample sheet (one CSV or TSV file in S3 that lists the inputs)."
  );
}

/** The model's `[\p{L}||\p{M}||\p{Z}||\p{S}||\p{N}||\p{P}]+` (RunName, RunOutputUri, RunRequestId): no control characters. */
const PRINTABLE = /^[\p{L}\p{M}\p{Z}\p{S}\p{N}\p{P}]+$/u;
const NUMERIC_ID = /^[0-9]{1,18}$/;

/** Every model constraint `input` breaks, as sentences naming the member; empty when StartRun can accept it. */
export function startRunProblems(input: StartRunInput): string[] {
  const problems: string[] = [];
  const text = (name: string, value: string | undefined, max: number, pattern?: RegExp) => {
    if (value === undefined) return;
    if (value.length < 1 || value.length > max) problems.push(`${name} is ${value.length} characters; at most ${max} are allowed`);
    else if (pattern && !pattern.test(value)) problems.push(`${name} has characters StartRun does not accept`);
  };
  text("requestId", input.requestId, 128, PRINTABLE);
  text("roleArn", input.roleArn, 128, /^arn:.+$/);
  text("outputUri", input.outputUri, 750, PRINTABLE);
  text("name", input.name, 128, PRINTABLE);
  text("workflowId", input.workflowId, 18, NUMERIC_ID);
  text("runGroupId", input.runGroupId, 18, NUMERIC_ID);
  text("cacheId", input.cacheId, 18, NUMERIC_ID);
  text("workflowVersionName", input.workflowVersionName, 64, /^[A-Za-z0-9][A-Za-z0-9\-._]*$/);
  const tags = Object.entries(input.tags ?? {});
  if (tags.length > 50) problems.push(`there are ${tags.length} tags; at most 50 are allowed`);
  for (const [key, value] of tags) {
    if (key.length < 1 || key.length > 128) problems.push(`tag key '${key.slice(0, 40)}' is ${key.length} characters; 1-128 are allowed`);
    if (typeof value === "string" && value.length > 256)
      problems.push(`tag '${key.slice(0, 40)}' has a value of ${value.length} characters; at most 256 are allowed`);
  }
  const bytes = parametersBytes(input.parameters);
  if (bytes > MAX_RUN_PARAMETERS_BYTES) {
    problems.push(`the parameters are ${grouped(bytes)} bytes of JSON; HealthOmics accepts at most 50,000 bytes of run parameters`);
  }
  return problems;
}
