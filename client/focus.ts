/**
 * After a move to another page or another step of a flow, the first heading takes the focus, so
 * that screen readers start reading the new content instead of staying on a button that is gone.
 * Not on the first load: the browser starts at the top by itself.
 */
let pending = false;

export function requestHeadingFocus(): void {
  pending = true;
}

/** Attachment for headings: `<h1 {@attach heading}>`. */
export function heading(node: HTMLElement): void {
  node.tabIndex = -1;
  if (!pending) return;
  pending = false;
  queueMicrotask(() => node.focus());
}
