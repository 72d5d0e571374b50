/**
 * zod 4 has one `error` per schema where zod 3 had `invalid_type_error` and `required_error`, and a
 * schema's `error` also answers for its checks that carry no message of their own (`.max(200)`).
 * This keeps zod 3's meaning: it speaks only when the value is missing or of the wrong type, and every
 * other issue keeps its own message.
 */
export const typeError =
  (field: string, wrongType: string) =>
  (issue: { code?: string; input?: unknown }): string | undefined => {
    if (issue.code !== 'invalid_type') return undefined;
    return issue.input === undefined ? `${field} is required` : wrongType;
  };
