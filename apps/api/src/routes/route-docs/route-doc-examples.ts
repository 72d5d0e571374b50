import { tenantIdSchema } from '@mailroom/domain';
import { z } from 'zod';

/** The path parameters and examples the route descriptions share. */
export const tenantParams = z.strictObject({ tenantId: tenantIdSchema });
export const emailParams = tenantParams.extend({ emailId: z.string().meta({ description: 'The id the enqueue answered (`em_...`).' }) });

export const NOW = '2026-11-30T10:00:00.000Z';
export const exampleTenant = {
  id: 'acme',
  name: 'Acme SL',
  plan: 'premium',
  email: 'billing@acme.example',
  createdAt: NOW,
  updatedAt: NOW,
};
export const exampleEnqueue = {
  to: [{ email: 'client@customer.example', name: 'Client SA' }],
  subject: 'Invoice F-2026-0042',
  text: 'Please find your invoice attached.',
  attachments: [{ filename: 'F-2026-0042.pdf', contentType: 'application/pdf', content: 'JVBERi0xLjQK' }],
  document: { type: 'invoice', id: 'inv_42', number: 'F-2026-0042' },
  metadata: { customer: 'c_1' },
};
export const exampleSettingsPut = {
  mode: 'smtp',
  senderName: 'Acme SL',
  replyTo: 'billing@acme.example',
  smtp: {
    preset: 'other',
    host: 'mail.acme.example',
    port: 587,
    tls: false,
    fromAddress: 'billing@acme.example',
    username: 'billing@acme.example',
    password: 'app-password-0001',
  },
};
export const LOCATION = { Location: 'The email: /v1/tenants/{tenantId}/emails/{emailId}' };
