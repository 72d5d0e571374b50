import { z } from 'zod';

/** A time in an answer: always `Date#toISOString()` (UTC, milliseconds), stated as `format: date-time`. */
export const isoTime = z.string().meta({ format: 'date-time' });
