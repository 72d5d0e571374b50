import { z } from 'zod';
import { HINT_KEYS, HINT_THENS } from './hint-keys';

/**
 * Beside a `hint` (its English words, kept for programs): its stable key, the values its words embed,
 * and what follows the advice, for a screen that says it in its own language. Absent on older records.
 * The API's answers (an attempt, a test email's error) and the callbacks' `reply` state them alike.
 */
export const hintKeyFields = {
  hintKey: z.enum(HINT_KEYS).optional().meta({ description: 'The stable key of `hint`: the same advice, whatever its words.' }),
  hintParams: z
    .record(z.string(), z.union([z.string(), z.number()]))
    .optional()
    .meta({ description: "The values `hint`'s words embed (a host, a provider, the number of attempts)." }),
  hintThen: z.enum(HINT_THENS).optional().meta({
    description:
      'What follows the advice: `retry` (the email will be retried), `lastAttempt` (nothing retries it any more: `hintParams.attempts`, `hintParams.retryPath`), `testEmail` (nothing retries a test email), `saveAgain`, `checkAgain`.',
  }),
};
