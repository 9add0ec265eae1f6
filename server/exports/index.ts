/**
 * Every export an organizer can take, at any moment of the event (during it too): from the console
 * (HTTP, with a facilitator's token) and from the command line (server/cli/export.ts).
 */
import type { ReportReads } from './report.ts';
import { bilanModel, faqModel } from './document.ts';
import { faqMarkdown } from './faq-text.ts';
import { fileName, formatter } from './format.ts';
import { toDocx } from './render-docx.ts';
import { toPdf } from './render-pdf.ts';
import { collectReport } from './report.ts';
import { datasets, toCsvZip, toXlsx } from './sheets.ts';

export const EXPORT_KINDS = ['bilan.docx', 'bilan.pdf', 'donnees.xlsx', 'donnees-csv.zip', 'faq.docx', 'faq.pdf', 'faq.md'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export function isExportKind(kind: string): kind is ExportKind {
  return (EXPORT_KINDS as readonly string[]).includes(kind);
}

export interface ExportFile {
  body: Buffer;
  contentType: string;
  fileName: string;
}

const TYPES: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  zip: 'application/zip',
  md: 'text/markdown; charset=utf-8',
};

/** The file, in the event's language; null when the event does not exist. */
export async function exportFile(services: ReportReads, eventId: string, kind: ExportKind, now: number): Promise<ExportFile | null> {
  const stored = services.repos.events.get(eventId);
  if (!stored) return null;
  const f = formatter(stored.info.locale);
  const data = collectReport(services, eventId, f.t('report.noAnswer'));
  if (!data) return null;
  const [base = '', ext = ''] = kind.split('.');
  const body = await (async (): Promise<Buffer> => {
    switch (kind) {
      case 'bilan.docx':
        return toDocx(bilanModel(data, f, now));
      case 'bilan.pdf':
        return toPdf(bilanModel(data, f, now));
      case 'faq.docx':
        return toDocx(faqModel(data, f, now));
      case 'faq.pdf':
        return toPdf(faqModel(data, f, now));
      case 'faq.md':
        return Buffer.from(faqMarkdown(f, data.event.title, data.event.axes, data.faq), 'utf8');
      case 'donnees.xlsx':
        return toXlsx(datasets(services, data, f), data.event.title);
      case 'donnees-csv.zip':
        return toCsvZip(datasets(services, data, f));
    }
  })();
  return { body, contentType: TYPES[ext] ?? 'application/octet-stream', fileName: fileName(data.event.title, base, ext) };
}
