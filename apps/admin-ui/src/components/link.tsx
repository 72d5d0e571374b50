import type { ComponentChildren, Ref } from 'preact';
import { useApp } from '../app-context';

/** A real link (middle-click, copy address work) that moves inside the app without a reload. */
export function Link(props: {
  to: string;
  children: ComponentChildren;
  innerRef?: Ref<HTMLAnchorElement>;
  class?: string;
  'aria-current'?: 'page';
  'aria-label'?: string;
}) {
  const { navigate } = useApp();
  return (
    <a
      href={props.to}
      ref={props.innerRef}
      class={props.class}
      aria-current={props['aria-current']}
      aria-label={props['aria-label']}
      onClick={(e) => {
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}
