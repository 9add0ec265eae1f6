import type { MessageKey } from './fr.ts';

export const en: Record<MessageKey, string> = {
  'error.invalid_payload': 'What was sent is not valid. Check the fields and try again.',
  'error.forbidden': 'You are not allowed to do this.',
  'error.rate_limited': 'Too many actions in a short time. Wait a few seconds.',
  'error.internal': 'Something went wrong on our side. Try again in a moment.',
  'error.event_not_found': 'This event does not exist or is no longer available.',
  'error.join_code_unknown': 'No event matches this code. Check the 6 characters.',
  'error.participant_not_found': 'This person is no longer registered for the event.',
  'error.step_not_found': 'This step no longer exists. The agenda may have changed.',
  'error.step_active': 'This step is running. Move to another step before removing it.',
  'error.timer_idle': 'The timer has not been started.',
  'error.timer_running': 'The timer is already running.',
  'error.timer_not_running': 'The timer is not running.',
  'error.profile_value_unknown': 'One of the answers is not among the choices offered.',
};
