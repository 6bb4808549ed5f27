import { cpus, type as osType, release, totalmem } from 'node:os';

/** The date, the machine and the runtime, for the results' header. */
export function describeMachine(): string {
  const list = cpus();
  const model = list[0]?.model.trim() ?? 'unknown CPU';
  const memory = `${(totalmem() / 2 ** 30).toFixed(1)} GB`;
  return `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${list.length} x ${model} · ${memory} · ${osType()} ${release()} · Node ${process.version}`;
}
