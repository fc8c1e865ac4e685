/**
 * The events endpoint's shared secret. A wrong one is logged (`auth.failed`, never the value
 * presented) and counted per client address by the failed-authentication guard
 * (src/auth/guard.ts), in a namespace of its own (`events:<client>`) so that events and user
 * sign-ins never block each other. Only failed attempts are limited: the secret is checked
 * first, so a request that carries it always passes — EventBridge delivers from addresses shared
 * by many AWS customers, and someone else's wrong guesses must never hold our events up. (So the
 * limit bounds what a failing client costs; the secret's length is what makes guessing hopeless.)
 */
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { secretsEqual } from "../auth/credentials";
import { blockedUntil, clientKey, failureLimit, recordFailure, tooManyFailures } from "../auth/guard";
import { WesError } from "../errors";
import { log } from "../log";
import type { EventsSettings } from "./events-config";

/** Passes when the request carries the secret; throws 401 (or 429 to a client that keeps failing) otherwise. */
export async function checkEventsSecret(c: Context<AppEnv>, settings: EventsSettings): Promise<void> {
  const presented = c.req.header(settings.headerName) ?? "";
  if (settings.secret !== undefined && (await secretsEqual(presented, settings.secret))) return;
  const limit = failureLimit(c.env);
  const client = clientKey(c.req.raw.headers);
  const key = `events:${client}`;
  if (limit > 0) {
    const until = blockedUntil(key);
    if (until !== undefined) throw tooManyFailures(until);
  }
  const reason = `Missing or wrong ${settings.headerName} header.`;
  const requestId = c.get("requestId");
  // A missing header is a misconfigured sender, not a guess.
  const guess = presented !== "";
  log("info", "auth.failed", { requestId, client, scheme: "events-secret", reason, guess });
  if (guess && limit > 0) await recordFailure(c.env, key, limit, requestId);
  // RFC 9110 wants a challenge with every 401; this endpoint's "scheme" is the shared-secret header.
  throw new WesError(401, reason, { "WWW-Authenticate": `ApiKey header="${settings.headerName}"` });
}
