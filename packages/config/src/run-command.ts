import { ConfigError } from './config-error';
import { Config, loadConfig } from './load-config';

/**
 * The whole of an operations command's main (`pnpm reseal`): parse the environment once, as the apps
 * do, run, and exit with the command's code. A bad variable exits 1 with its name. `print` writes a
 * line for the operator on stdout.
 */
export function runCommand(name: string, command: (config: Config, print: (line: string) => void) => Promise<number>): void {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const run = async () => {
    const config = loadConfig(process.env);
    process.exitCode = await command(config, print);
  };
  run().catch((e) => {
    console.error(
      e instanceof ConfigError ? `Configuration error: ${e.message}` : `${name} failed: ${e instanceof Error ? e.message : String(e)}`,
    );
    process.exitCode = 1;
  });
}
