/**
 * The auth schemes in force, as OpenAPI security schemes, and the security requirement of a route
 * from its scope in the route table (src/routes.ts): open routes accept anonymous callers too; a
 * scoped route accepts any enabled scheme, and OpenID Connect tokens need the scope.
 */
import type { AuthModes } from "../auth/credentials";

/** Security schemes and requirement builder for one configuration. */
export interface Security {
  schemes: Record<string, Record<string, unknown>>;
  /** Requirement for a route scope: a WES scope, null (open, credentials optional), "public" (none read) or "events" (the shared secret). */
  requirement(scope: string | null): Array<Record<string, string[]>> | undefined;
}

/** The schemes of `modes` (and the events header, when events are enabled). */
export function securityFor(modes: AuthModes, eventsHeader?: string): Security {
  const schemes: Security["schemes"] = {};
  if (modes.basic) schemes.basicAuth = { type: "http", scheme: "basic", description: "A user of WES_USERS." };
  // OIDC access tokens are bearer tokens too: a client that cannot run OpenID Connect discovery
  // (the API reference page, under its Content-Security-Policy) can still send one.
  if (modes.staticTokens || modes.oidc) {
    const what = [modes.staticTokens ? "a token of WES_TOKENS" : "", modes.oidc ? "an access token of the OpenID provider" : ""].filter(Boolean).join(", or ");
    schemes.bearerAuth = { type: "http", scheme: "bearer", description: `${what.charAt(0).toUpperCase()}${what.slice(1)}.` };
  }
  if (modes.oidc) {
    schemes.oidc = {
      type: "openIdConnect",
      openIdConnectUrl: `${modes.oidc.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`,
      description: `An access token for the audience ${modes.oidc.audiences.join(" or ")}; scopes narrow what it may do.`,
    };
  }
  if (eventsHeader) schemes.eventsSecret = { type: "apiKey", in: "header", name: eventsHeader, description: "HEALTHOMICS_EVENTS_SECRET (EventBridge)." };
  const users = (scope: string | null) =>
    Object.keys(schemes)
      .filter((name) => name !== "eventsSecret")
      .map((name) => ({ [name]: name === "oidc" && scope ? [scope] : [] }));
  return {
    schemes,
    requirement(scope) {
      if (scope === "public") return [];
      if (scope === "events") return eventsHeader ? [{ eventsSecret: [] }] : undefined;
      const list = users(scope);
      if (list.length === 0) return undefined;
      return scope === null ? [{}, ...list] : list;
    },
  };
}
