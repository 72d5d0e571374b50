import { spawnSync } from 'node:child_process';

/**
 * Validates an OpenAPI document with @apidevtools/swagger-parser (the OpenAPI 3.1 JSON Schema, every
 * $ref resolving).
 * It runs in a plain Node child: the parser's dependencies are ES modules, which Node loads with
 * require() and Jest's module runtime does not. Answers the parser's complaint, or null when valid.
 */
export function openApiProblem(doc: object): string | null {
  const script = `
    const SwaggerParser = require('@apidevtools/swagger-parser');
    let input = '';
    process.stdin.on('data', (c) => (input += c)).on('end', () =>
      SwaggerParser.validate(JSON.parse(input)).then(
        () => process.stdout.write('valid'),
        (e) => process.stdout.write(String(e.message)),
      ),
    );`;
  const run = spawnSync(process.execPath, ['-e', script], {
    input: JSON.stringify(doc),
    encoding: 'utf8',
    cwd: __dirname,
    timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(`the OpenAPI validator did not run: ${run.stderr}`);
  return run.stdout === 'valid' ? null : run.stdout;
}
