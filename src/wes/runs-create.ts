/**
 * POST /runs — RunWorkflow. Reads the submission, streaming its attachments into the ATTACHMENTS
 * bucket under the new run's id (`runs/<run_id>/attachments/<path>`), validates it (the WES fields
 * here, the rest — which storage its workflow_params may name, the workflow itself — by the
 * executor), stores the run durably as QUEUED (one D1 batch with its attachments' keys and
 * SHA-256s), hands it to the executor, and answers
 * `{run_id}`. With an `Idempotency-Key` header a retry returns the same run instead of creating a
 * second one.
 */
import type { Hono } from "hono";
import { eq } from "drizzle-orm";
import type { AppEnv } from "../app-env";
import { principalOf, requireUser } from "../auth/middleware";
import { database } from "../db/client";
import { type InsertRunResult, insertRun } from "../db/runs";
import { runs } from "../db/schema";
import { badRequest, conflict } from "../errors";
import { runExecutor } from "../executors/registry";
import { describeError, log } from "../log";
import { sha256HexOf } from "../sha256";
import { readSubmission, type RunSubmission } from "./submission";
import { deleteStaged } from "./submission-multipart";
import { refusalError } from "./admission-errors";
import { fairUseLimits } from "./ops-config";
import { attachmentsPrefix } from "./run-files";

const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,255}$/;

/** JSON with object keys sorted, so the same request in another key order has the same fingerprint. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Fingerprint of a submission, to tell an idempotent retry from a different request (the files by their SHA-256). */
async function requestHash(submission: RunSubmission): Promise<string> {
  const files = submission.attachments.map((a) => [a.path, a.sha256]);
  return await sha256HexOf(new TextEncoder().encode(canonicalJson([submission.request, files])));
}

/** Whether the run was stored after all (a D1 error may come after the batch committed). */
async function runStored(env: Env, id: string): Promise<boolean> {
  try {
    return (await database(env.DB).select({ id: runs.id }).from(runs).where(eq(runs.id, id)).get()) !== undefined;
  } catch {
    return true; // unknown: keep the files rather than risk a stored run without them
  }
}

/** Registers POST /runs. */
export function registerRunsCreate(app: Hono<AppEnv>): void {
  // No body limit here: multipart bodies (up to 100 MB) are streamed, their attachments straight
  // into R2; JSON and urlencoded bodies are bounded where they are read (submission-form.ts).
  app.post("/runs", requireUser, async (c) => {
    const principal = principalOf(c);
    const key = c.req.header("Idempotency-Key");
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw badRequest("The Idempotency-Key header must be 1-255 printable ASCII characters.");
    }
    const executor = runExecutor(c.env);
    // The id comes first: the attachments are staged under it while the body is read.
    const id = crypto.randomUUID();
    const bucket = c.env.ATTACHMENTS;
    const submission = await readSubmission(c.req.raw, executor, { bucket, prefix: attachmentsPrefix(id) });
    // Every way out but a stored run deletes what was staged (refusals, a replay, D1 errors).
    let keep = false;
    try {
      const accepted = await executor.validate(
        submission,
        { user: principal.user, groups: principal.groups, admin: principal.admin },
        { runId: id, requestId: c.get("requestId") },
      );
      const now = Date.now();
      const hash = await requestHash(submission);
      let result: InsertRunResult;
      try {
        result = await insertRun(
          database(c.env.DB),
          {
            id,
            owner: principal.user,
            submittedVia: principal.scheme,
            state: "QUEUED",
            request: submission.request,
            tags: submission.request.tags,
            createdAt: now,
            updatedAt: now,
            idempotencyKey: key ?? null,
            requestHash: hash,
            systemLogs: [],
            outputs: {},
            ...accepted,
          },
          submission.attachments.map((a) => ({ path: a.path, contentType: a.contentType, size: a.size, objectKey: a.key, sha256: a.sha256 })),
          fairUseLimits(c.env),
        );
      } catch (error) {
        keep = submission.attachments.length > 0 && (await runStored(c.env, id));
        throw error;
      }
      if (result.kind === "refused") throw refusalError(result.refusal, key);
      const run = result.run;
      keep = result.kind === "created";
      if (result.kind === "existing" && run.requestHash !== hash) {
        throw conflict(
          `The Idempotency-Key '${key}' was already used for a different request (run ${run.id}). Use a new key for a new run, or resend exactly the same request to get that run back.`,
        );
      }
      const requestId = c.get("requestId");
      log("info", result.kind === "created" ? "run.created" : "run.idempotent_replay", { requestId, runId: run.id, user: principal.user });
      try {
        // Idempotent: a replay re-hands the run over in case the first hand-over was lost.
        await executor.submit(run.id);
      } catch (error) {
        // The run is stored; the scheduled sweep hands over any run that missed its hand-over.
        log("warn", "run.handover_failed", { requestId, runId: run.id, error: describeError(error) });
      }
      return c.json({ run_id: run.id });
    } finally {
      if (!keep) await deleteStaged(bucket, submission.attachments);
    }
  });
}
