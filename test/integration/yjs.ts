import type * as Y from 'yjs';

/** Resolves once `where` holds on the board document, checked on every change (or fails after `ms`). */
export function until(ydoc: Y.Doc, where: () => boolean, ms = 2000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (where()) return resolve();
    const timer = setTimeout(() => reject(new Error('board never reached the expected state')), ms);
    const check = () => {
      if (!where()) return;
      clearTimeout(timer);
      ydoc.off('update', check);
      resolve();
    };
    ydoc.on('update', check);
  });
}
