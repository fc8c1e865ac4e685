/**
 * Waits until a local Worker answers. Shared by `npm start` (scripts/start.mjs) and the
 * benchmark's stack (bench/lib/stack.mjs).
 */

/**
 * Polls `url` every 250 ms until it answers with any HTTP status (true) or `timeoutMs` passes
 * (false). `gaveUp()` ends the wait early, e.g. when the process that should answer has exited.
 * @param {string} url
 * @param {number} timeoutMs
 * @param {() => boolean} [gaveUp]
 * @returns {Promise<boolean>}
 */
export async function waitForUrl(url, timeoutMs, gaveUp = () => false) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gaveUp()) {
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return false;
}
