import fs from 'node:fs';
import path from 'node:path';
import { SENDING_MODES } from '@mailroom/domain';
import { OAUTH_VENDORS } from '@mailroom/oauth';
import { PROVIDERS } from './providers';
import { SMTP_PRESETS } from './smtp/smtp-presets';

const ROOT = path.resolve(__dirname, '../../..');
const SERVER_APPS = ['api', 'worker', 'webhooks'];

function sourcesOf(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourcesOf(full);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [full] : [];
  });
}

/**
 * What makes a provider switch: the name of a provider module or of a transport folder that is not a
 * sending mode, an SMTP preset's, an OAuth vendor's. The apps reach each of them through the registry
 * only, so none of these words appears in their code or comments. A new provider is covered by the
 * registry line and its folder.
 */
function providerWords(): string[] {
  const folders = fs
    .readdirSync(path.join(__dirname), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  const modes = new Set<string>(SENDING_MODES);
  const words = [...PROVIDERS.modules.map((m) => m.name), ...folders, ...SMTP_PRESETS, ...OAUTH_VENDORS].filter(
    (w) => !modes.has(w) && w !== 'other',
  );
  return [...new Set(words.map((w) => w.toLowerCase()))];
}

describe('the apps hold no provider switch', () => {
  it('names every provider, folder, preset and vendor it looks for', () => {
    expect(providerWords()).toEqual(
      expect.arrayContaining(['sendgrid', 'mailgun', 'mailjet', 'graph', 'gmail', 'outlook', 'ionos', 'google', 'microsoft']),
    );
  });

  it.each(SERVER_APPS)('apps/%s/src mentions no provider by name, in code or comments', (app) => {
    const words = providerWords();
    const found: string[] = [];
    for (const file of sourcesOf(path.join(ROOT, 'apps', app, 'src'))) {
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        for (const w of words) if (new RegExp(`\\b${w}\\b`, 'i').test(line)) found.push(`${path.relative(ROOT, file)}:${i + 1}: ${w}`);
      });
    }
    expect(found).toEqual([]);
  });
});
