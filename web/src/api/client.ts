// The one place that talks HTTP to /api/v1: JSON in and out, the CSRF header
// on every state-changing request, and problem+json turned into ApiError.
import { lang, readCookie } from '../i18n';

export const API_BASE = '/api/v1';
const CSRF_COOKIE = 'goji_csrf';
const TIMEOUT_MS = 30_000;
// An image of several MB over a weak mobile link needs longer.
const UPLOAD_TIMEOUT_MS = 180_000;

/** An RFC 9457 problem from the server, or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly field: string | null;
  readonly requestId: string | null;

  constructor(init: {
    status: number;
    code: string;
    title?: string;
    detail?: string;
    field?: string | null;
    requestId?: string | null;
  }) {
    super(init.detail || init.code);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title ?? '';
    this.detail = init.detail ?? '';
    this.field = init.field ?? null;
    this.requestId = init.requestId ?? null;
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }

  /** The form field this error is about: `field`, or a 400's `code` naming one. */
  fieldName(): string | null {
    if (this.field) return this.field;
    return this.status === 400 ? this.code : null;
  }
}

let onUnauthenticated: (() => void) | null = null;

/** Called when the server answers 401: the session expired or was ended elsewhere. */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

export function hasSessionCookie(): boolean {
  // goji_session is HttpOnly; its readable twin goji_csrf lives exactly as long.
  return !!readCookie(CSRF_COOKIE);
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  request_id?: string;
  field?: string;
}

export async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  extraHeaders?: Record<string, string>,
): Promise<T> {
  const headers: Record<string, string> = {
    ...extraHeaders,
    Accept: 'application/json, application/problem+json',
    'Accept-Language': lang.value,
  };
  const multipart = body instanceof FormData;
  // A file's text (a CSV, say) goes as it is, with its own type.
  const raw = body instanceof Blob;
  // A multipart body sets its own Content-Type (with the boundary).
  if (raw) headers['Content-Type'] = body.type || 'application/octet-stream';
  else if (body !== undefined && !multipart) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  let response: Response;
  try {
    response = await fetch(API_BASE + path, {
      method,
      headers,
      body: body === undefined ? undefined : multipart || raw ? body : JSON.stringify(body),
      credentials: 'same-origin',
      signal: AbortSignal.timeout(multipart || raw ? UPLOAD_TIMEOUT_MS : TIMEOUT_MS),
    });
  } catch {
    throw new ApiError({ status: 0, code: 'network' });
  }
  const requestId = response.headers.get('X-Request-Id');
  if (response.ok) {
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }
  let problem: Problem = {};
  try {
    problem = (await response.json()) as Problem;
  } catch {
    // Not JSON (a proxy's error page, say): the status and request id remain.
  }
  // Not a wrong password: the session itself is gone.
  if (response.status === 401 && problem.code === 'unauthenticated') onUnauthenticated?.();
  throw new ApiError({
    status: response.status,
    code: problem.code ?? `http_${response.status}`,
    title: problem.title,
    detail: problem.detail,
    field: problem.field,
    requestId: problem.request_id ?? requestId,
  });
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  /** `headers` adds request headers such as Idempotency-Key. */
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
    request<T>('POST', path, body ?? {}, headers),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
  /** multipart/form-data, e.g. an image upload. */
  upload: <T>(path: string, form: FormData) => request<T>('POST', path, form),
  /** A text body of its own type, e.g. `text/csv`. */
  postText: <T>(path: string, text: string, type: string) =>
    request<T>('POST', path, new Blob([text], { type })),
};
