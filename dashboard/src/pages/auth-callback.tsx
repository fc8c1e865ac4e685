import { useEffect, useState } from "preact/hooks";
import { messageOf } from "../lib/api";
import { signIn } from "../lib/auth-state";
import { completeOidcSignIn } from "../lib/oidc";
import { navigate } from "../lib/router";
import { Notice } from "../components/notice";

/** Where the identity provider sends the browser back: exchange the code, then go on. */
export function AuthCallback({ search }: { search: string }) {
  const [error, setError] = useState<string | undefined>(undefined);
  useEffect(() => {
    completeOidcSignIn(search)
      .then(({ session, returnTo }) => {
        signIn(session);
        navigate(returnTo.startsWith("/") && !returnTo.startsWith("//") ? returnTo : "/", true);
      })
      .catch((e: unknown) => setError(messageOf(e)));
  }, [search]);
  return (
    <section class="card">
      <h1>Signing in…</h1>
      {error ? (
        <>
          <Notice kind="error">{error}</Notice>
          <a href="/sign-in">Back to sign in</a>
        </>
      ) : (
        <p class="muted">Completing the sign-in with your identity provider.</p>
      )}
    </section>
  );
}
