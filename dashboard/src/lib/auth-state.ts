/** The signed-in user for the whole app: session storage behind a small store, wired into the API client. */
import { useEffect, useState } from "preact/hooks";
import { configureApi } from "./api";
import { navigate } from "./router";
import { authorizationOf, clearSession, loadSession, saveSession, type Session } from "./session";

let current: Session | null = loadSession();
let expiredNotice = false;
const listeners = new Set<() => void>();

function publish(): void {
  for (const listener of listeners) listener();
}

configureApi({
  authorization: () => {
    if (current?.kind === "oidc" && current.expiresAt <= Date.now()) signOut(true);
    return current ? authorizationOf(current) : undefined;
  },
  // The API no longer accepts these credentials (changed password, expired token): sign in again.
  onUnauthorized: () => {
    if (current) signOut(true);
  },
});

/** Starts a session. */
export function signIn(session: Session): void {
  current = session;
  expiredNotice = false;
  saveSession(session);
  publish();
}

/** Ends the session: credentials and tokens are forgotten at once. */
export function signOut(expired = false): void {
  current = null;
  expiredNotice = expired;
  clearSession();
  publish();
  if (location.pathname !== "/sign-in") navigate(expired ? `/sign-in?next=${encodeURIComponent(location.pathname + location.search)}` : "/sign-in", true);
}

/** Whether the last sign-out was the service refusing the credentials (shown on the sign-in page). */
export function sessionExpired(): boolean {
  return expiredNotice;
}

/** The current session (re-renders when it changes). */
export function useSession(): Session | null {
  const [session, setSession] = useState(current);
  useEffect(() => {
    const listener = () => setSession(current);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return session;
}
