import { isRecord, randomId, readJson, writeJson } from '../storage.ts';

const STORAGE_KEY = 'concerto.device';

/** One person who joined an event on this device. The token is their only identity: no account. */
export interface DevicePerson {
  participantId: string;
  token: string;
  displayName: string | null;
}

export interface DeviceEvent {
  eventId: string;
  joinCode: string;
  title: string;
  people: DevicePerson[];
  /** The person this device currently acts as. */
  activeId: string;
}

function isPerson(value: unknown): value is DevicePerson {
  return (
    isRecord(value) &&
    typeof value.participantId === 'string' &&
    typeof value.token === 'string' &&
    (value.displayName === null || typeof value.displayName === 'string')
  );
}

function isDeviceEvent(value: unknown): value is DeviceEvent {
  return (
    isRecord(value) &&
    typeof value.eventId === 'string' &&
    typeof value.joinCode === 'string' &&
    typeof value.title === 'string' &&
    typeof value.activeId === 'string' &&
    Array.isArray(value.people) &&
    value.people.every(isPerson)
  );
}

function load(): { deviceKey: string; events: DeviceEvent[] } {
  const saved = readJson(STORAGE_KEY);
  const deviceKey = isRecord(saved) && typeof saved.deviceKey === 'string' && /^[A-Za-z0-9_-]{32}$/.test(saved.deviceKey) ? saved.deviceKey : randomId(32);
  const events = isRecord(saved) && Array.isArray(saved.events) ? saved.events.filter(isDeviceEvent) : [];
  return { deviceKey, events };
}

/**
 * Who joined which event on this device (a phone, or a tablet shared at a table), kept in
 * localStorage. The random device key goes with every join, so people on one tablet stay together.
 */
class DeviceState {
  readonly deviceKey: string;
  events = $state<DeviceEvent[]>([]);

  constructor() {
    const { deviceKey, events } = load();
    this.deviceKey = deviceKey;
    this.events = events;
    this.#save();
  }

  byCode(joinCode: string): DeviceEvent | undefined {
    return this.events.find((e) => e.joinCode === joinCode);
  }

  byEventId(eventId: string): DeviceEvent | undefined {
    return this.events.find((e) => e.eventId === eventId);
  }

  activePerson(entry: DeviceEvent): DevicePerson | undefined {
    return entry.people.find((p) => p.participantId === entry.activeId);
  }

  /** The handshake for the active person: the others on this device count as connected too. */
  authFor(entry: DeviceEvent): { token: string; deviceTokens: string[] } | null {
    const active = this.activePerson(entry);
    if (!active) return null;
    return { token: active.token, deviceTokens: entry.people.filter((p) => p !== active).map((p) => p.token) };
  }

  /** A person joined: they become the one this device acts as. */
  joined(event: { eventId: string; joinCode: string; title: string }, person: DevicePerson): void {
    const existing = this.byEventId(event.eventId);
    if (existing) {
      this.#update(event.eventId, (e) => ({
        ...e,
        title: event.title,
        people: [...e.people.filter((p) => p.participantId !== person.participantId), person],
        activeId: person.participantId,
      }));
    } else {
      this.events = [...this.events, { ...event, people: [person], activeId: person.participantId }];
      this.#save();
    }
  }

  setActive(eventId: string, participantId: string): void {
    this.#update(eventId, (e) => (e.people.some((p) => p.participantId === participantId) ? { ...e, activeId: participantId } : e));
  }

  renamed(eventId: string, participantId: string, displayName: string | null): void {
    this.#update(eventId, (e) => ({
      ...e,
      people: e.people.map((p) => (p.participantId === participantId ? { ...p, displayName } : p)),
    }));
  }

  retitled(eventId: string, title: string): void {
    this.#update(eventId, (e) => (e.title === title ? e : { ...e, title }));
  }

  /** The server no longer knows this person (link expired, event purged): forget them here too. */
  forget(eventId: string, participantId: string): void {
    const entry = this.byEventId(eventId);
    if (!entry) return;
    const people = entry.people.filter((p) => p.participantId !== participantId);
    const first = people[0];
    if (!first) {
      this.events = this.events.filter((e) => e.eventId !== eventId);
      this.#save();
      return;
    }
    this.#update(eventId, (e) => ({ ...e, people, activeId: e.activeId === participantId ? first.participantId : e.activeId }));
  }

  #update(eventId: string, change: (e: DeviceEvent) => DeviceEvent): void {
    this.events = this.events.map((e) => (e.eventId === eventId ? change(e) : e));
    this.#save();
  }

  #save(): void {
    writeJson(STORAGE_KEY, { deviceKey: this.deviceKey, events: this.events });
  }
}

export const device = new DeviceState();
