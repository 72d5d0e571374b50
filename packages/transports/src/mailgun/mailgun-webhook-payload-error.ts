/** A verified Mailgun post whose body is not a Mailgun event: the receiver answers 406 so Mailgun stops retrying. */
export class MailgunWebhookPayloadError extends Error {
  override readonly name = 'MailgunWebhookPayloadError';
}
