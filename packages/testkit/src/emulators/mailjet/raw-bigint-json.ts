/**
 * JSON text with `bigint` values written as raw digits, the way Mailjet writes `MessageID`
 * (e.g. 70650219165027410, above 2^53). `JSON.stringify` cannot do it and a `number` would already
 * have lost digits, so bigints go through a marker string that is then unquoted.
 */
const MARKER = '@@mailjet-emulator-bigint:';
const MARKED = new RegExp(`"${MARKER}(-?\\d+)"`, 'g');

export function stringifyWithRawBigints(value: unknown, indent?: number): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${MARKER}${v.toString()}` : v), indent);
  return text.replace(MARKED, '$1');
}
