/** OAuth 2.0 authorization code with PKCE (RFC 7636, S256), the pure parts. */

/** base64url without padding. */
export function base64url(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A random string of 32 bytes (43 characters), fit for a code verifier or a state. */
export function randomToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** The S256 code challenge of a verifier. */
export async function challengeOf(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}

/** What the authorization request needs. */
export interface AuthorizeParams {
  endpoint: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string;
  challenge: string;
  audience?: string;
}

/** The URL the browser goes to for signing in. */
export function authorizeUrl(p: AuthorizeParams): string {
  const url = new URL(p.endpoint);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", p.clientId);
  url.searchParams.set("redirect_uri", p.redirectUri);
  url.searchParams.set("scope", p.scope);
  url.searchParams.set("state", p.state);
  url.searchParams.set("code_challenge", p.challenge);
  url.searchParams.set("code_challenge_method", "S256");
  // Auth0 issues access tokens for an API only when asked for its audience; other providers ignore it.
  if (p.audience) url.searchParams.set("audience", p.audience);
  return url.toString();
}

/** The callback's answer: a code for our state, or why not. */
export function readCallback(search: string, expectedState: string | undefined): { code: string } | { error: string } {
  const q = new URLSearchParams(search);
  const error = q.get("error");
  if (error) return { error: `The identity provider refused the sign-in: ${error}${q.get("error_description") ? ` (${q.get("error_description")})` : ""}.` };
  if (!expectedState || q.get("state") !== expectedState)
    return { error: "This sign-in answer does not belong to a sign-in started in this tab. Start again." };
  const code = q.get("code");
  return code ? { code } : { error: "The identity provider sent no authorization code." };
}
