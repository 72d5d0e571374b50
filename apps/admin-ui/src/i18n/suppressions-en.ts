/** English strings of the suppression list screen (suppressions-es.ts has the same keys; en.ts takes them in). */
export const suppressionsEn = {
  'suppressions.heading': 'Suppression list',
  'suppressions.intro':
    'Your emails are not sent to these addresses: they bounced for good, the server refused the mailbox, their owner marked an email as spam, or someone added them. Bounces and refusals leave the list by themselves after a while. Remove an address once the client has fixed it, and the next emails to it are sent.',
  'suppressions.search': 'Search the suppression list',
  'suppressions.address': 'Address',
  'suppressions.address.help': 'The start of the address is enough, for example "client@".',
  'suppressions.reason': 'Reason',
  'suppressions.anyReason': 'Any reason',
  'suppressions.caption': 'Addresses not sent to, newest first',
  'suppressions.col.address': 'Address',
  'suppressions.col.reason': 'Reason',
  'suppressions.col.since': 'Since',
  'suppressions.col.until': 'Until',
  'suppressions.col.detail': 'Details',
  'suppressions.col.actions': 'Actions',
  'suppressions.untilRemoved': 'Until removed',
  'suppressions.sourceEmail': 'The email that caused it',
  'suppressions.empty': 'No address on the list matches.',
  'suppressions.remove': 'Remove',
  'suppressions.remove.label': 'Remove {address} from the list',
  'suppressions.remove.confirm':
    'Remove {address} from the suppression list? The next emails to it will be sent; those already held back are not sent by themselves.',
  'suppressions.removed':
    '{address} was removed from the list: the next emails to it will be sent. Those already held back are not: send them again from their document.',
  'suppressions.notRemoved': '{address} was not removed: {message}',
  'suppression.reason.hard_bounce': 'Bounced for good',
  'suppression.reason.smtp_rejected': 'Mailbox refused by the server',
  'suppression.reason.complaint': 'Marked an email as spam',
  'suppression.reason.manual': 'Added by hand',
  'suppressions.alreadyRemoved': '{address} was no longer on the list (someone had removed it): emails to it are sent.',
};
