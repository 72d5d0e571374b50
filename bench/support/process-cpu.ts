import fs from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ: 100 on Linux everywhere that matters). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (Linux). The
 * figure a shared machine's load does not change: a process waiting for a core uses none.
 */
export function cpuMsOf(pid: number): number {
  return cpuMsOfStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/** The same for one thread of a process (its main thread's id is the pid: the JavaScript's; V8's and libuv's helpers are others). */
export function threadCpuMsOf(pid: number, thread: number): number {
  return cpuMsOfStat(fs.readFileSync(`/proc/${pid}/task/${thread}/stat`, 'utf8'));
}

function cpuMsOfStat(stat: string): number {
  // Fields after the command name (which may hold spaces), from field 3 on: utime is field 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}
