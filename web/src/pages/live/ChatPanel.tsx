// The room's chat: its last lines (scrolled to the newest unless the viewer
// scrolled up to read), the input with its character counter (send on
// Enter), and the channel's refusals in the viewer's language. The host
// console passes `actions` to put mute and remove buttons on each line.
import type { ComponentChildren, TargetedEvent } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { charCount } from '../../api/addresses';
import { MAX_CHAT_CHARS } from '../../api/live';
import { t, type MessageKey } from '../../i18n';
import { Link } from '../../router';
import type { ChatLine, RoomChannel } from './useRoomChannel';

/** How close to the bottom (px) still counts as "at the newest line". */
const STICK_PX = 32;

const CHAT_ERRORS: Record<string, MessageKey> = {
  chat_too_fast: 'live.chat.error.tooFast',
  muted: 'live.chat.error.muted',
  too_long: 'live.chat.error.tooLong',
  required: 'live.chat.error.empty',
  invalid_utf8: 'live.chat.error.invalid',
  unauthenticated: 'live.chat.error.login',
  removed: 'live.chat.error.removed',
  offline: 'live.chat.error.offline',
};

export function chatErrorKey(code: string): MessageKey {
  return CHAT_ERRORS[code] ?? 'live.chat.error.other';
}

interface ChatPanelProps {
  roomId: string;
  channel: RoomChannel;
  /** Where the login link returns to. */
  nextPath: string;
  actions?: (line: ChatLine) => ComponentChildren;
  idPrefix?: string;
}

export function ChatPanel({ roomId, channel, nextPath, actions, idPrefix = 'live-chat' }: ChatPanelProps) {
  const { state } = channel;
  const list = useRef<HTMLDivElement>(null);
  const [stick, setStick] = useState(true);
  const [text, setText] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const lastSent = useRef('');
  const count = charCount(text);
  const errorCode = state.error?.code ?? null;

  // The newest line stays in view unless the viewer scrolled up.
  useLayoutEffect(() => {
    const el = list.current;
    if (el && stick) el.scrollTop = el.scrollHeight;
  }, [state.chat, stick]);

  // A refused line comes back into the empty input, so it can be sent again.
  useEffect(() => {
    if (!state.error) return;
    setText((current) => current || lastSent.current);
  }, [state.error?.key]);

  const onScroll = (e: TargetedEvent<HTMLDivElement>) => {
    const el = e.currentTarget;
    setStick(el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX);
  };
  const toNewest = () => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
    setStick(true);
  };

  const submit = (e: TargetedEvent<HTMLFormElement>) => {
    e.preventDefault();
    const line = text.trim();
    channel.clearError();
    if (!line) return setLocalError('required');
    if (charCount(line) > MAX_CHAT_CHARS) return setLocalError('too_long');
    if (!channel.send({ type: 'chat', text: line })) return setLocalError('offline');
    setLocalError(null);
    lastSent.current = line;
    setText('');
  };

  const shownCode = localError ?? errorCode;
  const errorKey = shownCode ? chatErrorKey(shownCode) : null;
  const loginHref = `/login?next=${encodeURIComponent(nextPath)}`;
  return (
    <div class="chat" id={idPrefix}>
      <div class="chat-scroll" ref={list} onScroll={onScroll} role="log" aria-live="polite" tabIndex={0} aria-label={t('live.chat.title')}>
        <ol class="chat-lines" id={`${idPrefix}-lines`}>
        {state.chat.map((line) => (
          <li key={line.key} class={`chat-line${line.host ? ' chat-line-host' : ''}`} data-user={line.user_id}>
            {/* bdi: a name or line in the other direction stays in its place */}
            <bdi class="chat-name">{line.name}</bdi>{' '}
            {line.host && (
              <>
                <span class="badge chat-host">{t('live.chat.host')}</span>{' '}
              </>
            )}
            <bdi class="chat-text">{line.text}</bdi>
            {actions?.(line)}
          </li>
        ))}
        </ol>
        {state.chat.length === 0 && <p class="muted chat-empty">{t('live.chat.empty')}</p>}
      </div>
      {!stick && (
        <button type="button" class="button button-secondary button-small chat-newest" id={`${idPrefix}-newest`} onClick={toNewest}>
          {t('live.chat.newest')}
        </button>
      )}
      {errorKey && (
        <p class="alert alert-error chat-error" role="alert" id={`${idPrefix}-error`} data-code={shownCode ?? ''}>
          {t(errorKey)}
          {(errorKey === 'live.chat.error.login' || state.canChat === false) && (
            <>
              {' '}
              <Link href={loginHref}>{t('live.chat.loginLink')}</Link>
            </>
          )}
        </p>
      )}
      {state.canChat === false ? (
        <p class="chat-login" id={`${idPrefix}-login`}>
          <Link href={loginHref} class="button button-secondary button-small">
            {t('live.chat.loginToChat')}
          </Link>
        </p>
      ) : (
        <form class="chat-form" id={`${idPrefix}-form`} onSubmit={submit} data-room={roomId}>
          <label for={`${idPrefix}-input`} class="visually-hidden">
            {t('live.chat.label')}
          </label>
          <input
            id={`${idPrefix}-input`}
            name="text"
            type="text"
            value={text}
            onInput={(e: TargetedEvent<HTMLInputElement>) => {
              setText(e.currentTarget.value);
              if (localError) setLocalError(null);
            }}
            placeholder={t('live.chat.placeholder')}
            autoComplete="off"
            enterKeyHint="send"
            dir="auto"
            disabled={state.removed}
            aria-invalid={count > MAX_CHAT_CHARS ? 'true' : undefined}
            aria-describedby={`${idPrefix}-count`}
          />
          <span class={`chat-count${count > MAX_CHAT_CHARS ? ' chat-count-over' : ''}`} id={`${idPrefix}-count`} dir="ltr">
            {t('live.chat.count', { n: count, max: MAX_CHAT_CHARS })}
          </span>
          <button type="submit" class="button button-small" id={`${idPrefix}-send`} disabled={state.removed || state.conn !== 'open'}>
            {t('live.chat.send')}
          </button>
        </form>
      )}
    </div>
  );
}
