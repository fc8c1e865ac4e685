/**
 * `workflow_url` → the HealthOmics workflow to run. Accepted forms (docs/aws_healthomics_usage.md):
 *
 *   healthomics:<id>                                          the documented form
 *   <id>                                                      a bare numeric workflow id
 *   arn:<partition>:omics:<region>:<account>:workflow/<id>    a private workflow ARN
 *   arn:<partition>:omics:<region>::workflow/<id>             a Ready2Run workflow ARN (no account)
 *   …:workflow/<id>/version/<name>                            either ARN naming a workflow version
 *   omics://workflow/<id>                                     the aws-samples WES adapter's form
 *
 * A version can also be chosen with the `workflowVersionName` engine parameter.
 */

/** A parsed reference to a HealthOmics workflow. */
export interface WorkflowRef {
  workflowId: string;
  /** READY2RUN when the ARN says so (no account); otherwise left to HealthOmics (PRIVATE). */
  workflowType?: "PRIVATE" | "READY2RUN";
  versionName?: string;
  /** Region named by an ARN, checked against the configured region at submit time. */
  region?: string;
}

/** Why a workflow_url could not be used; `message` is ready for a 400. */
export type WorkflowRefResult = { ok: true; ref: WorkflowRef } | { ok: false; message: string };

const ID = /^[0-9]{1,18}$/;
const VERSION = /^[A-Za-z0-9][A-Za-z0-9\-._]{0,63}$/;
const ARN = /^arn:(aws[a-z-]*):omics:([a-z0-9-]+):([0-9]{12})?:workflow\/([0-9]{1,18})(?:\/version\/([^/]+))?$/;

/** The accepted forms, for error messages. */
export const ACCEPTED_FORMS =
  "healthomics:<workflow-id> (e.g. healthomics:1234567), a bare numeric workflow id, a HealthOmics workflow ARN (arn:aws:omics:<region>:<account>:workflow/<id>, or arn:aws:omics:<region>::workflow/<id> for Ready2Run, optionally ending in /version/<name>), or omics://workflow/<id>";

/** Parses a workflow_url into a workflow reference, or explains what is wrong. */
export function parseWorkflowRef(url: string): WorkflowRefResult {
  const value = url.trim();
  const fail = (why: string): WorkflowRefResult => ({ ok: false, message: `workflow_url ${why}. Accepted forms: ${ACCEPTED_FORMS}.` });

  if (/^healthomics:/i.test(value)) {
    const id = value.slice("healthomics:".length);
    return ID.test(id) ? { ok: true, ref: { workflowId: id } } : fail(`'${clip(value)}' must name a numeric workflow id after 'healthomics:'`);
  }
  if (ID.test(value)) return { ok: true, ref: { workflowId: value } };
  if (/^omics:\/\//i.test(value)) {
    const match = /^omics:\/\/workflow\/([0-9]{1,18})\/?$/i.exec(value);
    return match ? { ok: true, ref: { workflowId: match[1]! } } : fail(`'${clip(value)}' must look like omics://workflow/<numeric id>`);
  }
  if (/^arn:/i.test(value)) {
    const match = ARN.exec(value);
    if (!match) return fail(`'${clip(value)}' is not a HealthOmics workflow ARN`);
    const [, , region, account, id, version] = match;
    if (version !== undefined && !VERSION.test(version)) return fail(`names an invalid workflow version '${clip(version)}'`);
    const ref: WorkflowRef = { workflowId: id!, region: region!, workflowType: account ? "PRIVATE" : "READY2RUN" };
    if (version !== undefined) ref.versionName = version;
    return { ok: true, ref };
  }
  if (/^(https?|trs|drs|file|s3|gs):/i.test(value)) {
    return {
      ok: false,
      message: `workflow_url '${clip(value)}' is a URL to a workflow file; this service runs workflows registered in AWS HealthOmics only (running workflow files from URLs or attachments is not supported yet). Register the workflow in HealthOmics and use one of: ${ACCEPTED_FORMS}.`,
    };
  }
  return {
    ok: false,
    message: `workflow_url '${clip(value)}' looks like a file name or relative path (e.g. an attached workflow file); this service runs workflows registered in AWS HealthOmics only (running attached workflow files is not supported yet). Use one of: ${ACCEPTED_FORMS}.`,
  };
}

/** Validates a workflow version name (HealthOmics WorkflowVersionName pattern). */
export function isWorkflowVersionName(value: string): boolean {
  return VERSION.test(value);
}

function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
