/**
 * Runs inside a benchmarked server process (Concerto's or the baseline's): answers the bench's
 * requests on stdin with one `BENCHSTATS {json}` line on stdout. `reset <tag>` starts a measured
 * window (CPU, bytes, event-loop delay and peak RSS from now on); `stats <tag>` reports on it.
 */
import type { Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

/** Milliseconds between the delay monitor's samples; its figures include this much, taken off below. */
const RESOLUTION_MS = 2;
const RSS_SAMPLE_MS = 50;

export interface ServerStats {
  tag: string;
  rssMB: number;
  peakRssMB: number;
  heapUsedMB: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  /** Event-loop utilisation over the window, 0–1. */
  elu: number;
  loopP50Ms: number;
  loopP99Ms: number;
  loopMaxMs: number;
  bytesWritten: number;
  bytesRead: number;
  connections: number;
}

export function reportStats(httpServer: HttpServer): void {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  const open = new Set<Socket>();
  let closedWritten = 0;
  let closedRead = 0;
  httpServer.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => {
      open.delete(socket);
      closedWritten += socket.bytesWritten;
      closedRead += socket.bytesRead;
    });
  });
  const bytes = () => {
    let written = closedWritten;
    let read = closedRead;
    for (const s of open) {
      written += s.bytesWritten;
      read += s.bytesRead;
    }
    return { written, read };
  };

  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);
  sampler.unref();

  let cpu0 = process.cpuUsage();
  let elu0: EventLoopUtilization = performance.eventLoopUtilization();
  let bytes0 = bytes();

  const ms = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  const mb = (b: number) => b / (1024 * 1024);

  function snapshot(tag: string): ServerStats {
    const rss = process.memoryUsage.rss();
    peakRss = Math.max(peakRss, rss);
    const cpu = process.cpuUsage(cpu0);
    const b = bytes();
    return {
      tag,
      rssMB: mb(rss),
      peakRssMB: mb(peakRss),
      heapUsedMB: mb(process.memoryUsage().heapUsed),
      cpuUserMs: cpu.user / 1000,
      cpuSystemMs: cpu.system / 1000,
      elu: performance.eventLoopUtilization(elu0).utilization,
      loopP50Ms: delay.count ? ms(delay.percentile(50)) : 0,
      loopP99Ms: delay.count ? ms(delay.percentile(99)) : 0,
      loopMaxMs: delay.count ? ms(delay.max) : 0,
      bytesWritten: b.written - bytes0.written,
      bytesRead: b.read - bytes0.read,
      connections: open.size,
    };
  }

  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const [command, tag = ''] = line.trim().split(/\s+/);
    if (command === 'reset') {
      delay.reset();
      peakRss = process.memoryUsage.rss();
      cpu0 = process.cpuUsage();
      elu0 = performance.eventLoopUtilization();
      bytes0 = bytes();
    } else if (command !== 'stats') {
      return;
    }
    process.stdout.write(`BENCHSTATS ${JSON.stringify(snapshot(tag))}\n`);
  });
}
