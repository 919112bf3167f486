// What the inbox knows about a file message: its name (the message's file name, its body, or the
// URL's last segment), its type (from the name's extension) and, when the server tells, its size.

import { fileNameFromUrl } from '../url';

const TYPES: Record<string, string> = {
  pdf: 'PDF',
  doc: 'Word',
  docx: 'Word',
  odt: 'ODT',
  rtf: 'RTF',
  txt: 'TXT',
  csv: 'CSV',
  xls: 'Excel',
  xlsx: 'Excel',
  ods: 'ODS',
  ppt: 'PowerPoint',
  pptx: 'PowerPoint',
  odp: 'ODP',
  zip: 'ZIP',
  rar: 'RAR',
  '7z': '7Z',
  xml: 'XML',
  json: 'JSON',
  ofx: 'OFX',
  jpg: 'JPEG',
  jpeg: 'JPEG',
  png: 'PNG',
  gif: 'GIF',
  webp: 'WEBP',
  svg: 'SVG',
  mp4: 'MP4',
  webm: 'WEBM',
  mov: 'MOV',
  '3gp': '3GP',
  mp3: 'MP3',
  ogg: 'OGG',
  oga: 'OGG',
  opus: 'OPUS',
  m4a: 'M4A',
  aac: 'AAC',
  wav: 'WAV',
  amr: 'AMR',
};

/** The file's type as agents know it ("PDF", "Excel"), from the extension; null when unknown. */
export function fileType(name: string): string | null {
  const clean = name.split(/[?#]/)[0].trim();
  const dot = clean.lastIndexOf('.');
  if (dot <= 0 || dot === clean.length - 1) return null;
  const ext = clean.slice(dot + 1).toLowerCase();
  if (TYPES[ext]) return TYPES[ext];
  return /^[a-z0-9]{1,5}$/.test(ext) ? ext.toUpperCase() : null;
}

/** The name a file message shows and is saved under; "" when nothing names it. */
export function fileNameOf(m: { file_name: string | null; body: string | null; media_url: string | null }): string {
  return m.file_name?.trim() || m.body?.trim() || (m.media_url ? fileNameFromUrl(m.media_url) : '') || '';
}

/** "12 KB", "3.4 MB" in the agent's language; null for an unknown or negative size. */
export function formatSize(bytes: number | null | undefined, locale: string): string | null {
  if (bytes == null || !Number.isFinite(bytes) || bytes < 0) return null;
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: units[unit],
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: value < 10 && unit > 0 ? 1 : 0,
  }).format(value);
}
