// Shows an API failure as the server's own localised message, with the
// request id to quote to support.
import { ApiError } from '../api/client';
import { t } from '../i18n';

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.isNetwork) return t('error.network');
    if (error.detail) return error.detail;
    return t('error.unexpected');
  }
  return t('error.unexpected');
}

export function ProblemAlert({ error, id }: { error: unknown; id?: string }) {
  if (!error) return null;
  const requestId = error instanceof ApiError ? error.requestId : null;
  return (
    <div class="alert alert-error" role="alert" id={id} data-problem-code={error instanceof ApiError ? error.code : ''}>
      <p class="alert-message">{errorMessage(error)}</p>
      {requestId && (
        <p class="alert-meta">
          {t('error.requestId')} <code class="request-id">{requestId}</code>
          <span class="alert-hint"> {t('error.forSupport')}</span>
        </p>
      )}
    </div>
  );
}

export function StatusMessage({ text }: { text: string | null }) {
  return (
    <p class="status-message" role="status" aria-live="polite">
      {text}
    </p>
  );
}
