/**
 * A document model as PDF (A4): tagged headings and paragraphs in the document's language, a
 * bookmark per heading, tables, and bar charts drawn as vector shapes with their data table after.
 */
import PDFDocument from 'pdfkit';
import type { Block, DocumentModel } from './document.ts';

const SIZES = { title: 24, 1: 18, 2: 14, 3: 12, body: 10.5 } as const;
const INK = '#1b1f24';
const PRIMARY = '#0a4f96';

export function toPdf(model: DocumentModel): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    tagged: true,
    lang: model.locale,
    displayTitle: true,
    pdfVersion: '1.7',
    info: { Title: model.title, Author: 'Concerto', Creator: 'Concerto' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const root = doc.struct('Document');
  doc.addStructure(root);
  const width = doc.page.width - 112;
  let outline1: PDFKit.PDFOutline | null = null;

  const text = (value: string, size: number, bold: boolean, type: string, opts: PDFKit.Mixins.TextOptions = {}) =>
    doc
      .font(bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(size)
      .fillColor(INK)
      .text(value, { width, structParent: root, structType: type, ...opts });

  for (const b of model.blocks) {
    switch (b.kind) {
      case 'title':
        text(b.text, SIZES.title, true, 'H1');
        doc.moveDown(0.5);
        break;
      case 'heading': {
        if (b.level === 1 && doc.y > doc.page.height - 200) doc.addPage();
        doc.moveDown(b.level === 1 ? 1 : 0.6);
        text(b.text, SIZES[b.level], true, `H${b.level}`);
        if (b.level === 1) outline1 = doc.outline.addItem(b.text);
        else if (b.level === 2) (outline1 ?? doc.outline).addItem(b.text);
        doc.moveDown(0.3);
        break;
      }
      case 'p':
        text(b.text, SIZES.body, b.bold ?? false, 'P', b.italics ? { oblique: true } : {});
        doc.moveDown(0.3);
        break;
      case 'bullet':
        text(`•  ${b.text}${b.note ? ` (${b.note})` : ''}`, SIZES.body, false, 'P', { indent: 10 });
        break;
      case 'table':
        doc.moveDown(0.2);
        doc.font('Helvetica').fontSize(9.5).fillColor(INK);
        doc.table({
          columnStyles: b.widths ? b.widths.map((w) => `${w}%`) : undefined,
          rowStyles: (i: number) => (i === 0 ? { font: { src: 'Helvetica-Bold' }, backgroundColor: '#e8eef6' } : {}),
          data: [b.header, ...b.rows],
        });
        doc.moveDown(0.5);
        break;
      case 'chart':
        chart(doc, b, width);
        break;
      case 'pageBreak':
        doc.addPage();
        break;
    }
  }
  doc.end();
  return done;
}

function chart(doc: PDFKit.PDFDocument, b: Extract<Block, { kind: 'chart' }>, width: number): void {
  const rowH = 16;
  const height = b.values.length * (rowH + 4) + 24;
  if (doc.y + height > doc.page.height - 60) doc.addPage();
  const x0 = doc.page.margins.left;
  const top = doc.y;
  const max = Math.max(1, ...b.values);
  const labelW = 30;
  const barW = width - labelW - 50;
  // Drawn as an artifact: the table that follows gives the same figures to screen readers.
  doc.markContent('Artifact');
  doc.font('Helvetica-Bold').fontSize(10).fillColor(INK).text(b.title, x0, top, { width });
  let y = doc.y + 4;
  b.values.forEach((v, i) => {
    doc
      .font('Helvetica')
      .fontSize(10)
      .fillColor(INK)
      .text(b.categories[i] ?? '', x0, y + 3, { width: labelW });
    doc.rect(x0 + labelW, y, barW, rowH).fill('#e8eef6');
    if (v > 0) doc.rect(x0 + labelW, y, (v / max) * barW, rowH).fill(PRIMARY);
    doc.fillColor(INK).text(String(v), x0 + labelW + barW + 6, y + 3, { width: 44 });
    y += rowH + 4;
  });
  doc.endMarkedContent();
  doc.x = x0;
  doc.y = y + 6;
}
