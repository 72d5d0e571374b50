import { ParsedMail, simpleParser } from 'mailparser';

/** mailparser's reading of a raw message (.eml bytes), for tests outside the testkit's dependencies. */
export function parseMessage(raw: Buffer | string): Promise<ParsedMail> {
  return simpleParser(raw);
}

export type { ParsedMail };
