import type { MessageKey } from '../../../shared/i18n/index.ts';
import type { Profile } from '../../../shared/schemas/participant.ts';

type Gender = NonNullable<Profile['gender']>;
type AgeBand = NonNullable<Profile['ageBand']>;
type LivedExperience = NonNullable<Profile['livedExperience']>;

// Records, not lists: adding a value to the schema without a label does not compile.
const GENDER: Record<Gender, MessageKey> = {
  woman: 'profile.gender.woman',
  man: 'profile.gender.man',
  nonbinary: 'profile.gender.nonbinary',
  'self-described': 'profile.gender.selfDescribed',
  undisclosed: 'profile.undisclosed',
};
const AGE_BAND: Record<AgeBand, MessageKey> = {
  'under-25': 'profile.age.under25',
  '25-34': 'profile.age.25to34',
  '35-49': 'profile.age.35to49',
  '50-64': 'profile.age.50to64',
  '65-plus': 'profile.age.65plus',
  undisclosed: 'profile.undisclosed',
};
const LIVED: Record<LivedExperience, MessageKey> = {
  yes: 'profile.lived.yes',
  no: 'profile.lived.no',
  undisclosed: 'profile.undisclosed',
};

function options<V extends string>(labels: Record<V, MessageKey>): { value: V; label: MessageKey }[] {
  return (Object.keys(labels) as V[]).map((value) => ({ value, label: labels[value] }));
}

export const genderOptions = options(GENDER);
export const ageBandOptions = options(AGE_BAND);
export const livedOptions = options(LIVED);
