import fs from 'node:fs';
import { Writable } from 'node:stream';
import type { ProviderName } from '@mailroom/domain';
import { applyEvent } from '@mailroom/domain';
import { startMailgunEmulator, startMailjetEmulator, startSendgridEmulator } from '@mailroom/testkit';
import { parseMailgunEvent, parseMailjetEvents, parseSendgridEvents } from '@mailroom/transports';
import { historyEvent } from '../../apps/webhooks/src/receivers/record-provider-events';
import { startMailroom } from '../../e2e/support/mailroom-harness';
import { BenchRow, BenchRowModule, envInt, medianRound, ratio, roundsNote } from './bench-row';
import { inPool, timedMs } from '../support/measure';
import { perfFlags, startAppProcess } from '../support/app-process';
import { acceptedEmail, providerPosts } from '../webhooks/provider-posts';

const eventsPerProvider = () => envInt('BENCH_WEBHOOK_EVENTS', 6000);
/**
 * Interleaved rounds per provider (baseline, then the app, on fresh emails each time), after one round
 * that is not measured; the row is the round with the median ratio. Measured once and cold, as it was,
 * the row was the app's first seconds after its start: Mailgun's three rounds read 0.40, 0.70 and 0.63,
 * the first being the cold one (and 0.41-0.54 between single-round runs in one afternoon).
 */
const rounds = () => envInt('BENCH_WEBHOOK_ROUNDS', 3);
/** SendGrid's and Mailjet's events per post (SendGrid batches up to about a thousand; 50 is a busy minute of a tenant). */
const BATCH = 50;
/** Posts in flight at once, per provider: Mailgun sends one event per post, so many at a time. */
const IN_FLIGHT: Record<ProviderName, number> = { sendgrid: 4, mailgun: 16, mailjet: 4 };
const PARSERS: Record<ProviderName, typeof parseSendgridEvents> = {
  sendgrid: parseSendgridEvents,
  mailgun: parseMailgunEvent,
  mailjet: parseMailjetEvents,
};
const SG_KEY = 'SG.bench.0123456789abcdef';
const MG_KEY = 'key-bench-000000000000000000001';
const MJ = { public: 'mj-public-bench-0001', private: 'mj-private-bench-0001' };

/**
 * Webhook ingestion: signed provider events (SendGrid batches, Mailgun single posts, Mailjet grouped
 * posts, built with the testkit's signers) posted to the real webhooks app (verified, replay-checked,
 * parsed, recorded, suppression checked), against the baseline of applying the same events, parsed
 * by the same parsers, straight through store.emails.update in a loop on another set of identical
 * emails of the same store, in BENCH_WEBHOOK_ROUNDS interleaved rounds after a warm-up round. Every
 * event must be recorded before the clock stops: each email ends opened.
 */
