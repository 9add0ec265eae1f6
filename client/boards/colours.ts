import type { Card } from '../../shared/schemas/board.ts';

/** Card colours: light backgrounds, all with dark ink at AA contrast; the name is always written too. */
export const CARD_BACKGROUND: Record<Card['colour'], string> = {
  yellow: '#fff4b8',
  blue: '#d9ecff',
  green: '#dcf5dc',
  pink: '#ffe0ec',
  orange: '#ffe3c7',
  white: '#ffffff',
};
