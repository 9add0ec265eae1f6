import type { ServerEvents, Snapshot } from '../../shared/protocol.ts';
import type { FaqEntry, Question, QuestionSettings, QuestionsView } from '../../shared/schemas/question.ts';
import { send } from '../socket.ts';
import type { CommandOutcome } from '../state/outcome.ts';
import { isRecord, randomId, readJson, writeJson } from '../storage.ts';

/** A question this device asked: its id and the secret that proves it (only the hash is on the server). */
export interface OwnQuestion {
  id: string;
  token: string;
}

const ownKey = (participantId: string) => `concerto.questions.${participantId}`;

/** Questions, the FAQ and, on a phone, the questions this device asked. */
class QuestionState {
  settings = $state<QuestionSettings>({ preModeration: false, anyTime: false, spotlight: null, projector: 'questions' });
  questions = $state<Question[]>([]);
  hidden = $state<QuestionsView['hidden']>({});
  mySupports = $state<string[]>([]);
  faq = $state<FaqEntry[]>([]);
  faqUrl = $state<string | null>(null);
  /** The device's own questions as the server last described them (pending and hidden ones too). */
  mine = $state<Question[]>([]);

  applySnapshot(snapshot: Snapshot): void {
    this.settings = snapshot.questions.settings;
    this.questions = snapshot.questions.questions;
    this.hidden = snapshot.questions.hidden;
    this.mySupports = snapshot.questions.mySupports ?? [];
    this.faq = snapshot.faq;
    this.faqUrl = snapshot.faqUrl;
  }

  questionUpdated({ questionId, question, hidden }: ServerEvents['question:updated']): void {
    this.hidden = hidden;
    const at = this.questions.findIndex((q) => q.id === questionId);
    if (!question) {
      if (at >= 0) this.questions.splice(at, 1);
    } else if (at >= 0) this.questions[at] = question;
    else this.questions.push(question);
    const own = this.mine.findIndex((q) => q.id === questionId);
    if (own >= 0 && question) this.mine[own] = question;
  }

  settingsUpdated({ settings }: ServerEvents['questions:settings']): void {
    this.settings = settings;
  }

  faqUpdated({ entries }: ServerEvents['faq:updated']): void {
    this.faq = entries;
  }

  /** The device's own questions, whatever their status, found by the secrets it kept. */
  async loadMine(eventId: string, participantId: string): Promise<void> {
    const own = this.own(participantId);
    if (own.length === 0) return;
    const result = await send('question:mine', { eventId, ownerTokens: own.map((o) => o.token) });
    if (result.ok) this.setMine(result.data.questions);
  }

  /** Asks a question; the secret that proves it is this device's is kept in the browser. */
  async ask(eventId: string, participantId: string, text: string, named: boolean): Promise<CommandOutcome<'question:ask'>> {
    const ownerToken = this.newOwnerToken();
    const result = await send('question:ask', { eventId, text, ownerToken, named });
    if (result.ok) this.remember(participantId, { id: result.data.question.id, token: ownerToken }, result.data.question);
    return result;
  }

  /** Supports a question, or takes the support back when this person already gave it. */
  async toggleSupport(eventId: string, questionId: string): Promise<CommandOutcome<'question:support'>> {
    const on = !this.mySupports.includes(questionId);
    const result = await send('question:support', { eventId, questionId, support: on });
    if (result.ok) this.supported(questionId, result.data.supported, result.data.supports);
    return result;
  }

  /** Withdraws one of this device's questions (null: not one of them, nothing sent). */
  async withdraw(eventId: string, participantId: string, questionId: string): Promise<CommandOutcome<'question:withdraw'> | null> {
    const own = this.own(participantId).find((o) => o.id === questionId);
    if (!own) return null;
    const result = await send('question:withdraw', { eventId, questionId, ownerToken: own.token });
    if (result.ok) this.setMine(this.mine.map((m) => (m.id === questionId ? { ...m, status: 'withdrawn' } : m)));
    return result;
  }

  /** The public FAQ page: asking again also subscribes this page to the FAQ's changes. */
  async openPublicFaq(faqId: string): Promise<CommandOutcome<'faq:public'>> {
    const result = await send('faq:public', { faqId });
    if (result.ok) this.faq = result.data.entries;
    return result;
  }

  supported(questionId: string, on: boolean, supports: number): void {
    this.mySupports = on ? [...new Set([...this.mySupports, questionId])] : this.mySupports.filter((id) => id !== questionId);
    const q = this.questions.find((x) => x.id === questionId);
    if (q) q.supports = supports;
  }

  /** The questions this device asked as this person (kept in the browser only). */
  own(participantId: string): OwnQuestion[] {
    const stored = readJson(ownKey(participantId));
    return Array.isArray(stored) ? stored.filter((x): x is OwnQuestion => isRecord(x) && typeof x.id === 'string' && typeof x.token === 'string') : [];
  }

  /** A fresh secret for a question about to be asked. */
  newOwnerToken(): string {
    return randomId(32);
  }

  remember(participantId: string, own: OwnQuestion, question: Question): void {
    writeJson(ownKey(participantId), [...this.own(participantId).filter((o) => o.id !== own.id), own].slice(-200));
    this.mine = [...this.mine.filter((q) => q.id !== question.id), question];
  }

  setMine(questions: Question[]): void {
    this.mine = questions;
  }

  clear(): void {
    this.questions = [];
    this.hidden = {};
    this.mySupports = [];
    this.faq = [];
    this.faqUrl = null;
    this.mine = [];
  }
}

export const questionState = new QuestionState();
