import type { DirectoryUser } from '../directory/directory-user';
import { toRecord } from './user-records';

export const EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The header line, if the format has one. */
export function exportHeader(format: ExportFormat): string {
  return format === 'csv' ? 'id,user_info,watchlist\n' : '';
}

/**
 * JSON Lines: exactly what `import` reads back. CSV (RFC 4180) for spreadsheets: `user_info`
 * and `watchlist` as JSON text in their cells, since ids may themselves contain commas.
 */
export function exportLine(user: DirectoryUser, format: ExportFormat): string {
  const record = toRecord(user);
  if (format === 'jsonl') return `${JSON.stringify(record)}\n`;
  return `${[
    record.id,
    record.user_info === null ? '' : JSON.stringify(record.user_info),
    JSON.stringify(record.watchlist),
  ]
    .map(csvCell)
    .join(',')}\n`;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
