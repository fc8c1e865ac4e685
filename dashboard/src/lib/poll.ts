/**
 * Live data by polling: load now, then every `everyMs` while the tab is visible (a hidden tab
 * costs nothing), at once when it becomes visible again, and not at all once `stop` says the data
 * will not change (a finished run). docs/usage.md, "The dashboard", argues polling over push.
 */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";

/** The state of polled data. */
export interface Polled<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again now. */
  refresh: () => void;
}

/** Polls `load` (re-created when `key` changes). */
export function usePoll<T>(load: () => Promise<T>, everyMs: number, key: string, stop: (data: T) => boolean = () => false): Polled<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const stopRef = useRef(stop);
  stopRef.current = stop;

  // A new key is a new question: forget the old answer.
  useEffect(() => {
    setData(undefined);
    setError(undefined);
    setLoading(true);
  }, [key]);

  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let finished = false;
    const run = async () => {
      if (!alive) return;
      clearTimeout(timer);
      try {
        const value = await loadRef.current();
        if (!alive) return;
        setData(value);
        setError(undefined);
        finished = stopRef.current(value);
      } catch (e) {
        if (alive) setError(e);
      } finally {
        if (alive) setLoading(false);
      }
      if (alive && !finished && document.visibilityState === "visible") timer = setTimeout(run, everyMs);
    };
    const onVisible = () => {
      if (document.visibilityState === "visible" && !finished) void run();
    };
    document.addEventListener("visibilitychange", onVisible);
    void run();
    return () => {
      alive = false;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [key, tick, everyMs]);

  const refresh = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, refresh };
}
