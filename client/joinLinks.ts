/**
 * The join link and QR image for a code, for screens that cannot ask for the event's links
 * (only the lead facilitator may). The snapshot does not carry the server's public address, so the
 * address shown is the one this screen was opened with; the QR image itself encodes the public one.
 */
export function joinHost(): string {
  return location.host;
}

export function joinUrl(code: string): string {
  return `${location.origin}/j/${code}`;
}

export function qrImageUrl(code: string): string {
  return `/api/qr/${code}.svg`;
}
