/**
 * A provider's local emulator, as the generic tests start it: each provider folder has one in
 * `src/<name>/test-support/emulator.ts` (its default export), found by the provider module's name, so
 * a test can run "the emulator of provider X" for every provider in the registry.
 */
export interface ProviderEmulator {
  /** Starts it with one account; the tenant's keys are in `settingsPart`. */
  start(): Promise<RunningProviderEmulator>;
}

export interface RunningProviderEmulator {
  /** The environment that points Mailroom at it (`SENDGRID_API_URL`...). */
  env: Record<string, string>;
  /** The `provider` part of a settings PUT on the emulated account, sending from `fromAddress`. */
  settingsPart(fromAddress: string): Record<string, unknown>;
  /** The recipients of the message it took for our email id, or undefined when it took none. */
  recipientsOf(emailId: string): string[] | undefined;
  /** Posts the provider's own "delivered" event for one recipient of that email, verified as the provider signs it; the answer's status. */
  deliver(webhookUrl: string, emailId: string, recipient: string): Promise<number>;
  close(): Promise<void>;
}

/** The emulator of the provider module named `name` (by the folder convention above). */
export function providerEmulator(name: string): ProviderEmulator {
  const loaded = require(`../src/${name}/test-support/emulator`) as { default?: ProviderEmulator };
  if (!loaded.default) throw new Error(`packages/transports/src/${name}/test-support/emulator.ts has no default export`);
  return loaded.default;
}
