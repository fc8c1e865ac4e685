/**
 * The credentials the service signs HealthOmics calls with: the static key from Worker secrets,
 * or — when AWS_ROLE_ARN is set — temporary credentials of that role from STS AssumeRole,
 * cached per isolate and renewed before they expire (well ahead, so a week-long run never signs
 * with expired credentials). Concurrent callers share one AssumeRole call. If a renewal fails
 * while the cached credentials are still valid, those are used and the renewal is tried again.
 */
import type { OmicsResult } from "./errors";
import { assumeRole, type AssumeRoleSettings, type TemporaryCredentials } from "./sts";
import type { AwsCredentials } from "./transport";

/** Renew when less than this is left. */
export const RENEW_BEFORE_MS = 5 * 60_000;

interface Entry {
  credentials?: TemporaryCredentials;
  pending?: Promise<OmicsResult<TemporaryCredentials>>;
}

const cache = new Map<string, Entry>();

/** A provider of fresh temporary credentials for `role`, signing AssumeRole with `base`. */
export function assumedRoleCredentials(
  base: AwsCredentials,
  region: string,
  role: AssumeRoleSettings,
  now: () => number = Date.now,
): () => Promise<OmicsResult<AwsCredentials>> {
  const key = `${base.accessKeyId}|${role.roleArn}|${role.endpoint ?? region}`;
  return async () => {
    let entry = cache.get(key);
    if (!entry) {
      entry = {};
      cache.set(key, entry);
    }
    const cached = entry.credentials;
    if (cached && cached.expiresAt - now() > RENEW_BEFORE_MS) return { ok: true, value: cached };
    entry.pending ??= assumeRole(base, region, role).finally(() => {
      entry.pending = undefined;
    });
    const renewed = await entry.pending;
    if (renewed.ok) {
      entry.credentials = renewed.value;
      return renewed;
    }
    // Still valid: keep signing with them and try to renew on the next call.
    if (cached && cached.expiresAt > now()) return { ok: true, value: cached };
    return renewed;
  };
}
