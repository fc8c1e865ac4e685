import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { signOut } from "../lib/auth-state";
import type { Session } from "../lib/session";

type Theme = "light" | "dark" | "system";
// The light/dark choice is the one thing kept in local storage (credentials never are).
const THEME_KEY = "wes-dashboard-theme";

function applyTheme(theme: Theme): void {
  if (theme === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

function ThemeSwitch() {
  const [theme, setTheme] = useState<Theme>(() => (localStorage.getItem(THEME_KEY) as Theme | null) ?? "system");
  useEffect(() => {
    applyTheme(theme);
    if (theme === "system") localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, theme);
  }, [theme]);
  return (
    <label class="theme-switch">
      <span class="visually-hidden">Colour theme</span>
      <select value={theme} onChange={(e) => setTheme((e.target as HTMLSelectElement).value as Theme)}>
        <option value="system">Theme: system</option>
        <option value="light">Theme: light</option>
        <option value="dark">Theme: dark</option>
      </select>
    </label>
  );
}

/** Page frame: skip link, header with navigation and the user, the page, a footer. */
export function Layout({ session, path, children }: { session: Session | null; path: string; children: ComponentChildren }) {
  const link = (href: string, label: string) => {
    const current = href === "/" ? path === "/" || path.startsWith("/runs") : path.startsWith(href);
    return (
      <a href={href} aria-current={current ? "page" : undefined}>
        {label}
      </a>
    );
  };
  return (
    <>
      <a class="skip-link" href="#main" data-native>
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href="/">
          <img src="/favicon.svg" alt="" width="24" height="24" />
          <span>WES on HealthOmics</span>
        </a>
        {session && (
          <nav aria-label="Main">
            {link("/", "Runs")}
            {link("/submit", "Submit")}
            {session.admin && link("/admin", "Admin")}
            <a href="/docs/" data-native>
              API
            </a>
          </nav>
        )}
        <div class="topbar-end">
          <ThemeSwitch />
          {session && (
            <>
              <span class="user" title={`Signed in as ${session.user}${session.admin ? " (admin)" : ""}`}>
                {session.user}
                {session.admin && <span class="admin-mark"> (admin)</span>}
              </span>
              <button type="button" class="button subtle" onClick={() => signOut()}>
                Sign out
              </button>
            </>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer class="footer muted small">
        GA4GH WES 1.1 on AWS HealthOmics ·{" "}
        <a href="/docs/" data-native>
          API reference
        </a>{" "}
        ·{" "}
        <a href="/openapi.json" data-native>
          openapi.json
        </a>
      </footer>
    </>
  );
}
