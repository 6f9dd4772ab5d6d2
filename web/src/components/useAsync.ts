// Loads something for a page: the value, the error, and a way to try again.
// Answers that arrive after the inputs changed are dropped.
import { useEffect, useRef, useState } from 'preact/hooks';

export interface Async<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload: () => void;
  /** Replaces the value in place (after an edit the server answered with the new state). */
  set: (value: T) => void;
}

export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = () => {
    const gen = ++generation.current;
    setLoading(true);
    setError(null);
    loadRef.current().then(
      (value) => {
        if (gen !== generation.current) return;
        setData(value);
        setLoading(false);
      },
      (e: unknown) => {
        if (gen !== generation.current) return;
        setError(e);
        setLoading(false);
      },
    );
  };

  useEffect(run, deps);
  return { data, error, loading, reload: run, set: setData };
}
