import { describe, expect, it } from 'vitest';
import type { networkInterfaces } from 'node:os';
import { lanAddress, readConfig } from '../../server/config.ts';

describe('configuration', () => {
  it('[CF1] reads port, data folder, public address and Redis from the environment', () => {
    const c = readConfig({ PORT: '8080', DATA_DIR: '/var/lib/concerto', PUBLIC_URL: 'https://forum.example.org/' });
    expect(c).toMatchObject({ port: 8080, dbFile: '/var/lib/concerto/concerto.db', publicUrl: 'https://forum.example.org' });
    expect(() => readConfig({ PORT: 'abc' })).toThrow('PORT');
    // Redis only when running as several processes.
    expect(c.redisUrl).toBeNull();
    expect(readConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl).toBe('redis://127.0.0.1:6379');
  });
  it('[CF2] without PUBLIC_URL, links use the machine’s address on the local network', () => {
    const interfaces = {
      lo: [{ family: 'IPv4', internal: true, address: '127.0.0.1' }],
      docker0: [{ family: 'IPv4', internal: false, address: '172.17.0.1' }],
      wlan0: [{ family: 'IPv4', internal: false, address: '192.168.1.20' }],
    } as unknown as ReturnType<typeof networkInterfaces>;
    expect(lanAddress(interfaces)).toBe('192.168.1.20');
    expect(lanAddress({})).toBeNull();
  });
});
