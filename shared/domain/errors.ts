/**
 * Every error a command can answer with. Each code has a translated message in shared/i18n,
 * checked by the compiler (the message tables are typed by this union).
 */
export const ERROR_CODES = [
  'invalid_payload',
  'forbidden',
  'rate_limited',
  'internal',
  'cid_taken',
  'event_not_found',
  'join_code_unknown',
  'event_purged',
  'participant_not_found',
  'step_not_found',
  'step_active',
  'timer_idle',
  'timer_running',
  'timer_not_running',
  'profile_value_unknown',
  'board_not_found',
  'board_closed',
  'board_locked',
  'card_not_found',
  'card_not_yours',
  'axis_unknown',
  'board_is_plenary',
  'breakout_not_started',
  'group_not_found',
  'group_full',
  'group_choice_closed',
  'not_in_group',
  'rounds_over',
  'vote_not_open',
  'vote_item_unknown',
  'vote_budget_spent',
  'vote_cap_reached',
  'vote_no_dot_here',
  'vote_not_found',
  'vote_already_open',
  'vote_empty',
  'vote_not_closed',
  'vote_runoff_too_few',
  'question_not_found',
  'question_not_yours',
  'questions_closed',
  'named_not_allowed',
  'faq_entry_not_found',
  'evaluation_not_found',
  'evaluation_closed',
  'evaluation_has_answers',
  'evaluation_answer_invalid',
  'comment_not_found',
  'purge_date_past',
  'purge_not_confirmed',
  'archive_invalid',
  'archive_too_new',
  'archive_event_exists',
  'archive_conflict',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** A rule's answer: the data, or one of a closed set of error codes (`E`, all of them by default). */
export type Result<T, E extends ErrorCode = ErrorCode> = { ok: true; data: T } | Failure<E>;
export type Failure<E extends ErrorCode = ErrorCode> = { ok: false; code: E };

export function ok<T>(data: T): { ok: true; data: T } {
  return { ok: true, data };
}

/** The code's literal type is kept, so a caller declaring its errors is checked by the compiler. */
export function fail<const E extends ErrorCode>(code: E): Failure<E> {
  return { ok: false, code };
}

/** For exhaustive switches over tagged unions. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
