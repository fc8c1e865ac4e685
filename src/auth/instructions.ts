/** What the service tells clients about signing in: service-info tags and the /auth-instructions page. */
import type { AuthModes } from "./credentials";
import { SCOPE_DESCRIPTIONS, WES_SCOPES } from "./scopes";

/** The enabled schemes as service-info lists them: basic (WES_USERS), bearer (WES_TOKENS), oidc (OpenID Connect JWTs). */
export function schemeNames(modes: AuthModes): string[] {
  return [modes.basic ? "basic" : "", modes.staticTokens ? "bearer" : "", modes.oidc ? "oidc" : ""].filter((s) => s !== "");
}

/**
 * service-info tags about authentication: `auth_schemes`, and for OIDC what a client needs to get
 * a token (issuer and audience are public facts of the IdP).
 */
export function authTags(modes: AuthModes): Record<string, string> {
  const tags: Record<string, string> = { auth_schemes: schemeNames(modes).join(",") || "none" };
  if (!modes.oidc) return tags;
  return { ...tags, oidc_issuer: modes.oidc.issuer, oidc_audience: modes.oidc.audiences.join(","), oidc_scopes: WES_SCOPES.join(" ") };
}

/** The plain-text auth-instructions page: what is enabled here and how to use it. */
export function authInstructions(name: string, modes: AuthModes): string {
  const lines = [`${name}: how to authenticate`, "", "Every run endpoint needs credentials; GET /service-info also answers anonymously.", ""];
  if (modes.basic) lines.push("- HTTP Basic: curl -u <user>:<password> ... (users are configured by the operator in WES_USERS)");
  if (modes.staticTokens) lines.push("- Bearer token: curl -H 'Authorization: Bearer <token>' ... (tokens are configured by the operator in WES_TOKENS)");
  const oidc = modes.oidc;
  if (oidc) {
    lines.push(
      "- OpenID Connect: curl -H 'Authorization: Bearer <access token>' ...",
      `    issuer:   ${oidc.issuer}`,
      `    audience: ${oidc.audiences.join(" or ")} (request the access token for this audience)`,
      `    user:     the '${oidc.userClaim}' claim names you; your runs belong to it`,
      ...(oidc.admin ? [`    admins:   tokens whose '${oidc.admin.claim}' claim contains '${oidc.admin.value}'`] : []),
      "    scopes:   a token that carries scopes may do only what they allow; one without any scope claim may do everything but admin:",
      ...WES_SCOPES.map((scope) => `      ${scope.padEnd(11)} ${SCOPE_DESCRIPTIONS[scope]}`),
    );
  }
  if (!modes.basic && !modes.staticTokens && !oidc)
    lines.push("- No sign-in method is configured yet: run endpoints are disabled until the operator adds users.");
  lines.push("", "Ask the operator of this service for an account. Each user sees only their own runs.");
  lines.push(`Repeated failed sign-ins from one address are answered 429 for a while (Retry-After says how long).`);
  return lines.join("\n");
}
