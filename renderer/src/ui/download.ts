/** Saves text through the browser's download path (no network, no main round-trip). */
export function downloadText(fileName: string, text: string, mime = 'text/plain'): void {
  const blob = new Blob([text], { type: `${mime};charset=utf-8` });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function mimeFor(fileName: string): string {
  return fileName.endsWith('.json')
    ? 'application/json'
    : fileName.endsWith('.csv')
      ? 'text/csv'
      : 'text/plain';
}
