/** Placeholder RunObject (replaced by the execution issue's implementation). */
import { DurableObject } from "cloudflare:workers";
import type { CancelOutcome } from "../executors/executor";

/** One Durable Object per WES run. */
export class RunObject extends DurableObject<Env> {
  async start(runId: string): Promise<void> {
    await this.ctx.storage.put("runId", runId);
  }

  async cancel(runId: string, by: string): Promise<CancelOutcome> {
    const now = new Date().toISOString();
    const result = await this.env.DB.prepare(
      "UPDATE runs SET state = 'CANCELED', end_time = ?2, canceled_by = ?3, cancel_requested_at = ?4, updated_at = ?4 WHERE id = ?1 AND state = 'QUEUED'",
    )
      .bind(runId, now, by, Date.now())
      .run();
    if (result.meta.changes > 0) return { kind: "canceled" };
    const row = await this.env.DB.prepare("SELECT state FROM runs WHERE id = ?1").bind(runId).first<{ state: string }>();
    return { kind: "final", state: row?.state ?? "UNKNOWN" };
  }
}
