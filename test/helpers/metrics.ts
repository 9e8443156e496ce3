import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Parses Prometheus text exposition into `name{labels}` → value, labels sorted by name. */
export function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.length === 0 || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const [, name, labels = '', value] = match;
    samples.set(sampleKey(name, parseLabels(labels)), Number(value));
  }
  return samples;
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [, name, value] of text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
    labels[name] = value;
  }
  return labels;
}

export function sampleKey(
  name: string,
  labels: Record<string, string> = {},
): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((label) => `${label}="${labels[label]}"`)
    .join(',');
  return `${name}{${sorted}}`;
}

/** Scrapes `/metrics` the way Prometheus does. */
export async function scrape(
  app: NestFastifyApplication,
): Promise<(name: string, labels?: Record<string, string>) => number> {
  const response = await app.inject({ method: 'GET', url: '/metrics' });
  if (response.statusCode !== 200) {
    throw new Error(`/metrics answered ${response.statusCode}`);
  }
  const samples = parseMetrics(response.body);
  return (name, labels) => samples.get(sampleKey(name, labels)) ?? 0;
}
