/**
 * Where Chromium is for the dashboard's browser tests (Debian's `chromium` package, or
 * $CHROMIUM_PATH), and the flags that work on these machines (headless, no sandbox, no GPU, no
 * network chatter of its own). Playwright gives each launch a fresh profile (--user-data-dir).
 */
import { existsSync } from "node:fs";

/** Command-line flags for every launch. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

/** The browser's path, or undefined when none is installed. */
export function findChromium() {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return existsSync(configured) ? configured : undefined;
  return CANDIDATES.find((path) => existsSync(path));
}

/** How to get one, for the message shown when the browser tests are skipped. */
export const HOW_TO_INSTALL =
  "Install Debian's Chromium (sudo apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium/Chrome binary, then run `npm test` again; with CI=true, `npm test` installs it itself.";
