/**
 * AuthGuardObject: failed authentications of one client (one object per client address, see
 * src/auth/guard.ts). It keeps the times of the client's last `limit` failures; the client is
 * blocked while all of them fall within the last minute, i.e. until the oldest of them is a
 * minute old — a sliding window that needs no more than `limit` numbers of storage. An alarm
 * deletes everything a minute after the last failure, so idle clients cost nothing.
 */
import { DurableObject } from "cloudflare:workers";

/** Length of the sliding window. */
export const GUARD_WINDOW_MS = 60_000;

/** The client's standing after a failure (or when asked). */
export interface GuardVerdict {
  /** Failures within the window (at most `limit`). */
  failures: number;
  /** Until when the client is blocked (epoch ms), or null. */
  blockedUntil: number | null;
}

/** Failure times within the window, kept to the newest `limit`. */
export function recentFailures(times: readonly number[], now: number, limit: number): number[] {
  return times.filter((t) => t > now - GUARD_WINDOW_MS).slice(-limit);
}

/** The verdict for the recent failure times. */
export function verdictOf(recent: readonly number[], limit: number): GuardVerdict {
  const blockedUntil = limit > 0 && recent.length >= limit ? recent[recent.length - limit]! + GUARD_WINDOW_MS : null;
  return { failures: recent.length, blockedUntil };
}

/** The failed-authentication counter of one client. */
export class AuthGuardObject extends DurableObject<Env> {
  async #recent(now: number, limit: number): Promise<number[]> {
    return recentFailures((await this.ctx.storage.get<number[]>("failures")) ?? [], now, limit);
  }

  /** Records one failed authentication and returns the client's standing. */
  async recordFailure(limit: number): Promise<GuardVerdict> {
    const now = Date.now();
    const recent = await this.#recent(now, Math.max(1, limit));
    recent.push(now);
    const kept = recent.slice(-Math.max(1, limit));
    await this.ctx.storage.put("failures", kept);
    await this.ctx.storage.setAlarm(now + GUARD_WINDOW_MS);
    return verdictOf(kept, limit);
  }

  /** The client's standing without recording anything (diagnostics and tests). */
  async verdict(limit: number): Promise<GuardVerdict> {
    return verdictOf(await this.#recent(Date.now(), Math.max(1, limit)), limit);
  }

  /** A minute after the last failure nothing is left to remember. */
  override async alarm(): Promise<void> {
    const times = (await this.ctx.storage.get<number[]>("failures")) ?? [];
    const newest = times.at(-1);
    if (newest !== undefined && newest + GUARD_WINDOW_MS > Date.now()) {
      await this.ctx.storage.setAlarm(newest + GUARD_WINDOW_MS);
      return;
    }
    await this.ctx.storage.deleteAll();
  }
}
