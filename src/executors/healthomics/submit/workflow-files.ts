/**
 * Submissions of workflow files rather than registered workflows: a `workflow_url` naming an
 * attached file, an `https://` URL, a TRS URI or a TRS descriptor URL. The files are collected
 * (sources/), checked (WDL version), zipped and content-addressed (package/), the zip kept in the
 * ATTACHMENTS bucket and the package recorded in D1 with its submitter; the run's prepare step
 * registers it with HealthOmics. What the run log should say about the source comes back as notes.
 */
import { badRequest } from "../../../errors";
import type { RunSubmission } from "../../../wes/submission";
import { attachmentPath } from "../../../wes/submission-fields";
import { database } from "../../../db/client";
import type { Engine } from "../package/collect";
import { packageWorkflow } from "../package/packager";
import { wdlVersion } from "../package/wdl";
import { type PackageRow, usePackage } from "../packages/store";
import { fromAttachments } from "../sources/attachments";
import type { FileSet } from "../sources/https";
import { fromHttps } from "../sources/https";
import { COLLECT_LIMITS, sourceSettings } from "../sources/sources-config";
import { fromTrs, parseTrsUrl, type TrsProvenance } from "../sources/trs";
import { engineFlags } from "./engine-params";

/** What kind of workflow a `workflow_url` names. */
export type WorkflowSourceKind = "registered" | "https" | "trs" | "attachment";

const REGISTERED = /^(healthomics:|omics:\/\/|arn:|[0-9]+$)/i;

/** The kind of `url`, without fetching anything. */
export function workflowSourceKind(url: string): WorkflowSourceKind {
  if (REGISTERED.test(url)) return "registered";
  if (/^trs:\/\//i.test(url) || /\/ga4gh\/trs\/v2\/tools\//.test(url)) return "trs";
  if (/^https?:\/\//i.test(url)) return "https";
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
    throw badRequest(
      `workflow_url '${url.slice(0, 120)}' uses a scheme this service cannot fetch; use https://, trs://, an attached file's name, or a HealthOmics workflow (healthomics:<id>).`,
    );
  }
  attachmentPath(url); // a 400 for `..`, absolute paths, control characters
  return "attachment";
}

const ENGINE_OF_TYPE: Record<string, Engine> = { WDL: "WDL", CWL: "CWL", NFL: "NEXTFLOW" };

/** Packages the submission's workflow; returns the package hash and lines for the run log. */
export async function packageSubmission(
  env: Env,
  submission: RunSubmission,
  owner: string,
): Promise<{ packageHash: string; notes: string[]; row: PackageRow }> {
  const request = submission.request;
  const engine = ENGINE_OF_TYPE[request.workflow_type];
  if (!engine) throw badRequest(`workflow_type ${request.workflow_type} cannot be run from workflow files.`);
  const { policy } = sourceSettings(env);
  const kind = workflowSourceKind(request.workflow_url);
  const notes: string[] = [];
  let set: FileSet;
  let source: Record<string, unknown>;
  if (kind === "attachment") {
    // Only the workflow's own files are read, each bounded by what the package may still take.
    const byPath = new Map(submission.attachments.map((a) => [a.path, a]));
    set = await fromAttachments(
      attachmentPath(request.workflow_url),
      engine,
      [...byPath.keys()],
      async (path, budget) => await byPath.get(path)?.read(budget),
      COLLECT_LIMITS,
    );
    source = { kind: "attachments", main: set.main };
    notes.push(`Workflow files: ${set.files.size} attached file(s), main ${set.main}.`);
  } else if (kind === "https") {
    set = await fromHttps(request.workflow_url, engine, policy, COLLECT_LIMITS);
    source = { kind: "https", url: request.workflow_url };
    notes.push(`Workflow files: fetched from ${request.workflow_url} (${set.files.size} file(s)).`);
  } else {
    const ref = parseTrsUrl(request.workflow_url, policy);
    if (!ref) throw badRequest(`workflow_url '${request.workflow_url.slice(0, 120)}' is not a TRS URI (trs://<server>/<id>/<version>) or TRS descriptor URL.`);
    const trs = await fromTrs(ref, engine, policy, COLLECT_LIMITS);
    set = trs;
    const provenance: TrsProvenance = trs.provenance;
    source = { kind: "trs", ...provenance };
    notes.push(
      `Workflow files: TRS tool ${provenance.trs_id} version ${provenance.trs_version} (${provenance.trs_url}); checksums ${Object.entries(provenance.checksums)
        .map(([p, c]) => `${p} ${c}`)
        .join(", ")}.`,
    );
  }
  if (engine === "WDL") {
    const version = wdlVersion(new TextDecoder().decode(set.files.get(set.main)));
    if (version === undefined) {
      throw badRequest(
        `${set.main} has no 'version' line, so it is WDL draft-2, which HealthOmics does not run (it runs WDL 1.0, 1.1 and development). Add 'version 1.0' at its top.`,
      );
    }
    if (version !== request.workflow_type_version) {
      notes.push(`workflow_type_version said ${request.workflow_type_version}; ${set.main} declares version ${version}, which is what runs.`);
    }
  }
  const flags = engineFlags(request.workflow_engine_parameters);
  if (flags.length > 0) notes.push(`Engine command-line flags recorded but not sent to HealthOmics: ${flags.join(", ")}.`);
  const pkg = await packageWorkflow(set.files, engine, set.main);
  const zipKey = `packages/${pkg.hash}.zip`;
  // The use is recorded before the zip is looked at: a retirement (packages/retire.ts) that deletes
  // the zip either sees this use and puts the zip back, or deleted it before the look below.
  const row = await usePackage(database(env.DB), { hash: pkg.hash, engine, main: pkg.main, size: pkg.zip.byteLength, zipKey, source }, owner, Date.now());
  if (!(await env.ATTACHMENTS.head(zipKey))) await env.ATTACHMENTS.put(zipKey, pkg.zip, { httpMetadata: { contentType: "application/zip" } });
  notes.push(`Workflow package ${pkg.hash} (${engine}, main ${pkg.main}, ${pkg.paths.length} file(s)).`);
  return { packageHash: pkg.hash, notes, row };
}
