/**
 * The identity provider's endpoints the dashboard's sign-in needs (OpenID Connect Discovery 1.0):
 * authorization, token and end-session endpoints, from `${WES_OIDC_ISSUER}/.well-known/openid-configuration`,
 * cached per isolate for ten minutes (a failure is not cached).
 */
import { secureUrl } from "../auth/oidc-config";

/** The endpoints, as the discovery document names them. */
export interface ProviderEndpoints {
  authorization: string;
  token: string;
  endSession?: string;
}

const MAX_AGE_MS = 10 * 60_000;
const TIMEOUT_MS = 5000;
const MAX_BYTES = 64 * 1024;
const cache = new Map<string, { at: number; endpoints: ProviderEndpoints }>();

/** Why the endpoints could not be read (a 503 for the caller). */
export class DiscoveryFailed extends Error {}

/** The provider's endpoints for `issuer`. */
export async function providerEndpoints(issuer: string): Promise<ProviderEndpoints> {
  const hit = cache.get(issuer);
  if (hit && Date.now() - hit.at < MAX_AGE_MS) return hit.endpoints;
  let doc: Record<string, unknown>;
  try {
    const res = await fetch(`${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`, {
      headers: { Accept: "application/json" },
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await res.text();
    if (!res.ok || text.length > MAX_BYTES) throw new DiscoveryFailed(`the discovery document answered HTTP ${res.status}`);
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw error instanceof DiscoveryFailed
      ? error
      : new DiscoveryFailed(`the discovery document could not be read (${error instanceof Error ? error.name : "error"})`);
  }
  // Discovery §4.3: the document must name exactly the issuer it was fetched for.
  if (doc.issuer !== issuer) throw new DiscoveryFailed("the discovery document names another issuer than WES_OIDC_ISSUER");
  const url = (name: string) => (typeof doc[name] === "string" && secureUrl(doc[name] as string) ? (doc[name] as string) : undefined);
  const authorization = url("authorization_endpoint");
  const token = url("token_endpoint");
  if (!authorization || !token) throw new DiscoveryFailed("the discovery document has no https authorization_endpoint and token_endpoint");
  const endSession = url("end_session_endpoint");
  const endpoints: ProviderEndpoints = { authorization, token, ...(endSession ? { endSession } : {}) };
  cache.set(issuer, { at: Date.now(), endpoints });
  return endpoints;
}
