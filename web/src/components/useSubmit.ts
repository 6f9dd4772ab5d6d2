// Form submission state: busy flag, the last error, and which field it names.
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';

export function useSubmit(fields: readonly string[]) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const inputs = useRef<Record<string, HTMLInputElement | null>>({});

  const ref = (name: string) => (el: HTMLInputElement | null) => {
    inputs.current[name] = el;
  };

  /** Runs the request; on a field error highlights and focuses that field. */
  async function run<T>(action: () => Promise<T>): Promise<T | undefined> {
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      return await action();
    } catch (e) {
      setError(e);
      const field = e instanceof ApiError ? e.fieldName() : null;
      if (field && fields.includes(field)) {
        setFieldErrors({ [field]: (e as ApiError).detail });
        inputs.current[field]?.focus();
      }
      return undefined;
    } finally {
      setBusy(false);
    }
  }

  /** A check made in the browser before asking the server. */
  function fail(field: string, message: string): void {
    setError(null);
    setFieldErrors({ [field]: message });
    inputs.current[field]?.focus();
  }

  return { busy, error, fieldErrors, run, fail, ref };
}
