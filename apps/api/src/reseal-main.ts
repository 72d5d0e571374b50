import { runCommand } from '@mailroom/config';
import { SecretBox } from '@mailroom/security';
import { createStore } from '@mailroom/store';
import { PROVIDERS } from '@mailroom/transports';
import { resealSecrets } from './use-cases/reseal-secrets';

/**
 * `pnpm reseal` (`node --import tsx apps/api/src/reseal-main.ts` in the image): re-seals every stored
 * secret with the first key of ENCRYPTION_KEYS and says how many it changed. Exit code 1 when a secret
 * opens with none of the configured keys (named by tenant and field, never shown).
 */
runCommand('reseal', async (config, print) => {
  const store = createStore(config.storeUrl);
  await store.init();
  try {
    const box = new SecretBox(config.encryptionKeys);
    const first = config.encryptionKeys[0].id;
    const report = await resealSecrets(store, box, PROVIDERS);
    print(`${report.tenants} tenants with settings checked`);
    print(`${report.changed} secrets re-sealed with key "${first}"`);
    print(`${report.current} secrets already on key "${first}"`);
    for (const u of report.unreadable)
      print(`cannot open: tenant ${u.tenantId}, field ${u.field} (sealed with key "${u.keyId}", which ENCRYPTION_KEYS does not open)`);
    if (report.unreadable.length > 0) {
      print(
        `${report.unreadable.length} secrets could not be opened: add their key back to ENCRYPTION_KEYS, or have those tenants save them again`,
      );
      return 1;
    }
    return 0;
  } finally {
    await store.close();
  }
});
