import type { BenchRowModule } from './bench-row';

export const workerMemoryRow: BenchRowModule = { id: 'worker-memory', sizes: () => ({}), run: async () => [] };
