import os from 'node:os';

export interface MachineInfo {
  cores: number;
  memoryGiB: number;
  cpuModel: string;
  node: string;
  os: string;
}

/** What the figures were measured on: they drift with the machine and its load, the ratios much less. */
export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
  };
}
