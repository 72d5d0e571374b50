/** A Mailjet webhook body we cannot read (not JSON, not events, an event without its basic fields): the receiver answers 400. */
export class MailjetWebhookPayloadError extends Error {
  override readonly name = 'MailjetWebhookPayloadError';
}
