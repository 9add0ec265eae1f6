/** A document model as DOCX: real headings, tables with a header row, native charts. */
import { AlignmentType, Document, HeadingLevel, Packer, PageBreak, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { ChartRun } from 'docx/charts';
import type { Block, DocumentModel } from './document.ts';

const HEADINGS = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;
const NUMERIC = /^[\d\s<.,%\u00a0\u202f-]+$/;

function table(b: Extract<Block, { kind: 'table' }>): Table {
  const cell = (text: string, i: number, head: boolean) =>
    new TableCell({
      children: [
        new Paragraph({ children: [new TextRun({ text, bold: head })], alignment: i > 0 && NUMERIC.test(text) ? AlignmentType.RIGHT : AlignmentType.LEFT }),
      ],
      ...(b.widths?.[i] ? { width: { size: b.widths[i] ?? 0, type: WidthType.PERCENTAGE } } : {}),
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: b.header.map((x, i) => cell(x, i, true)) }),
      ...b.rows.map((r) => new TableRow({ children: r.map((x, i) => cell(x, i, false)) })),
    ],
  });
}

function render(b: Block): Paragraph | Table {
  switch (b.kind) {
    case 'title':
      return new Paragraph({ text: b.text, heading: HeadingLevel.TITLE });
    case 'heading':
      return new Paragraph({ text: b.text, heading: HEADINGS[b.level], keepNext: true });
    case 'p':
      return new Paragraph({ children: [new TextRun({ text: b.text, bold: b.bold ?? false, italics: b.italics ?? false })] });
    case 'bullet':
      return new Paragraph({
        bullet: { level: 0 },
        children: [new TextRun(b.text), ...(b.note ? [new TextRun({ text: ` (${b.note})`, italics: true })] : [])],
      });
    case 'table':
      return table(b);
    case 'chart':
      return new Paragraph({
        children: [
          new ChartRun({
            type: 'column',
            title: b.title,
            categories: b.categories,
            series: [{ name: b.seriesName, values: b.values }],
            legend: false,
            transformation: { width: 480, height: 240 },
            altText: { name: b.title, description: b.categories.map((c, i) => `${c} : ${b.values[i] ?? 0}`).join(', ') },
          }),
        ],
      });
    case 'pageBreak':
      return new Paragraph({ children: [new PageBreak()] });
  }
}

export function toDocx(model: DocumentModel): Promise<Buffer> {
  const doc = new Document({
    creator: 'Concerto',
    title: model.title,
    styles: { default: { document: { run: { font: 'Liberation Sans', size: 22, language: { value: model.locale } } } } },
    sections: [{ children: model.blocks.map(render) }],
  });
  return Packer.toBuffer(doc);
}
