/**
 * Who is signed in, kept in this tab's session storage (never local storage): it survives a
 * reload of the tab and is gone when the tab closes; "Sign out" clears it. Basic credentials are
 * kept as the Authorization header value; OIDC as the access token and its expiry.
 */

/** A signed-in user. */
export type Session =
  | { kind: "basic"; user: string; authorization: string; admin: boolean }
  | { kind: "oidc"; user: string; accessToken: string; expiresAt: number; idToken?: string; admin: boolean };

const KEY = "wes-dashboard-session";

/** The Authorization header value of a session. */
export function authorizationOf(session: Session): string {
  return session.kind === "basic" ? session.authorization : `Bearer ${session.accessToken}`;
}

/** The session of this tab, if any (an expired OIDC token counts as none). */
export function loadSession(): Session | null {
  try {
    const text = sessionStorage.getItem(KEY);
    if (!text) return null;
    const session = JSON.parse(text) as Session;
    if (session.kind === "oidc" && session.expiresAt <= Date.now()) {
      sessionStorage.removeItem(KEY);
      return null;
    }
    return session;
  } catch {
    return null;
  }
}

/** Keeps the session for this tab. */
export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

/** Forgets the session (and any half-done OIDC sign-in). */
export function clearSession(): void {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem("wes-dashboard-oidc");
}

/** `Basic base64(user:password)`, UTF-8 as the API reads it. */
export function basicAuthorization(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return `Basic ${btoa(text)}`;
}

/** The claims of a JWT, unverified (for display only: the API verifies every token). */
export function jwtClaims(token: string): Record<string, unknown> {
  try {
    const part = token.split(".")[1] ?? "";
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return {};
  }
}
