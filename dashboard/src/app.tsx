/** The dashboard: routes, and sign-in required everywhere but the sign-in pages. */
import { useEffect } from "preact/hooks";
import { Layout } from "./components/layout";
import { useSession } from "./lib/auth-state";
import { navigate, useLocation } from "./lib/router";
import { Admin } from "./pages/admin";
import { AuthCallback } from "./pages/auth-callback";
import { NotFound } from "./pages/not-found";
import { Run } from "./pages/run";
import { Runs } from "./pages/runs";
import { SignIn } from "./pages/sign-in";
import { Submit } from "./pages/submit";

const TITLES: Array<[RegExp, string]> = [
  [/^\/$/, "Runs"],
  [/^\/runs\//, "Run"],
  [/^\/submit$/, "Submit a run"],
  [/^\/admin$/, "API budget"],
  [/^\/sign-in$/, "Sign in"],
];

export function App() {
  const session = useSession();
  const { path, search } = useLocation();
  const open = path === "/sign-in" || path === "/auth/callback";

  useEffect(() => {
    const title = TITLES.find(([re]) => re.test(path))?.[1] ?? "Not found";
    document.title = `${title} · WES on AWS HealthOmics`;
    // Move focus to the new page for keyboard and screen-reader users.
    document.getElementById("main")?.focus({ preventScroll: true });
  }, [path]);

  useEffect(() => {
    if (!session && !open) navigate(`/sign-in?next=${encodeURIComponent(path + search)}`, true);
  }, [session, open, path, search]);

  let page = null;
  if (path === "/sign-in") page = <SignIn search={search} />;
  else if (path === "/auth/callback") page = <AuthCallback search={search} />;
  else if (!session) page = null;
  else if (path === "/") page = <Runs search={search} admin={session.admin} />;
  else if (path.startsWith("/runs/")) page = <Run id={decodeURIComponent(path.slice("/runs/".length))} />;
  else if (path === "/submit") page = <Submit />;
  else if (path === "/admin") page = session.admin ? <Admin /> : <NotFound />;
  else page = <NotFound />;

  return (
    <Layout session={session} path={path}>
      {page}
    </Layout>
  );
}
