/** cluster-key-slot (ioredis's own slot function) ships no types: the Redis Cluster slot of a key, 0 to 16383. */
declare module 'cluster-key-slot' {
  export default function calculateSlot(key: string | Buffer): number;
}
