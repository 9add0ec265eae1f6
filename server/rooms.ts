/** Socket.IO rooms: who hears what (see server/audiences.ts for what each audience may be sent). */
export const rooms = {
  event: (eventId: string) => `e:${eventId}`,
  staff: (eventId: string) => `e:${eventId}:staff`,
  projector: (eventId: string) => `e:${eventId}:projector`,
  participant: (participantId: string) => `p:${participantId}`,
  group: (groupId: string) => `g:${groupId}`,
  /** Sockets showing an event's public FAQ page. */
  faq: (eventId: string) => `faq:${eventId}`,
};
