/**
 * `WWW-Authenticate` challenges (RFC 7235 §4.1, RFC 7617 for Basic, RFC 6750 §3 for Bearer):
 * exactly the schemes that are enabled, and on Bearer the RFC 6750 error of a refused token or of
 * a token that lacks a scope.
 */
import type { AuthModes } from "./credentials";

/** The realm of both schemes. */
export const REALM = "GA4GH WES";

/** RFC 6750 error attributes of a Bearer challenge. */
export interface BearerError {
  error: "invalid_request" | "invalid_token" | "insufficient_scope";
  description?: string;
  scope?: string;
}

/** RFC 6750 §3: error_description and scope are quoted strings of %x20-21 / %x23-5B / %x5D-7E. */
export function quotable(text: string): string {
  return text
    .replace(/["\\]/g, "'")
    .replace(/[^\x20-\x7e]/g, "?")
    .slice(0, 300);
}

/** The challenge for the enabled schemes (both when none is enabled, so a 401 always has one). */
export function challenge(modes: AuthModes, bearerError?: BearerError): string {
  const bearerOn = modes.staticTokens || modes.oidc !== null;
  const none = !modes.basic && !bearerOn;
  const parts: string[] = [];
  if (modes.basic || none) parts.push(`Basic realm="${REALM}", charset="UTF-8"`);
  if (bearerOn || none || bearerError) {
    let bearer = `Bearer realm="${REALM}"`;
    if (bearerError) {
      bearer += `, error="${bearerError.error}"`;
      if (bearerError.description) bearer += `, error_description="${quotable(bearerError.description)}"`;
      if (bearerError.scope) bearer += `, scope="${quotable(bearerError.scope)}"`;
    }
    parts.push(bearer);
  }
  return parts.join(", ");
}
