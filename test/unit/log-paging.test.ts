/**
 * The log paging rules as tables over a scripted page source: forward to the end (the forward
 * token comes back unchanged), empty pages while more follow, a missing stream, the line and page
 * bounds, and the tail read backward.
 */
import { describe, expect, it } from "vitest";
import { asLine, type Page, type PageRequest, type PageSource, readForward, readTail } from "../../src/executors/healthomics/logs/log-paging";

/**
 * A stream of `lines` served like CloudWatch Logs: forward pages of at most `pageSize` from a
 * position token `f/<n>`; `empties` forces an empty page at the given positions first; the end is
 * the same token again. Backward tokens `b/<n>` end where the previous page began.
 */
function stream(lines: string[], pageSize: number, empties: number[] = []): { source: PageSource; calls: PageRequest[] } {
  const calls: PageRequest[] = [];
  const emptied = new Set<number>();
  const source: PageSource = async (request) => {
    calls.push(request);
    const limit = Math.min(pageSize, request.limit);
    if (request.startFromHead || request.token?.startsWith("f/")) {
      const at = request.token ? Number.parseInt(request.token.slice(2), 10) : 0;
      if (empties.includes(at) && !emptied.has(at)) {
        emptied.add(at);
        // AWS hands out a fresh token with an empty page (here: the same position, spelt anew).
        return { messages: [], nextForwardToken: `f/${at}~`, nextBackwardToken: `b/${at}` } satisfies Page;
      }
      const messages = lines.slice(at, at + limit);
      return { messages, nextForwardToken: `f/${at + messages.length}`, nextBackwardToken: `b/${at}` };
    }
    const end = request.token ? Number(request.token.slice(2)) : lines.length;
    const start = Math.max(0, end - limit);
    return { messages: lines.slice(start, end), nextForwardToken: `f/${end}`, nextBackwardToken: `b/${start}` };
  };
  return { source, calls };
}

async function collect(source: PageSource, maxLines: number, maxPages: number) {
  const pages: string[][] = [];
  const it = readForward(source, { maxLines, maxPages });
  for (;;) {
    const step = await it.next();
    if (step.done) return { pages, reason: step.value };
    pages.push(step.value);
  }
}

const LINES = Array.from({ length: 25 }, (_, i) => `line ${i}`);

describe("readForward", () => {
  it.each([
    { name: "whole log in pages", size: 10, maxLines: 100, maxPages: 100, lines: 25, reason: "end", pages: 3 },
    { name: "exact multiple of the page size", size: 5, maxLines: 100, maxPages: 100, lines: 25, reason: "end", pages: 5 },
    { name: "cut at maxLines", size: 10, maxLines: 12, maxPages: 100, lines: 12, reason: "limit", pages: 2 },
    { name: "cut at maxPages", size: 10, maxLines: 100, maxPages: 2, lines: 20, reason: "pages", pages: 2 },
  ])("$name", async ({ size, maxLines, maxPages, lines, reason, pages }) => {
    const { source } = stream(LINES, size);
    const result = await collect(source, maxLines, maxPages);
    expect(result.pages.flat()).toEqual(LINES.slice(0, lines));
    expect(result.reason).toBe(reason);
    expect(result.pages.length).toBe(pages);
  });

  it("keeps paging through empty pages until the token repeats", async () => {
    const { source, calls } = stream(LINES, 10, [0, 10]);
    const result = await collect(source, 100, 100);
    expect(result.pages.flat()).toEqual(LINES);
    expect(result.reason).toBe("end");
    // Two empty pages, three full ones, and the last call that returns the same token.
    expect(calls.length).toBe(6);
  });

  it("a missing stream is 'missing' and yields nothing; an empty one is 'end'", async () => {
    expect(await collect(async () => null, 10, 10)).toEqual({ pages: [], reason: "missing" });
    expect(await collect(stream([], 10).source, 10, 10)).toEqual({ pages: [], reason: "end" });
  });

  it("asks for no more events than lines still wanted", async () => {
    const { source, calls } = stream(LINES, 10_000);
    await collect(source, 7, 10);
    expect(calls[0]).toEqual({ token: undefined, startFromHead: true, limit: 7 });
  });

  it("a live stream that grows is read to its lines so far, then further on the next read", async () => {
    const live = [...LINES.slice(0, 5)];
    const first = await collect(stream(live, 10).source, 100, 10);
    live.push("line 5", "line 6");
    const second = await collect(stream(live, 10).source, 100, 10);
    expect(first.pages.flat().length).toBe(5);
    expect(second.pages.flat()).toEqual([...LINES.slice(0, 5), "line 5", "line 6"]);
  });
});

describe("readTail", () => {
  it.each([
    { name: "fewer than a page", count: 3, size: 10, lines: LINES.slice(-3), calls: 1 },
    { name: "over several backward pages", count: 15, size: 10, lines: LINES.slice(-15), calls: 2 },
    { name: "more than the log holds", count: 40, size: 10, lines: LINES, calls: 4 },
  ])("$name", async ({ count, size, lines, calls }) => {
    const s = stream(LINES, size);
    const tail = await readTail(s.source, count, 10);
    expect(tail).toEqual({ lines, missing: false, incomplete: false });
    expect(s.calls.length).toBe(calls);
  });

  it("stops at maxPages and says so; a missing stream is missing", async () => {
    expect(await readTail(stream(LINES, 2).source, 20, 3)).toEqual({ lines: LINES.slice(-6), missing: false, incomplete: true });
    expect(await readTail(async () => null, 5, 3)).toEqual({ lines: [], missing: true, incomplete: false });
  });
});

describe("asLine", () => {
  it("ends each event with one newline", () => {
    expect(asLine("a")).toBe("a\n");
    expect(asLine("a\n")).toBe("a\n");
  });
});
