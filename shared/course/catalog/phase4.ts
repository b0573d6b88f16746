/**
 * Phase 4's exercises, in course order: the parts of the advanced server that are the lesson.
 * @module
 */
import type { Exercise } from './exercise.ts';

/** The exercises of phase 4, the advanced server. */
export const PHASE4_EXERCISES: readonly Exercise[] = [
  {
    id: 'sasl-plain',
    phase: 4,
    number: '4.1',
    title: 'SASL PLAIN\'s login message',
    goal: 'Split the message a binary client logs in with — [authzid] NUL user NUL password — into the user and the password, and refuse every message that is not exactly that: it comes from a client nobody has authenticated yet.',
    module: 'phases/phase4/auth/sasl-plain.ts',
    servers: [4],
    hints: [
      'Import NUL and MAX_PLAIN_FIELD from phases/phase4/auth/plain-message.ts. Buffer has indexOf: `const first = message.indexOf(NUL);` finds the first separator (or -1).',
      'Look for the second from just after the first, `message.indexOf(NUL, first + 1)`, and make sure there is no third: `message.indexOf(NUL, second + 1) !== -1` means the message is malformed.',
      'The three fields are views, no copies: `message.subarray(0, first)`, `message.subarray(first + 1, second)` and `message.subarray(second + 1)`. Refuse an empty user or password, and any field whose length is over MAX_PLAIN_FIELD.',
      'The authzid rule: `if (authzid.length > 0 && !authzid.equals(authcid)) return null;` — then `return { user: authcid.toString(\'latin1\'), password };`.',
    ],
  },
];