export const webhookIngestionRow: BenchRowModule = {
  id: 'webhooks',
  sizes: () => ({ BENCH_WEBHOOK_EVENTS: eventsPerProvider(), BENCH_WEBHOOK_ROUNDS: rounds() }),
  async run() {
    const emailsPerProvider = Math.max(1, Math.floor(eventsPerProvider() / 2));
    const sg = await startSendgridEmulator({ apiKeys: [SG_KEY] });
    const mg = await startMailgunEmulator({ region: 'eu', keys: [MG_KEY], domains: ['mg.bench.example'] });
    const mj = await startMailjetEmulator({ keys: [MJ], validatedSenders: ['billing@mj.bench.example'] });
    const m = await startMailroom(
      { SENDGRID_API_URL: sg.url, MAILGUN_API_URL_EU: mg.url, MAILJET_API_URL: mj.url, LOG_LEVEL: 'info' },
      { worker: false, logStream: devNull(), logLevel: 'silent' },
    );
    try {
      const providers: Record<ProviderName, Record<string, unknown>> = {
        sendgrid: { name: 'sendgrid', fromAddress: 'billing@sg.bench.example', privateApiKey: SG_KEY },
        mailgun: { name: 'mailgun', fromAddress: 'billing@mg.bench.example', privateApiKey: MG_KEY, region: 'eu' },
        mailjet: { name: 'mailjet', fromAddress: 'billing@mj.bench.example', privateApiKey: MJ.private, publicApiKey: MJ.public },
      };
      for (const [name, provider] of Object.entries(providers)) {
        await m.call('PUT', `/v1/tenants/wh-${name}`, { name, plan: 'premium' });
        const saved = await m.call('PUT', `/v1/tenants/wh-${name}/email-settings`, { mode: 'provider', senderName: name, provider });
        if (saved.status !== 200 || !saved.body.webhook?.registered) throw new Error(`${name} settings: ${JSON.stringify(saved.body)}`);
      }
      const store = m.api.deps.store;
      // The webhooks app as production runs it: its own process (the posting clients are not its cost),
      // on the same SQLite file and Redis. BENCH_WEBHOOK_CPU_PROF=dir writes its CPU profile there (BENCH_PERF=1: perf-basic-prof).
      const profileDir = process.env.BENCH_WEBHOOK_CPU_PROF;
      const app = await startAppProcess(
        'webhooks',
        { ...m.env, LOG_LEVEL: 'info' },
        profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : perfFlags(),
      );
      const rows: BenchRow[] = [];
      // BENCH_WEBHOOK_PROVIDERS=mailgun measures one alone (to profile it).
      const only = (process.env.BENCH_WEBHOOK_PROVIDERS ?? 'sendgrid,mailgun,mailjet').split(',');
      for (const provider of (['sendgrid', 'mailgun', 'mailjet'] as const).filter((p) => only.includes(p))) {
        const tenantId = `wh-${provider}`;
        const registered = `${m.webhooks.url}/webhooks/${provider}/${tenantId}`;
        const url = `${app.url}/webhooks/${provider}/${tenantId}`;
        const at = new Date().toISOString();
        const fresh = async (label: string) => {
          const emails = Array.from({ length: emailsPerProvider }, (_, i) =>
            acceptedEmail(tenantId, `em_${provider}_${label}_${i}`, provider, at),
          );
          for (const email of emails) await store.emails.create({ email, content: { text: 'x', attachments: [] } });
          return emails;
        };
        const targets = {
          sendgrid: sg.eventWebhooks().find((h) => h.settings.url === registered)!,
          mailgunSigningKey: mg.signingKey,
          mailjetUrl: mj.callbacks.find((c) => c.EventType === 'open')?.Url ?? '',
        };
        /** One round: the baseline on fresh emails, then the same kind of posts to the app on others. */
        const round = async (r: number) => {
          // Baseline: the same events, parsed by the same parser, applied straight through the store in a loop.
          const direct = providerPosts(provider, url, await fresh(`direct${r}`), targets, BATCH);
          const now = new Date().toISOString();
          const baselineMs = await timedMs(async () => {
            for (const post of direct)
              for (const ev of PARSERS[provider](post.rawBody))
                await store.emails.update(tenantId, ev.emailId!, (rec) => applyEvent(rec, historyEvent(provider, ev), now));
          });
          // Mailroom: the same kind of posts to the webhooks app.
          const emails = await fresh(`posted${r}`);
          const posts = providerPosts(provider, url, emails, targets, BATCH);
          const events = posts.reduce((n, p) => n + p.events, 0);
          const cpuBefore = cpuMs(app.child.pid!);
          const mailroomMs = await timedMs(() =>
            inPool(posts, IN_FLIGHT[provider], async (post) => {
              const { status } = await post.send();
              if (status !== 200) throw new Error(`${provider} post answered ${status}`);
            }),
          );
          const appCpuUsPerEvent = ((cpuMs(app.child.pid!) - cpuBefore) * 1000) / events;
          for (const e of emails) {
            const saved = await store.emails.get(tenantId, e.id);
            if (saved?.status !== 'opened')
              throw new Error(`${provider}: email ${e.id} ended ${saved?.status}, not opened: events were lost`);
          }
          const mailroom = (events / mailroomMs) * 1000;
          const baseline = (events / baselineMs) * 1000;
          return { events, mailroom, baseline, ratio: mailroom / baseline, appCpuUsPerEvent };
        };
        // A round before the measured ones, as the app's first posts after its start: JIT, pools, heap.
        await round(-1);
        const measured = [];
        for (let r = 0; r < rounds(); r++) measured.push(await round(r));
        const { events, mailroom, baseline, appCpuUsPerEvent } = medianRound(measured);
        const roundsText = roundsNote(measured);
        const shape =
          provider === 'mailgun' ? 'single posts' : provider === 'sendgrid' ? `signed batches of ${BATCH}` : `grouped posts of ${BATCH}`;
        rows.push({
          name: `Webhook ingestion, ${provider} ${shape}, ${events} events`,
          mailroom,
          baseline,
          unit: 'events/s',
          ratio: ratio(mailroom, baseline),
          target: { on: 'ratio', op: '>=', value: 0.5 },
          baselineIs: 'store.emails.update in a loop',
          note: `${IN_FLIGHT[provider]} posts in flight; the webhooks app: ${appCpuUsPerEvent.toFixed(0)} µs of its CPU per event${roundsText && `; ${roundsText}`}`,
        });
      }
      await app.stop();
      return rows;
    } finally {
      await m.stop();
      await Promise.all([sg.close(), mg.close(), mj.close()]);
    }
  },
};

/** User + system CPU time of a process so far, in ms (Linux: /proc/<pid>/stat, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The apps log at info as in production (their cost is in the figure), into nothing. */
function devNull(): NodeJS.WritableStream {
  return new Writable({ write: (_chunk, _enc, done) => done() });
}
