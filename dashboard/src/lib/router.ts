/**
 * A small history router: the dashboard's pages have real paths (/runs/<id>, /submit, /admin),
 * which the Worker's static assets answer with index.html (SPA mode), so they can be bookmarked
 * and shared. Links are ordinary <a href> elements; same-origin clicks are handled here.
 */
import { useEffect, useState } from "preact/hooks";

type Listener = () => void;
const listeners = new Set<Listener>();

/** Goes to `path` without reloading (replace: no new history entry). */
export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  for (const listener of listeners) listener();
  if (!replace) window.scrollTo(0, 0);
}

addEventListener("popstate", () => {
  for (const listener of listeners) listener();
});

// One listener for every link: plain left clicks on same-origin links navigate in place.
document.addEventListener("click", (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = (event.target as Element | null)?.closest?.("a[href]") as HTMLAnchorElement | null;
  if (!link || link.target || link.hasAttribute("download") || link.dataset.native !== undefined) return;
  const url = new URL(link.href);
  if (url.origin !== location.origin || url.pathname.startsWith("/docs") || url.pathname.startsWith("/ga4gh") || url.pathname === "/openapi.json") return;
  event.preventDefault();
  navigate(`${url.pathname}${url.search}${url.hash}`);
});

/** The current location (re-renders on navigation). */
export function useLocation(): { path: string; search: string } {
  const read = () => ({ path: location.pathname, search: location.search });
  const [where, setWhere] = useState(read);
  useEffect(() => {
    const listener = () => setWhere(read());
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return where;
}
