// Form submission state: busy flag, the last error, and which field it names.
import { useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';

/**
 * `fields` are the names the server may report as they are; `rename` maps
 * other reported names (e.g. "skus[1].price_fen") to a field of the form;
 * `codeFields` points a rule's code that names no field (e.g. 422
 * "amount_too_large") at the field it is about.
 */
export function useSubmit(
  fields: readonly string[],
  rename?: ((field: string) => string | null) | null,
  codeFields?: Record<string, string>,
) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const inputs = useRef<Record<string, HTMLElement | null>>({});

  const ref = (name: string) => (el: HTMLElement | null) => {
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
      const reported =
        e instanceof ApiError ? (e.fieldName() ?? (codeFields && codeFields[e.code]) ?? null) : null;
      const field = reported && !fields.includes(reported) && rename ? rename(reported) : reported;
      if (field && (fields.includes(field) || field !== reported)) {
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

  /** Several checks made in the browser at once; focus goes to the first. */
  function failMany(errors: Record<string, string>): void {
    setError(null);
    setFieldErrors(errors);
    const first = Object.keys(errors)[0];
    if (first) inputs.current[first]?.focus();
  }

  return { busy, error, fieldErrors, run, fail, failMany, ref };
}
