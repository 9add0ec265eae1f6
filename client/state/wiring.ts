/**
 * The server's events mapped onto the state classes. Kept apart from socket.ts, which the state classes
 * use to send commands, so that no module imports another that imports it back.
 */
import { evaluationState } from '../evaluation/evaluation.svelte.ts';
import { groupState } from '../groups/groups.svelte.ts';
import { questionState } from '../questions/questions.svelte.ts';
import { wire } from '../socket.ts';
import { voteState } from '../votes/votes.svelte.ts';
import { device } from './device.svelte.ts';
import { eventState } from './event.svelte.ts';

wire({
  listen(socket) {
    socket.on('state:snapshot', (snapshot) => {
      eventState.applySnapshot(snapshot);
      groupState.applySnapshot(snapshot);
      voteState.applySnapshot(snapshot);
      questionState.applySnapshot(snapshot);
      evaluationState.applySnapshot(snapshot);
      if (snapshot.role === 'participant') device.retitled(snapshot.event.id, snapshot.event.title);
    });
    socket.on('step:started', (e) => eventState.stepStarted(e));
    socket.on('runsheet:updated', (e) => eventState.runSheetUpdated(e));
    socket.on('timer:updated', (e) => eventState.timerUpdated(e));
    socket.on('message:sent', (e) => eventState.messageSent(e));
    socket.on('presence:updated', (e) => eventState.presenceUpdated(e));
    socket.on('roster:updated', (e) => eventState.rosterUpdated(e));
    socket.on('breakout:updated', (e) => groupState.breakoutUpdated(e));
    socket.on('board:projected', (e) => eventState.boardProjected(e));
    socket.on('retention:updated', (e) => eventState.retentionUpdated(e));
    socket.on('vote:updated', (e) => voteState.voteUpdated(e));
    socket.on('vote:tally', (e) => voteState.tally(e));
    socket.on('vote:mine', (e) => voteState.mineUpdated(e));
    socket.on('question:updated', (e) => questionState.questionUpdated(e));
    socket.on('questions:settings', (e) => questionState.settingsUpdated(e));
    socket.on('faq:updated', (e) => questionState.faqUpdated(e));
    socket.on('evaluation:updated', (e) => evaluationState.updated(e));
    socket.on('evaluation:mine', (e) => evaluationState.mineUpdated(e));
    socket.on('group:updated', (e) => groupState.groupUpdated(e));
    socket.on('me:updated', (me) => {
      eventState.meUpdated(me);
      const eventId = eventState.event?.id;
      if (eventId) device.renamed(eventId, me.participantId, me.displayName);
    });
  },
  clear() {
    eventState.clear();
    groupState.clear();
    voteState.clear();
    questionState.clear();
    evaluationState.clear();
  },
});
