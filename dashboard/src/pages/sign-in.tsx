import { useEffect, useState } from "preact/hooks";
import { api, ApiError, API, messageOf } from "../lib/api";
import { sessionExpired, signIn } from "../lib/auth-state";
import { beginOidcSignIn, isAdmin, oidcConfig } from "../lib/oidc";
import { navigate } from "../lib/router";
import { basicAuthorization } from "../lib/session";
import type { OidcConfig } from "../lib/types";
import { Notice } from "../components/notice";

function nextPath(search: string): string {
  const next = new URLSearchParams(search).get("next") ?? "/";
  // Only a path of this dashboard: never another origin.
  return next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

/** Sign in: with a user name and password (HTTP basic users), or at the identity provider (OIDC). */
export function SignIn({ search }: { search: string }) {
  const [user, setUser] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | undefined>(
    sessionExpired() ? "Your session has ended (the service no longer accepts its credentials). Please sign in again." : undefined,
  );
  const [busy, setBusy] = useState(false);
  const [oidc, setOidc] = useState<OidcConfig | undefined>(undefined);

  useEffect(() => {
    oidcConfig()
      .then(setOidc)
      .catch(() => setOidc({ enabled: false }));
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!user || !password) {
      setError("Enter your user name and password.");
      return;
    }
    setBusy(true);
    setError(undefined);
    const authorization = basicAuthorization(user, password);
    try {
      // Any run endpoint checks the credentials; a one-run page is the cheapest.
      await api(`${API}/runs?page_size=1`, { auth: authorization });
      signIn({ kind: "basic", user, authorization, admin: await isAdmin(authorization) });
      navigate(nextPath(search), true);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? "Wrong user name or password." : messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="sign-in card" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      <p class="muted">See, submit and cancel your workflow runs on AWS HealthOmics.</p>
      {error && <Notice kind="error">{error}</Notice>}
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for="username">Username</label>
          <input id="username" name="username" autocomplete="username" value={user} onInput={(e) => setUser((e.target as HTMLInputElement).value)} required />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            value={password}
            onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
            required
          />
        </div>
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      {oidc?.enabled && (
        <div class="sso">
          <p class="muted">or</p>
          <button
            type="button"
            class="button"
            onClick={() => {
              setError(undefined);
              beginOidcSignIn(oidc, nextPath(search)).catch((e: unknown) => setError(messageOf(e)));
            }}
          >
            Sign in with your organisation
          </button>
        </div>
      )}
      <p class="muted small">Your credentials stay in this tab only (session storage) and are sent to this service alone.</p>
    </section>
  );
}
