import type { ComponentChildren } from 'preact';

/**
 * Messages above a form. `alert` is announced at once (a failure); `status` politely (a success).
 * The kind is written in words and a symbol, never by colour alone.
 */
export function Notice(props: {
  kind: 'error' | 'warning' | 'success' | 'info';
  title?: string;
  children?: ComponentChildren;
  id?: string;
}) {
  const symbol = { error: '✗', warning: '!', success: '✓', info: 'i' }[props.kind];
  const role = props.kind === 'error' ? 'alert' : props.kind === 'success' ? 'status' : undefined;
  return (
    <div class={`notice notice-${props.kind}`} role={role} id={props.id} tabIndex={props.id ? -1 : undefined}>
      <span class="notice-symbol" aria-hidden="true">
        {symbol}
      </span>
      <div>
        {props.title ? <p class="notice-title">{props.title}</p> : null}
        {props.children}
      </div>
    </div>
  );
}

export function Loading({ label }: { label: string }) {
  return (
    <p class="loading" role="status">
      {label}
    </p>
  );
}
