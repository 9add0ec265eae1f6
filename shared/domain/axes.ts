/** [RS8] The axes a step opens, in the event's order: the ones it names, or all of them when it names none. */
export function openAxes<A extends { key: string; title: string }>(eventAxes: readonly A[], keys: readonly string[] | null): { key: string; title: string }[] {
  return eventAxes.filter((a) => keys === null || keys.includes(a.key)).map((a) => ({ key: a.key, title: a.title }));
}
