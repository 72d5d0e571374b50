import { ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePorts } from '../smtp/dead-end-servers';
import { waitForPong } from './redis-server-process';

const run = promisify(execFile);

/** A Redis Cluster of a test's own: masters only, every slot assigned, in a temporary directory. */
export interface RedisClusterProcesses {
  nodes: { host: string; port: number }[];
  /** The same, as REDIS_CLUSTER_NODES wants them. */
  seeds: string;
  /** Kills every node and removes the directory. */
  close(): Promise<void>;
}

/** Whether redis-server and redis-cli are on PATH (a cluster test skips, saying so, when they are not). */
export function redisClusterToolsInstalled(): boolean {
  return ['redis-server', 'redis-cli'].every((tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0);
}

/**
 * Starts `masters` redis-server nodes with `--cluster-enabled yes` on free ports (their bus ports free
 * too, `--cluster-port`), joins them with `redis-cli --cluster create ... --cluster-replicas 0`, and
 * waits until every node reports `cluster_state:ok`. No persistence.
 */
export async function startRedisCluster(masters = 3): Promise<RedisClusterProcesses> {
  // A node that exits at start (its port taken meanwhile by another process: another test's free-port
  // probe, say) is tried again on new ports, twice at most.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startRedisClusterOnce(masters);
    } catch (e) {
      if (!(e instanceof ClusterNodeExited) || attempt === 3) throw e;
    }
  }
}

class ClusterNodeExited extends Error {}

async function startRedisClusterOnce(masters: number): Promise<RedisClusterProcesses> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailroom-redis-cluster-'));
  const children: ChildProcess[] = [];
  const close = async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGKILL');
          }),
      ),
    );
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const nodes: { host: string; port: number }[] = [];
    const exits: Promise<never>[] = [];
    // Every node's port and bus port at once: taken one after another, a port could come out twice
    // (closed, not yet bound by its node), and that node would never answer.
    const ports = await freePorts(2 * masters);
    for (let i = 0; i < masters; i++) {
      const [port, busPort] = [ports[2 * i], ports[2 * i + 1]];
      const args = ['--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1', '--dir', dir];
      args.push(
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        path.join(dir, `nodes-${port}.conf`),
        '--cluster-node-timeout',
        '5000',
      );
      args.push('--save', '', '--appendonly', 'no');
      const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<never>((_, reject) =>
        child.once('exit', (code) =>
          reject(new ClusterNodeExited(`cluster node redis-server on port ${port} exited (${code}): ${stderr}`)),
        ),
      );
      exited.catch(() => undefined);
      exits.push(exited);
      children.push(child);
      nodes.push({ host: '127.0.0.1', port });
    }
    // A node that cannot start says why at once, instead of a PING that waits out its 10 s.
    await Promise.race([Promise.all(nodes.map((n) => waitForPong(n.port, 10_000))), ...exits]);
    await run(
      'redis-cli',
      ['--cluster', 'create', ...nodes.map((n) => `${n.host}:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'],
      {
        timeout: 30_000,
      },
    );
    await waitForClusterOk(nodes, 30_000);
    return { nodes, seeds: nodes.map((n) => `${n.host}:${n.port}`).join(','), close };
  } catch (e) {
    await close();
    throw e;
  }
}

async function waitForClusterOk(nodes: { host: string; port: number }[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(
      nodes.map((n) =>
        run('redis-cli', ['-h', n.host, '-p', String(n.port), 'cluster', 'info']).then(
          (r) => /cluster_state:ok/.test(r.stdout),
          () => false,
        ),
      ),
    );
    if (states.every(Boolean)) return;
    if (Date.now() > deadline)
      throw new Error(`the Redis Cluster on ${nodes.map((n) => n.port).join(', ')} did not reach cluster_state:ok`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
