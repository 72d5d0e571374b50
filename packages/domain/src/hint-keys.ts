/**
 * Every hint Mailroom can record (on an attempt, the settings' `lastFailure`, a test email's answer)
 * has a stable key, so a screen can say it in its reader's language and fall back to the English
 * `hint` only for a key it does not know (an older record has none). The one list of them: a hint is
 * built with its key (hintOf, hintPromisingRetry), so a key missing here does not compile.
 */
export const HINT_KEYS = [
  // SMTP (smtp-hints.ts, smtp-xoauth2-login.ts, smtp-host-guard.ts)
  'smtp.gmailAppPassword',
  'smtp.microsoftSmtpAuthDisabled',
  'smtp.outlookLogin',
  'smtp.ionosSender',
  'smtp.senderRefused',
  'smtp.badLogin',
  'smtp.loginLater',
  'smtp.loginRequired',
  'smtp.noStartTls',
  'smtp.tlsMismatch',
  'smtp.untrustedCertificate',
  'smtp.recipientRefused',
  'smtp.messageTooLarge',
  'smtp.tryLater',
  'smtp.connectionLost',
  'smtp.stoppedAnswering',
  'smtp.rateLimited',
  'smtp.hostNotFound',
  'smtp.port465NeedsTls',
  'smtp.noAnswer',
  'smtp.connectionRefused',
  'smtp.unreachable',
  'smtp.hostNotAllowed',
  'smtp.hostUnresolvable',
  'smtp.oauthTokenRefused',
  'smtp.gmailTokenRefused',
  'smtp.microsoftSmtpDisabled',
  'smtp.microsoftTokenRefused',
  // Microsoft Graph
  'graph.tokenRefused',
  'graph.accessDenied',
  'graph.sendAsDenied',
  'graph.recipients',
  'graph.tooLarge',
  'graph.invalid',
  'graph.throttled',
  'graph.unavailable',
  // OAuth2 mailbox access
  'oauth.reconnect',
  'oauth.reconnectVendor',
  'oauth.clientRejected',
  'oauth.clientRejectedVendor',
  'oauth.temporary',
  'oauth.refused',
  // SendGrid
  'sendgrid.keyRejected',
  'sendgrid.senderNotVerified',
  'sendgrid.forbidden',
  'sendgrid.blocked',
  'sendgrid.missingScope',
  'sendgrid.webhookPermission',
  'sendgrid.webhookRefused',
  'sendgrid.webhookLimit',
  'sendgrid.noPublicKey',
  'sendgrid.tooLarge',
  'sendgrid.invalid',
  'sendgrid.notFound',
  'sendgrid.refused',
  'sendgrid.rateLimited',
  'sendgrid.unavailable',
  'sendgrid.apiUrlUnusable',
  'sendgrid.timedOut',
  'sendgrid.unreachable',
  'sendgrid.connectionFailed',
  'sendgrid.sdkRefused',
  'sendgrid.emptyBody',
  // Mailgun
  'mailgun.keyRejected',
  'mailgun.domainNotFound',
  'mailgun.webhookForbidden',
  'mailgun.webhookSlotsFull',
  'mailgun.noSigningKey',
  'mailgun.forbidden',
  'mailgun.tooLarge',
  'mailgun.invalid',
  'mailgun.refused',
  'mailgun.rateLimited',
  'mailgun.unavailable',
  'mailgun.slow',
  'mailgun.apiUrlUnusable',
  'mailgun.wrongUrl',
  'mailgun.timedOut',
  'mailgun.unreachable',
  'mailgun.connectionFailed',
  'mailgun.sdkRefused',
  // Mailjet
  'mailjet.auth',
  'mailjet.sender',
  'mailjet.tooLarge',
  'mailjet.invalid',
  'mailjet.forbidden',
  'mailjet.notFound',
  'mailjet.apiUrl',
  'mailjet.rateLimited',
  'mailjet.unavailable',
  'mailjet.unreachable',
  'mailjet.timedOut',
  'mailjet.webhookCredentials',
  'mailjet.webhookNotNow',
  'mailjet.webhookRefused',
  // Registering a provider webhook (webhook-state.ts, mailjet-registration.ts)
  'webhook.publicUrlInvalid',
  'webhook.publicUrlNotHttp',
  'webhook.unexpected',
  // The platform's own relay
  'platform.outboxUnwritable',
  // The worker and the test email
  'send.tenantGone',
  'send.contentGone',
  'send.settingsIncomplete',
  'send.secretUnavailable',
  'send.timedOut',
  'send.interrupted',
  'send.interruptedNotSentAgain',
  'send.interruptedTestEmail',
  // The plan fallback (settings.failing: its plan no longer allows the tenant's own server)
  'settings.planFallback',
] as const;
export type HintKey = (typeof HINT_KEYS)[number];

/**
 * What follows a hint's advice, when something does: the worker retries it (`retry`); nothing does
 * any more after the last attempt (`lastAttempt`: `attempts`, `retryPath`) or for a test email
 * (`testEmail`); a webhook registration or a key check is never retried (`saveAgain`, `checkAgain`:
 * `provider`).
 */
export const HINT_THENS = ['retry', 'lastAttempt', 'testEmail', 'saveAgain', 'checkAgain'] as const;
export type HintThen = (typeof HINT_THENS)[number];

/** The values a hint's words embed (a host, a provider, a number of attempts): never a secret. */
export type HintParams = Record<string, string | number>;
