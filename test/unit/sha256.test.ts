/** The synchronous SHA-256 agrees with WebCrypto's on every padding boundary and on multi-byte text. */
import { describe, expect, it } from "vitest";
import { sha256HexSync } from "../../src/sha256";

async function webCrypto(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

describe("sha256HexSync", () => {
  it("matches the FIPS 180-4 examples", () => {
    expect(sha256HexSync("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256HexSync("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("matches WebCrypto at every length around the block boundaries, and for non-ASCII text", async () => {
    for (let n = 0; n <= 200; n++) {
      const text = "a".repeat(n);
      expect(sha256HexSync(text), `length ${n}`).toBe(await webCrypto(text));
    }
    for (const text of ["é".repeat(256), "🧬 genomics", "\u0000\uffff", "x".repeat(10_000)]) expect(sha256HexSync(text)).toBe(await webCrypto(text));
  });
});
