import type { HintKey, HintThen } from '@mailroom/domain/src/hint-keys';

/** A hint's words by its key (the server's HINT_KEYS), and what follows the advice (`then.<HintThen>`). */
export type HintWords = Record<HintKey | `then.${HintThen}`, string>;

/** English: the server's advice, each temporary one as the fact alone (`then.retry` adds the promise). */
export const hintsEn: HintWords = {
  'smtp.gmailAppPassword':
    'Gmail refused the login. Use a 16-character app password (Google Account > Security > 2-Step Verification > App passwords; 2-Step Verification must be on), not the account password, and the full Gmail address as the username.',
  'smtp.microsoftSmtpAuthDisabled':
    'Microsoft 365 refused the password login: basic authentication (SMTP AUTH with a password) is disabled for this mailbox or organisation, as Microsoft is switching it off. Connect the mailbox with Microsoft instead, choosing Microsoft Graph if the organisation has turned SMTP off altogether; an administrator can also enable "Authenticated SMTP" for the mailbox meanwhile.',
  'smtp.outlookLogin':
    'Microsoft 365 refused the login. Check the username (the mailbox address) and the password; if they are right, an administrator must enable "Authenticated SMTP" for this mailbox.',
  'smtp.ionosSender':
    'IONOS does not allow this From address: it must be a mailbox of a domain in your IONOS contract, normally the same address you log in with.',
  'smtp.senderRefused':
    'The server does not allow sending as this From address: use the mailbox you log in with, or an alias the server allows for it.',
  'smtp.badLogin': 'The server rejected the username or password: check both (the username is usually the full email address).',
  'smtp.loginLater': 'The server could not check the login just now.',
  'smtp.loginRequired': 'The server requires a login: fill in the username and password.',
  'smtp.noStartTls':
    'The server does not offer STARTTLS on this port, so nothing was sent (the password would have travelled unencrypted). Use port 465 with "TLS from the first byte" on.',
  'smtp.tlsMismatch':
    '"TLS from the first byte" is on but this port starts unencrypted: turn it off for port 587 (STARTTLS is then required), or use port 465.',
  'smtp.untrustedCertificate':
    "The server's TLS certificate is not trusted (wrong host name, self-signed or expired). Check that the host is exactly the one your provider gives; otherwise the server's administrator must install a valid certificate.",
  'smtp.recipientRefused': "The recipient's address was refused by the server: check it for typos.",
  'smtp.messageTooLarge': 'The message is too large for this server: send fewer or smaller attachments.',
  'smtp.tryLater': 'The server is busy or limiting connections.',
  'smtp.connectionLost': 'The connection closed before the server confirmed the message.',
  'smtp.stoppedAnswering':
    'The server stopped answering before it confirmed the message. If it had the whole message it may deliver it, so the recipient may get it twice.',
  'smtp.rateLimited': 'The server says this account is sending too fast.',
  'smtp.hostNotFound': 'The host name "{host}" could not be found: check it for typos.',
  'smtp.port465NeedsTls': '{where} did not greet us: port 465 expects TLS from the first byte, so turn "TLS from the first byte" on.',
  'smtp.noAnswer': '{where} did not answer in time: check the host and port, and that outgoing connections to this port are allowed.',
  'smtp.connectionRefused': 'Nothing accepts connections on {where}: check the host and port (465 with TLS on, or 587 with TLS off).',
  'smtp.unreachable': '{where} cannot be reached: check the host and port.',
  'smtp.hostNotAllowed':
    'Use the public host name of your mail server. An on-premises server on a private network can only be used if the platform allows its address.',
  'smtp.hostUnresolvable': 'Check the spelling of the SMTP server name: it has no address (A or AAAA record) in DNS.',
  'smtp.oauthTokenRefused':
    'The mail server refused the access even after it was renewed. Reconnect the mailbox in the email settings; if it keeps failing, the account may not be allowed to send by SMTP.',
  'smtp.gmailTokenRefused':
    'Gmail refused the access even after it was renewed. Reconnect the mailbox with Google, accepting the "Read, compose, send and delete all your email" permission; a Workspace administrator may also have blocked SMTP access for this account.',
  'smtp.microsoftSmtpDisabled':
    'Microsoft 365 refused the login: Authenticated SMTP is disabled for this mailbox or organisation. An administrator can enable it for the mailbox, or reconnect the mailbox choosing Microsoft Graph, which needs no SMTP.',
  'smtp.microsoftTokenRefused':
    'Microsoft 365 refused the access even after it was renewed. Reconnect the mailbox with Microsoft; if it keeps failing, an administrator must enable Authenticated SMTP for this mailbox, or reconnect choosing Microsoft Graph.',

  'graph.tokenRefused':
    'Microsoft Graph refused the access even after it was renewed. Reconnect the mailbox with Microsoft (choosing Microsoft Graph) in the email settings.',
  'graph.accessDenied':
    'Microsoft 365 did not allow this app to send as the mailbox (the "Send mail as you" permission is missing or an administrator blocked it). Reconnect the mailbox choosing Microsoft Graph and accept the permission, or ask an administrator to allow it.',
  'graph.sendAsDenied':
    'Microsoft 365 refused the From address: with Microsoft Graph the email must come from the connected mailbox (or an address it may send as).',
  'graph.recipients': 'Microsoft 365 found no valid recipient in the email: check the addresses for typos.',
  'graph.tooLarge':
    'The email is larger than Microsoft Graph accepts at once (4 MB, attachments included): send fewer or smaller attachments, or connect through SMTP.',
  'graph.invalid': 'Microsoft Graph refused the message as invalid; its words say why.',
  'graph.throttled': 'Microsoft 365 is limiting how fast this mailbox may send.',
  'graph.unavailable': 'Microsoft Graph had a temporary problem.',

  'oauth.reconnect':
    "The mail provider no longer accepts Mailroom's access to this mailbox (the password was changed, the access was removed, or a sign-in policy asks to sign in again). Reconnect the mailbox in the email settings; emails will not be sent until then.",
  'oauth.reconnectVendor':
    "{vendor} no longer accepts Mailroom's access to this mailbox (the password was changed, the access was removed, or a sign-in policy asks to sign in again). Reconnect the mailbox with {vendor} in the email settings; emails will not be sent until then.",
  'oauth.clientRejected':
    "The mail provider refused the platform's own access credentials. The platform's operators must fix them; you need not do anything.",
  'oauth.clientRejectedVendor':
    "{vendor} refused the platform's own access credentials. The platform's operators must fix them; you need not do anything.",
  'oauth.temporary': 'The mail provider could not renew the mailbox access just now.',
  'oauth.refused': 'The mail provider refused to renew the mailbox access. If this persists, reconnect the mailbox in the email settings.',

  'sendgrid.keyRejected':
    'SendGrid rejected the API key: create a key with Mail Send permission in SendGrid (Settings > API Keys) and save it here.',
  'sendgrid.senderNotVerified':
    'The "Send from" address is not a verified Sender Identity in SendGrid: verify it as a Single Sender, or authenticate its domain, in SendGrid.',
  'sendgrid.forbidden':
    'SendGrid refused access: either the API key lacks the Mail Send permission (check it in SendGrid, Settings > API Keys), or SendGrid has blocked the account for a while.',
  'sendgrid.blocked':
    "SendGrid refused access though the API key has the Mail Send permission: SendGrid has blocked the account, perhaps for a while. Check the account's status in SendGrid.",
  'sendgrid.missingScope': 'The SendGrid API key lacks Mail Send permission: create a key with Mail Send permission and save it here.',
  'sendgrid.webhookPermission':
    'The SendGrid API key lacks the Mail Settings / Event Webhook permission: give the key that permission, or paste the Event Webhook verification key by hand.',
  'sendgrid.webhookRefused':
    "SendGrid refused the Event Webhook (its message says why). If the account already has as many Event Webhooks as its plan allows, delete one it no longer uses, or paste the verification key of a webhook that posts to Mailroom's URL.",
  'sendgrid.webhookLimit':
    "The SendGrid account already has {max} Event Webhooks, as many as its plan allows: delete one it no longer uses (Settings > Mail Settings > Event Webhooks) and save again, or paste the verification key of an existing webhook that posts to Mailroom's URL.",
  'sendgrid.noPublicKey':
    'SendGrid turned signing on but sent no verification key: copy it from SendGrid (Settings > Mail Settings > Event Webhooks > our webhook > Signature Verification) and paste it here.',
  'sendgrid.tooLarge': 'SendGrid: the attachment is too large. Keep the email with its attachments under 20 MB.',
  'sendgrid.invalid': 'SendGrid found the email invalid (its message says which field): check the addresses, subject and attachments.',
  'sendgrid.notFound': 'SendGrid answered Not Found: the platform is probably configured with a wrong SendGrid address.',
  'sendgrid.refused': 'SendGrid refused the request (HTTP {status}).',
  'sendgrid.rateLimited': "SendGrid's rate limit for this account was reached.",
  'sendgrid.unavailable': 'SendGrid had a temporary problem.',
  'sendgrid.apiUrlUnusable': 'The SendGrid address the platform is configured with is not usable.',
  'sendgrid.timedOut': 'SendGrid did not answer within {ms} ms.',
  'sendgrid.unreachable': 'SendGrid could not be reached.',
  'sendgrid.connectionFailed': 'The connection to SendGrid failed.',
  'sendgrid.sdkRefused': 'The email could not be turned into a SendGrid request: check its addresses and attachments.',
  'sendgrid.emptyBody': 'Give the email a text or an HTML body: SendGrid refuses an email without content.',

  'mailgun.keyRejected': 'Mailgun answered 401: check the private key, and whether the domain is in the EU or US region.',
  'mailgun.domainNotFound':
    'Mailgun answered 404: the domain {domain} is not in this Mailgun account or region: check the sending domain, and whether it is in the EU or US region.',
  'mailgun.webhookForbidden':
    "Mailgun answered 403: this key may not manage webhooks (a domain sending key can only send): use the account's private API key.",
  'mailgun.webhookSlotsFull':
    'Mailgun allows {max} URLs per webhook and the "{webhook}" webhook of {domain} has no room left: remove one in Mailgun (Sending > Webhooks) and save the settings again.',
  'mailgun.noSigningKey':
    'Mailgun answered without its HTTP webhook signing key: save the settings again, or check it in Mailgun (Settings > API Security).',
  'mailgun.forbidden':
    'Mailgun answered 403: the key may not use the domain {domain}, or the Mailgun account is disabled or still in sandbox.',
  'mailgun.tooLarge': 'Mailgun refused the email: message too large (Mailgun accepts at most 25 MB, attachments included).',
  'mailgun.invalid': 'Mailgun refused the request as invalid: {reason}',
  'mailgun.refused': 'Mailgun refused the request (HTTP {status}).',
  'mailgun.rateLimited': "Mailgun's rate limit for this account was reached.",
  'mailgun.unavailable': 'Mailgun had a temporary problem.',
  'mailgun.slow': 'Mailgun did not answer in time.',
  'mailgun.apiUrlUnusable': 'The Mailgun address the platform is configured with is not usable.',
  'mailgun.wrongUrl': 'The Mailgun address the platform is configured with is wrong.',
  'mailgun.timedOut': 'Mailgun did not answer within {ms} ms.',
  'mailgun.unreachable': 'Mailgun could not be reached.',
  'mailgun.connectionFailed': 'The connection to Mailgun failed.',
  'mailgun.sdkRefused': 'The request could not be turned into a Mailgun API call: check the addresses and attachments.',

  'mailjet.auth': 'Mailjet rejected the API keys: check the public and private key pair.',
  'mailjet.sender': 'Mailjet refused the sender: validate the "Send from" address in Mailjet.',
  'mailjet.tooLarge': 'The email is too large for Mailjet (15 MB of attachments at most): send fewer or smaller attachments.',
  'mailjet.invalid': "Mailjet refused the email as invalid: see Mailjet's words in the response.",
  'mailjet.forbidden': "Mailjet refused this request for the account: see Mailjet's words in the response.",
  'mailjet.notFound': 'Mailjet answered 404: the platform is probably configured with a wrong Mailjet address.',
  'mailjet.apiUrl': 'The Mailjet address the platform is configured with is not usable.',
  'mailjet.rateLimited': 'Mailjet is rate-limiting this account.',
  'mailjet.unavailable': 'Mailjet is having trouble.',
  'mailjet.unreachable': 'Mailjet could not be reached.',
  'mailjet.timedOut': 'Mailjet did not answer in time.',

  'mailjet.webhookCredentials':
    'The webhook user and password the platform made for you cannot be written in an address: its operators must check how they are generated.',
  'mailjet.webhookNotNow': 'Mailjet could not be reached or is busy: save the settings again to retry the webhook registration.',
  'mailjet.webhookRefused': 'Mailjet refused the webhook registration: what the server said below tells why.',

  'webhook.publicUrlInvalid':
    "The platform's public address (PUBLIC_BASE_URL) is not a valid address: its operators must set it to the public https address of its webhooks app.",
  'webhook.publicUrlNotHttp':
    "The platform's public address (PUBLIC_BASE_URL) starts with {protocol} rather than https: its operators must set it to an https address.",
  'webhook.unexpected':
    'The registration failed for an unexpected reason (the server log says which): save the settings again, or paste the verification key by hand.',

  'platform.outboxUnwritable': 'The platform cannot write to its outbox ({dir}): its operators must check it.',

  'send.tenantGone': 'Your company is no longer set up on the platform: it must be set up again before this email can be retried.',
  'send.contentGone': 'The stored content of this email is gone: send the document again from the platform.',
  'send.settingsIncomplete': 'The email settings are incomplete: save them again with every required field.',
  'send.secretUnavailable':
    'A stored password or key can no longer be read by the platform: save the email settings again (with the password or key), or ask the platform to restore its old encryption key.',
  'send.timedOut': 'The server did not answer in time: check the host and port, and that outgoing connections are allowed.',
  'send.interrupted':
    "The sending stopped in the middle of this attempt, before the server's answer was recorded: the server may or may not have received the email, so the recipient may get it twice (both copies show as one conversation). It was sent again.",
  'send.interruptedNotSentAgain':
    "The sending stopped in the middle of this attempt, before the server's answer was recorded: the server may or may not have received the email. It was not sent again: before you send it again, check whether the recipient got it, or they may get it twice.",
  'send.interruptedTestEmail':
    "The sending of this test email stopped midway, before the server's answer was recorded: the server may or may not have received it. Nothing sends a test email again: check the inbox it went to, and send another test if it did not arrive.",
  'settings.planFallback':
    'Your plan no longer includes your own SMTP server: your emails go out through the platform until the plan allows it again or the settings change.',

  'then.retry': 'The email will be retried.',
  'then.lastAttempt':
    'Attempts made: {attempts}, none succeeded; nothing retries it now: use "Retry" once the server or provider accepts mail again.',
  'then.testEmail': 'Nothing retries a test email: send it again later.',
  'then.saveAgain': 'Nothing retries the registration: save the email settings again once {provider} answers.',
  'then.checkAgain': 'Nothing retries this check: try again once {provider} answers.',
};
