import type { ErrorCode } from '../domain/errors.ts';

/** French (Québec), the reference table: every other language must have the same keys. */
export const fr = {
  'error.invalid_payload': 'Ce qui a été envoyé n’est pas valide. Vérifiez les champs et réessayez.',
  'error.forbidden': 'Vous n’avez pas la permission de faire cette action.',
  'error.rate_limited': 'Trop d’actions en peu de temps. Attendez quelques secondes.',
  'error.internal': 'Un problème est survenu de notre côté. Réessayez dans un instant.',
  'error.event_not_found': 'Cet événement n’existe pas ou n’est plus disponible.',
  'error.join_code_unknown': 'Aucun événement ne correspond à ce code. Vérifiez les 6 caractères.',
  'error.participant_not_found': 'Cette personne n’est plus inscrite à l’événement.',
  'error.step_not_found': 'Cette étape n’existe plus. L’ordre du jour a peut-être changé.',
  'error.step_active': 'Cette étape est en cours. Passez à une autre étape avant de la retirer.',
  'error.timer_idle': 'La minuterie n’est pas démarrée.',
  'error.timer_running': 'La minuterie est déjà en marche.',
  'error.timer_not_running': 'La minuterie n’est pas en marche.',
  'error.profile_value_unknown': 'Une des réponses ne fait pas partie des choix proposés.',
} satisfies Record<`error.${ErrorCode}`, string> & Record<string, string>;

export type MessageKey = keyof typeof fr;
