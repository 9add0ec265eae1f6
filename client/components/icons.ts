/** Line icons on a 24 × 24 grid, drawn as SVG paths. Always shown next to a text label. */
function circle(cx: number, cy: number, r: number): string {
  return `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;
}

const people = [circle(9, 8, 3), 'M3 20v-1a6 6 0 0 1 12 0v1', circle(17, 9, 2.5), 'M16 14.2a5 5 0 0 1 5 4.8v1'];

export const ICONS = {
  plenary: ['M3 4h18v12H3z', 'M12 16v4M8 21h8'],
  questions: ['M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z', 'M9.5 9.5a2.5 2.5 0 1 1 3.3 2.4c-.5.2-.8.6-.8 1.1v.5', 'M12 16.5v.01'],
  breakout: people,
  board: ['M3 3h8v8H3zM13 3h8v8h-8zM3 13h8v8H3z', 'M13 17h8M17 13v8'],
  vote: [circle(7, 12, 3), circle(17, 7, 3), circle(17, 17, 3)],
  evaluation: ['M12 3l2.8 5.7 6.2.9-4.5 4.4 1 6.2L12 17.3l-5.5 2.9 1-6.2L3 9.6l6.2-.9z'],
  globe: [circle(12, 12, 9), 'M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18'],
  menu: ['M4 6h16M4 12h16M4 18h16'],
  close: ['M6 6l12 12M18 6L6 18'],
  clock: [circle(12, 12, 9), 'M12 7v5l3 2'],
  offline: [
    'M2 8.8a15 15 0 0 1 4.2-2.6M22 8.8A15 15 0 0 0 10.6 5M5 12.9a10 10 0 0 1 5.2-2.8M19 12.9a10 10 0 0 0-2-1.5M8.5 16.4a5 5 0 0 1 7 0M12 20v.01M3 3l18 18',
  ],
  copy: ['M9 9h12v12H9z', 'M5 15H3V3h12v2'],
  plus: ['M12 5v14M5 12h14'],
  minus: ['M5 12h14'],
  up: ['M12 19V5M5 12l7-7 7 7'],
  down: ['M12 5v14M19 12l-7 7-7-7'],
  trash: ['M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3'],
  edit: ['M4 20h4L19 9l-4-4L4 16z'],
  play: ['M7 4l13 8-13 8z'],
  pause: ['M7 4h3v16H7zM14 4h3v16h-3z'],
  reset: ['M4 4v6h6', 'M4.5 15a8 8 0 1 0 1.9-8.3L4 10'],
  user: [circle(12, 8, 4), 'M4 21v-1a8 8 0 0 1 16 0v1'],
  users: people,
  message: ['M3 10v4h4l8 5V5L7 10z', 'M18 9a4 4 0 0 1 0 6'],
  link: ['M10 14a4 4 0 0 0 6 0l3-3a4 4 0 0 0-6-6l-1 1', 'M14 10a4 4 0 0 0-6 0l-3 3a4 4 0 0 0 6 6l1-1'],
  check: ['M4 12l5 5L20 6'],
  warning: ['M12 3l10 18H2z', 'M12 10v5M12 18v.01'],
  lock: ['M4 10h16v11H4z', 'M8 10V7a4 4 0 0 1 8 0v3'],
  arrow: ['M5 12h14M13 5l7 7-7 7'],
  back: ['M19 12H5M11 5l-7 7 7 7'],
  home: ['M3 11l9-8 9 8M5 10v10h14V10'],
  screen: ['M3 4h18v12H3z', 'M8 21h8M12 16v5'],
  info: [circle(12, 12, 9), 'M12 11v6M12 7.5v.01'],
} as const satisfies Record<string, readonly string[]>;

export type IconName = keyof typeof ICONS;

/** Icons drawn filled rather than outlined. */
export const FILLED: ReadonlySet<IconName> = new Set(['vote', 'play', 'pause']);
