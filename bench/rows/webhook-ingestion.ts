import type { BenchRowModule } from './bench-row';

export const webhookIngestionRow: BenchRowModule = { id: 'webhooks', sizes: () => ({}), run: async () => [] };
